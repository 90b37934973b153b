package pii

import (
	"unicode"
	"unicode/utf8"
)

// The tokenizer turns the text into a flat slice of tokens in one pass. All
// detectors work on tokens, so the text is decoded exactly once and every
// token already carries its rune offsets (the API speaks rune offsets) and its
// dictionary flags (one hash lookup per word, computed while scanning).

// tkind is the lexical class of a token.
type tkind uint8

const (
	tkPunct tkind = iota // one rune that is neither letter, digit nor space
	tkWord               // letters only ("Maria", "DOB", "José")
	tkNum                // ASCII digits only ("305")
	tkAlnum              // letters and ASCII digits mixed ("A123456789", "14th", "1Z999AA1")
)

// Whitespace before a token. Spaces are not tokens; this keeps "123 45 6789"
// (one space) apart from "123\n45" and from "123-45".
const (
	gapNone  uint8 = iota // adjacent to the previous token (or at text start)
	gapSpace              // exactly one ASCII space
	gapOther              // any other whitespace run
)

// Marks set on tokens by the detection passes (see detect.go).
const (
	mEmail   uint8 = 1 << iota // first token of an e-mail address; aux = last token
	mInEmail                   // token belongs to an e-mail address
	mPerson                    // token refers to an identified person
	mMedical                   // first token of a medical detail near a person; aux = last token
)

// token is kept small (36 bytes, int32 offsets; Detect chunks texts over
// maxChunk bytes) because a 64 KiB text of punctuation has 64 Ki tokens.
type token struct {
	bs, be int32 // byte span in the text
	rs, re int32 // rune span in the text
	aux    int32 // pass-specific: last token index of a multi-token mark
	widx   int32 // number of non-punctuation tokens before this one (word distance)
	flags  uint32
	kind   tkind
	gap    uint8
	ch     byte  // punctuation: the byte if ASCII, else 0
	val    uint8 // dictionary value (month number)
	mark   uint8
	upper  bool // word starts with an upper-case letter
	title  bool // upper and contains a lower-case letter ("Maria", "McDonald"; not "ICE")
}

// Byte classes for the ASCII fast path.
const (
	cSpace uint8 = iota + 1
	cLetter
	cDigit
	cPunct
	cHigh // first byte of a multi-byte (or invalid) sequence: decode it
)

var class [256]uint8

func init() {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 0x80:
			class[c] = cHigh
		case c >= '0' && c <= '9':
			class[c] = cDigit
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			class[c] = cLetter
		case c == ' ', c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			class[c] = cSpace
		default:
			class[c] = cPunct
		}
	}
}

// classifyRune classifies a non-ASCII rune. Non-ASCII digits and combining
// marks count as letters: they continue a word but never form a number, so
// "José" (even decomposed) is one word and "١٢٣" is not a phone number.
// utf8.RuneError (invalid byte) is punctuation of one rune, matching
// utf8.RuneCountInString, which Redact relies on.
func classifyRune(r rune) uint8 {
	switch {
	case unicode.IsSpace(r):
		return cSpace
	case unicode.IsLetter(r), unicode.IsMark(r), unicode.IsNumber(r):
		return cLetter
	default:
		return cPunct
	}
}

// FNV-1a over lower-cased ASCII letters; see dict.go.
const (
	fnvOffset uint32 = 2166136261
	fnvPrime  uint32 = 16777619
)

// tokenize appends the tokens of text to toks. It tracks delta = bytes read
// minus runes read, so rune offsets cost nothing on ASCII text.
func tokenize(text string, toks []token) []token {
	delta, widx := 0, 0
	gap := gapNone
	for i := 0; i < len(text); {
		c := text[i]
		cl := class[c]
		size := 1
		if cl == cHigh {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			cl = classifyRune(r)
		}
		switch cl {
		case cSpace:
			if gap == gapNone && c == ' ' {
				gap = gapSpace
			} else {
				gap = gapOther
			}
			delta += size - 1
			i += size
			continue
		case cPunct:
			t := token{bs: int32(i), be: int32(i + size), rs: int32(i - delta), re: int32(i - delta + 1),
				kind: tkPunct, gap: gap, widx: int32(widx)}
			if size == 1 {
				t.ch = c
			}
			toks = append(toks, t)
			delta += size - 1
			i += size
		default:
			toks = append(toks, token{gap: gap, widx: int32(widx)})
			i, delta = scanWord(text, i, delta, &toks[len(toks)-1])
			widx++
		}
		gap = gapNone
	}
	return toks
}

// scanWord reads a maximal run of letters and digits starting at byte i,
// fills t and returns the new byte position and delta.
func scanWord(text string, i, delta int, t *token) (int, int) {
	t.bs, t.rs = int32(i), int32(i-delta)
	h := fnvOffset
	letters, digits, lower, ascii, first := false, false, false, true, true
loop:
	for i < len(text) {
		c := text[i]
		switch class[c] {
		case cLetter:
			if first {
				t.upper = c <= 'Z'
			} else if c >= 'a' {
				lower = true
			}
			letters = true
			h = (h ^ uint32(c|0x20)) * fnvPrime
			i++
		case cDigit:
			digits = true
			i++
		case cHigh:
			r, size := utf8.DecodeRuneInString(text[i:])
			if classifyRune(r) != cLetter {
				break loop
			}
			if first {
				t.upper = unicode.IsUpper(r) || unicode.IsTitle(r)
			} else if unicode.IsLower(r) {
				lower = true
			}
			letters, ascii = true, false
			i += size
			delta += size - 1
		default:
			break loop
		}
		first = false
	}
	t.be, t.re = int32(i), int32(i-delta)
	switch {
	case letters && digits:
		t.kind = tkAlnum
	case letters:
		t.kind = tkWord
		t.title = t.upper && lower
		if ascii && i-int(t.bs) <= maxKeyLen {
			t.flags, t.val = lookup(h, text[t.bs:i])
		}
	default:
		t.kind = tkNum
	}
	return i, delta
}

// maxTokens is an upper bound on the tokens of text: one per ASCII
// punctuation byte, per non-ASCII byte and per start of an ASCII letter/digit
// run. It costs a fraction of tokenizing and lets a large text get its token
// buffer in one allocation.
func maxTokens(text string) int {
	n, inWord := 0, false
	for i := 0; i < len(text); i++ {
		switch class[text[i]] {
		case cLetter, cDigit:
			if !inWord {
				n++
			}
			inWord = true
			continue
		case cPunct, cHigh:
			n++
		}
		inWord = false
	}
	return n
}
