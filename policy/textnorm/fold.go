package textnorm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// lookalikes folds Cyrillic and Greek letters that look like Latin ones, the
// usual way to slip a word past a filter. Applied after lower-casing.
var lookalikes = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o',
	'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i',
	'ј': 'j', 'ԁ': 'd', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ү': 'y', 'ӏ': 'l', 'ɡ': 'g',
	// Greek
	'α': 'a', 'β': 'b', 'γ': 'y', 'ε': 'e', 'ζ': 'z', 'η': 'n', 'ι': 'i', 'κ': 'k',
	'μ': 'u', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'σ': 'o', 'ς': 's', 'τ': 't', 'υ': 'u',
	'χ': 'x', 'ω': 'w', 'ϲ': 'c', 'ϳ': 'j',
	// Latin odds and ends that NFKD leaves alone
	'ƒ': 'f', 'ф': 'f', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ħ': 'h', 'ı': 'i', 'ß': 's', 'æ': 'a', 'œ': 'o',
	'ɑ': 'a', 'ɩ': 'i', 'ʀ': 'r', 'ʏ': 'y', 'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd',
	'ᴇ': 'e', 'ɢ': 'g', 'ʜ': 'h', 'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm',
	'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w',
	'ᴢ': 'z',
	// typographic punctuation that should behave like its ASCII twin
	'’': '\'', '‘': '\'', 'ʼ': '\'', '`': '\'', '´': '\'',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '·': '.', '•': '.', '∗': '*',
}

// ignorable reports runes that are invisible or only decorate a letter: they
// are dropped without ending a word, so "f\u200buck" and "fu\u00adck" read
// as one word.
func ignorable(r rune) bool {
	switch {
	case r == 0xAD || r == 0x34F || r == 0x180E:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r >= 0xE0000 && r <= 0xE007F: // tag characters
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// fold appends the folded form of r to dst: compatibility-decomposed (so
// fullwidth, mathematical and circled letters become plain ones), stripped of
// diacritics and invisible characters, lower-cased, and look-alikes mapped to
// Latin.
func fold(dst []rune, r rune) []rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	}
	if ignorable(r) {
		return dst
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	var out [32]byte
	d := norm.NFKD.Append(out[:0], buf[:n]...)
	for len(d) > 0 {
		c, size := utf8.DecodeRune(d)
		d = d[size:]
		if ignorable(c) {
			continue
		}
		c = unicode.ToLower(c)
		if m, ok := lookalikes[c]; ok {
			c = m
		}
		dst = append(dst, c)
	}
	return dst
}
