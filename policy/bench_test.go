package policy_test

import (
	"strings"
	"testing"
)

// reportTexts are report-sized texts in the styles the bot receives.
var reportTexts = []string{
	"she posted a picture of a detainee on her instagram story last night, you can see his face and wristband",
	"Reply-all to the whole list about the election again. Third time this week, please make it stop.",
	"nurse on B unit selling essential oils on the agency email list, $25 a bottle, DM her",
	"Hi team, the dental clinic schedule for next week is attached. Please confirm your slots by Friday. Thanks, Maria",
	"he keeps sending f*cking memes to the night shift group chat and calling people r3tards",
}

func BenchmarkClassify(b *testing.B) {
	c := newClassifier(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Classify(reportTexts[i%len(reportTexts)])
	}
}

// BenchmarkClassifyLong shows that cost grows linearly with length: compare
// ns/op here with BenchmarkClassify at 40 times the text.
func BenchmarkClassifyLong(b *testing.B) {
	c := newClassifier(b)
	text := strings.Repeat(strings.Join(reportTexts, " "), 8)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c.Classify(text)
	}
}
