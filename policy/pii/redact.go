package pii

import (
	"strings"
	"unicode/utf8"
)

// Redact returns text with each finding's span replaced by a placeholder
// "[<kind> redacted]", e.g. "[ssn redacted]".
//
// Findings must be the ones Detect returned for this same text (rune
// offsets, sorted, non-overlapping). A finding that is empty, out of range,
// or starts before the end of the previous applied finding is ignored; Redact
// never panics. Rune offsets count each invalid UTF-8 byte as one rune, as
// Detect and utf8.RuneCountInString do, and bytes outside the spans are
// copied unchanged.
func Redact(text string, findings []Finding) string {
	if len(findings) == 0 {
		return text
	}
	total := utf8.RuneCountInString(text)
	var b strings.Builder
	b.Grow(len(text) + 16*len(findings))
	pos, rpos := 0, 0 // byte and rune position of the text copied so far
	for _, f := range findings {
		if f.Start < rpos || f.Start >= f.End || f.End > total {
			continue
		}
		start := advance(text, pos, f.Start-rpos)
		end := advance(text, start, f.End-f.Start)
		b.WriteString(text[pos:start])
		b.WriteByte('[')
		b.WriteString(string(f.Kind))
		b.WriteString(" redacted]")
		pos, rpos = end, f.End
	}
	b.WriteString(text[pos:])
	return b.String()
}

// advance returns the byte offset n runes after byte offset pos.
func advance(text string, pos, n int) int {
	for ; n > 0 && pos < len(text); n-- {
		if text[pos] < utf8.RuneSelf {
			pos++
			continue
		}
		_, size := utf8.DecodeRuneInString(text[pos:])
		pos += size
	}
	return pos
}
