package policy

import (
	"github.com/reportbot/reportbot/policy/textnorm"
)

// Feature names, shared by the trainer and the classifier.
const (
	featWord    = "w:" // a word, in its plainest form
	featBigram  = "b:" // two words in a row
	featConcept = "c:" // a rulebook concept found in the text
	featStem    = "s:" // a word's stem (stem.go)
)

// eachFeature calls fn with the name of every feature of a tokenised text,
// possibly more than once. The trainer and the model must agree on these.
func (c *Classifier) eachFeature(toks []textnorm.Token, f *found, fn func(kind string, a, b string)) {
	for i, t := range toks {
		for _, form := range t.Forms {
			fn(featWord, form, "")
		}
		fn(featStem, stem(t.Word()), "")
		if i+1 < len(toks) && toks[i+1].Sentence == t.Sentence {
			fn(featBigram, t.Word(), toks[i+1].Word())
		}
	}
	for _, concept := range f.touched {
		if len(f.by[concept]) > 0 {
			fn(featConcept, c.concepts[concept], "")
		}
	}
}

// Features lists the distinct feature names of text, for training the
// model (policy/internal/train).
func (c *Classifier) Features(text string) []string {
	f := c.analyse(text)
	defer c.release(f)
	toks := f.toks
	seen := map[string]bool{}
	var out []string
	c.eachFeature(toks, f, func(kind, a, b string) {
		name := kind + a
		if kind == featBigram {
			name += " " + b
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	})
	return out
}
