package textnorm_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy/textnorm"
)

// watched is a small lexicon standing in for the rulebook's.
type watched map[string]bool

func (w watched) Known(word string) bool { return w[word] }

func (w watched) Unmask(pattern string) (string, bool) {
	for word := range w {
		if len(word) != len(pattern) {
			continue
		}
		ok := true
		for i := range len(word) {
			if pattern[i] != word[i] && pattern[i] != '*' && pattern[i] != '#' {
				ok = false
				break
			}
		}
		if ok {
			return word, true
		}
	}
	return "", false
}

var lex = watched{"fuck": true, "shit": true, "bitch": true}

// hasForm reports whether any token of text can be read as word, and returns
// the original characters of that token.
func hasForm(text, word string) (string, bool) {
	for _, t := range textnorm.Tokenize(text, lex) {
		if slices.Contains(t.Forms, word) {
			return text[t.ByteStart:t.ByteEnd], true
		}
	}
	return "", false
}

func TestTokenizeSeesThroughDisguises(t *testing.T) {
	tests := []struct {
		name, text, word, span string
	}{
		{"plain", "what the fuck", "fuck", "fuck"},
		{"capitals", "WHAT THE FUCK", "fuck", "FUCK"},
		{"fullwidth", "ｆｕｃｋ this", "fuck", "ｆｕｃｋ"},
		{"math bold", "𝐟𝐮𝐜𝐤 this", "fuck", "𝐟𝐮𝐜𝐤"},
		{"cyrillic lookalikes", "ѕhіt happens", "shit", "ѕhіt"},
		{"greek lookalike", "shιt", "shit", "shιt"},
		{"accents", "fúck", "fuck", "fúck"},
		{"zero width space", "fu\u200bck", "fuck", "fu\u200bck"},
		{"zero width joiner", "sh\u200dit", "shit", "sh\u200dit"},
		{"soft hyphen", "fu\u00adck", "fuck", "fu\u00adck"},
		{"leet digits", "sh1t", "shit", "sh1t"},
		{"leet symbols", "$h!t", "shit", "$h!t"},
		{"leet at", "b!tch", "bitch", "b!tch"},
		{"stretched", "fuuuuuck", "fuck", "fuuuuuck"},
		{"stretched end", "shiiiit", "shit", "shiiiit"},
		{"spaced", "f u c k you", "fuck", "f u c k"},
		{"dotted", "f.u.c.k.", "fuck", "f.u.c.k"},
		{"dashed", "s-h-i-t", "shit", "s-h-i-t"},
		{"underscored", "f_u_c_k", "fuck", "f_u_c_k"},
		{"masked", "f*ck off", "fuck", "f*ck"},
		{"masked hash", "sh#t", "shit", "sh#t"},
		{"trailing punctuation", "fuck!!!", "fuck", "fuck"},
		{"quoted", "'fuck'", "fuck", "fuck"},
		{"apostrophe dropped", "don't", "dont", "don't"},
		{"curly apostrophe", "don’t", "dont", "don’t"},
		{"mention", "@ana.lopez said", "ana", "ana"},
		{"hashtag", "#Vote2024", "vote", "Vote2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			span, ok := hasForm(tt.text, tt.word)
			if !ok {
				t.Fatalf("%q: no token reads as %q; tokens %+v", tt.text, tt.word, textnorm.Tokenize(tt.text, lex))
			}
			if span != tt.span {
				t.Errorf("%q: token covers %q, want %q", tt.text, span, tt.span)
			}
		})
	}
}

func TestTokenizeLeavesInnocentWordsAlone(t *testing.T) {
	for _, text := range []string{
		"Scunthorpe United", "Essex and Sussex", "a cocktail party", "the assessment is due",
		"therapeutic dose", "shiitake mushrooms", "magna cum laude", "Dickens", "passport", "class",
		"U S A", "a b c", "I am OK",
	} {
		for _, word := range []string{"fuck", "shit", "bitch", "cunt", "ass", "rapist", "dick"} {
			if _, ok := hasForm(text, word); ok {
				t.Errorf("%q reads as %q", text, word)
			}
		}
	}
}

func TestTokenizeJoinsOnlyWatchedWords(t *testing.T) {
	toks := textnorm.Tokenize("U S A today", lex)
	if len(toks) != 4 {
		t.Fatalf("got %d tokens, want the letters kept apart: %+v", len(toks), toks)
	}
}

func TestTokenizeOffsetsAreRunes(t *testing.T) {
	text := "é😀 détainée photo"
	toks := textnorm.Tokenize(text, nil)
	runes := []rune(text)
	for _, tok := range toks {
		if got := string(runes[tok.Start:tok.End]); got != text[tok.ByteStart:tok.ByteEnd] {
			t.Errorf("rune span %q != byte span %q", got, text[tok.ByteStart:tok.ByteEnd])
		}
	}
	if toks[1].Word() != "detainee" || toks[1].Start != 3 || toks[1].End != 11 {
		t.Errorf("got %+v, want detainee at runes 3..11", toks[1])
	}
}

func TestTokenizeSentencesAndFlags(t *testing.T) {
	toks := textnorm.Tokenize("Stop. THIS IS BAD! ok\nnext @ben #tag 2024", nil)
	want := []struct {
		word     string
		sentence int
		flags    textnorm.Flag
	}{
		{"stop", 0, 0},
		{"this", 1, textnorm.Upper},
		{"is", 1, textnorm.Upper},
		{"bad", 1, textnorm.Upper},
		{"ok", 2, 0},
		{"next", 3, 0},
		{"ben", 3, textnorm.Mention},
		{"tag", 3, textnorm.Hashtag},
		{"2024", 3, textnorm.Number},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d: %+v", len(toks), len(want), toks)
	}
	for i, w := range want {
		got := toks[i]
		if got.Word() != w.word || got.Sentence != w.sentence || got.Flags&^textnorm.Disguised != w.flags {
			t.Errorf("token %d = %q sentence %d flags %b, want %q %d %b", i, got.Word(), got.Sentence, got.Flags, w.word, w.sentence, w.flags)
		}
	}
}

func TestTokenizeHugeAndOddInput(t *testing.T) {
	for _, text := range []string{
		"", " ", "\x00\xff\xfe", strings.Repeat("*", 10000), strings.Repeat("a ", 20000),
		strings.Repeat("\u200b", 500), strings.Repeat("f u c k ", 1000), "\uFFFD\uFFFD",
	} {
		toks := textnorm.Tokenize(text, lex)
		n := utf8.RuneCountInString(text)
		for _, tok := range toks {
			if tok.Start < 0 || tok.End > n || tok.Start >= tok.End || len(tok.Forms) == 0 {
				t.Fatalf("bad token %+v for input of %d runes", tok, n)
			}
		}
	}
}
