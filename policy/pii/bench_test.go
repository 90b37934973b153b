package pii_test

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/policy/pii"
)

// Realistic ~300-character reports, one clean and one carrying PII of every
// kind, so the benchmark covers both the common path and the emit path.
const (
	benchClean = "Reported post on the facility page claims that detainees at the Krome processing center " +
		"were denied outdoor recreation for three weeks in March. The account shares photos of the yard and " +
		"asks followers to call their representatives. No names are given; see the attached screenshot, " +
		"order of events in thread."
	benchPII = "User @jdoe posted that detainee Maria Gonzalez (DOB 03/14/1985, A# 012 345 678) is pregnant " +
		"and was denied insulin. Her family can be reached at (305) 555-0134 or maria.g@example.com; " +
		"her SSN 123-45-6789 was visible in the photo. Order 123-45-6789 and tracking 1Z999AA10123456784 " +
		"are unrelated. v2.10.1"
)

func BenchmarkDetect(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"clean", benchClean},
		{"pii", benchPII},
		{"digits64K", strings.Repeat("1234567890", 6554)},
		{"at64K", strings.Repeat("@", 65536)},
		{"mixed64K", strings.Repeat(benchPII+" ", 65536/len(benchPII))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				pii.Detect(bc.text)
			}
		})
	}
}

func BenchmarkRedact(b *testing.B) {
	fs := pii.Detect(benchPII)
	b.SetBytes(int64(len(benchPII)))
	b.ReportAllocs()
	for b.Loop() {
		pii.Redact(benchPII, fs)
	}
}

func TestBenchTextsAreRealistic(t *testing.T) {
	for _, s := range []string{benchClean, benchPII} {
		if n := len([]rune(s)); n < 250 || n > 400 {
			t.Errorf("benchmark text has %d runes, want about 300", n)
		}
	}
	if n := len(pii.Detect(benchClean)); n != 0 {
		t.Errorf("benchClean has %d findings, want 0", n)
	}
	if n := len(pii.Detect(benchPII)); n < 6 {
		t.Errorf("benchPII has %d findings, want every kind", n)
	}
}
