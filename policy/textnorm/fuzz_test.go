package textnorm_test

import (
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy/textnorm"
)

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"f u c k", "sh1t", "ｆｕｃｋ", "f*ck", "a\u200bb", "\xff", "@x #y $5 don't", "Scunthorpe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := textnorm.Tokenize(text, lex)
		n := utf8.RuneCountInString(text)
		prevEnd := 0
		for _, tok := range toks {
			if tok.Start < prevEnd || tok.Start >= tok.End || tok.End > n {
				t.Fatalf("token %+v out of order or range (prev end %d, %d runes)", tok, prevEnd, n)
			}
			if tok.ByteStart < 0 || tok.ByteEnd > len(text) || tok.ByteStart >= tok.ByteEnd {
				t.Fatalf("token %+v has bad byte span for %d bytes", tok, len(text))
			}
			if got := utf8.RuneCountInString(text[:tok.ByteStart]); got != tok.Start {
				t.Fatalf("token %+v: byte start is rune %d", tok, got)
			}
			if len(tok.Forms) == 0 || tok.Forms[0] == "" {
				t.Fatalf("token %+v has no form", tok)
			}
			prevEnd = tok.End
		}
	})
}
