// Package pii finds personally identifiable information in free text and redacts it.
//
// Reports filed under IHSC Directive 01-22 must keep only the minimum PII
// (ICE PII memo 2013, principle 5), so the classifier uses Detect to report
// PII and the case store uses Redact before storing a report.
//
// Detection is a single tokenizing pass followed by a few linear passes over
// the tokens (e-mail, persons, medical terms, numbers); there are no regular
// expressions and the only allocation on the common path is the result.
// Number-shaped PII is accepted only when it has a valid shape, is not glued
// to a longer run of digits or letters, and is not preceded by a negative
// context word such as "order" or "tracking"; dates count only after a birth
// context word and medical terms only near an identified person.
package pii

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Kind names a category of PII. Its string is used in redaction placeholders.
type Kind string

const (
	SSN         Kind = "ssn"      // US social security number
	ANumber     Kind = "a_number" // alien registration number ("A-number"), e.g. A123456789, A-123-456-789, A# 012 345 678, "A number 12345678"
	DateOfBirth Kind = "dob"      // a date of birth (only when birth context is present: DOB, born, date of birth, birthday, d.o.b.)
	Phone       Kind = "phone"    // phone numbers (NANP and +international)
	Email       Kind = "email"    // e-mail addresses
	Medical     Kind = "medical"  // medical details about a named/identified person
)

// Finding is one piece of PII: a rune span of the original text.
type Finding struct {
	Kind  Kind
	Start int // rune offset into the original text, inclusive
	End   int // rune offset, exclusive
}

// scanner holds the state of one Detect call (or of one chunk of it).
type scanner struct {
	text string
	toks []token
	out  []Finding
	base int // rune offset of text within the caller's text
}

// maxPooledTokens bounds the token buffers kept for reuse (about 600 KB), so
// one huge input does not pin its buffer in the pool.
const maxPooledTokens = 16384

var tokPool = sync.Pool{New: func() any {
	b := make([]token, 0, 256)
	return &b
}}

// maxChunk is the largest text scanned in one piece; token offsets are int32.
// Longer texts (far beyond the 64 KiB reports this package is for) are cut at
// whitespace, so PII spanning a cut may be missed. A variable for tests.
var maxChunk = 1 << 30

// Detect returns the PII found in text, sorted by Start, non-overlapping.
// It returns nil when there is none.
func Detect(text string) []Finding {
	var out []Finding
	base := 0
	for len(text) > maxChunk {
		cut := chunkCut(text)
		out = detect(text[:cut], base, out)
		base += utf8.RuneCountInString(text[:cut])
		text = text[cut:]
	}
	return detect(text, base, out)
}

// chunkCut picks where to cut a text longer than maxChunk: at the last
// whitespace in its second half, else outside any valid UTF-8 sequence, so
// rune counts stay additive even for invalid UTF-8. A sequence is at most 4
// bytes: a byte preceded by 3 continuation bytes belongs to none, so backing
// up at most 3 bytes suffices and every cut makes progress.
func chunkCut(text string) int {
	if cut := strings.LastIndexAny(text[:maxChunk], " \n\t"); cut >= maxChunk/2 {
		return cut
	}
	cut := maxChunk
	for k := 0; k < utf8.UTFMax-1 && cut > 1 && !utf8.RuneStart(text[cut]); k++ {
		cut--
	}
	return cut
}

// detect scans one chunk whose first rune is at offset base and appends its
// findings to out.
func detect(text string, base int, out []Finding) []Finding {
	if text == "" {
		return out
	}
	bp := tokPool.Get().(*[]token)
	buf := (*bp)[:0]
	if len(text) > 4096 {
		if want := maxTokens(text); cap(buf) < want {
			buf = make([]token, 0, want) // one allocation instead of repeated growth
		}
	}
	s := scanner{text: text, toks: tokenize(text, buf), out: out, base: base}
	s.markEmails()
	s.markPersons()
	s.markMedical()
	s.emitAll()
	if cap(s.toks) <= maxPooledTokens {
		*bp = s.toks[:0]
	}
	tokPool.Put(bp)
	return s.out
}

// emitAll walks the tokens left to right and emits e-mail and medical spans
// marked by the earlier passes and the number-shaped PII found on the way.
// Each detector only looks a bounded number of tokens around i, so the walk
// is linear.
func (s *scanner) emitAll() {
	toks := s.toks
	for i := 0; i < len(toks); {
		t := &toks[i]
		if t.mark&mEmail != 0 {
			s.emit(Email, i, int(t.aux))
			i = int(t.aux) + 1
			continue
		}
		if t.mark&mMedical != 0 {
			s.emit(Medical, i, int(t.aux))
			i = int(t.aux) + 1
			continue
		}
		if t.mark&mInEmail != 0 {
			i++
			continue
		}
		if !mayStartNumber(t) {
			i++
			continue
		}
		k, a, b := s.numberAt(i)
		if a >= 0 {
			s.emit(k, a, b)
			i = b + 1
			continue
		}
		i++
	}
}

// mayStartNumber is a cheap filter: only digits, '+', '(', month names, the
// A-number anchors and glued tokens can start number-shaped PII.
func mayStartNumber(t *token) bool {
	switch t.kind {
	case tkWord:
		return t.flags&(fMonth|fAlien) != 0 || t.be-t.bs == 1
	case tkPunct:
		return t.ch == '+' || t.ch == '('
	}
	return true
}

// emit appends a finding for tokens a..b (inclusive). Spans that would
// overlap the previous finding are dropped, which keeps the output valid even
// if two detectors disagree.
func (s *scanner) emit(k Kind, a, b int) {
	f := Finding{Kind: k, Start: int(s.toks[a].rs) + s.base, End: int(s.toks[b].re) + s.base}
	if f.Start >= f.End {
		return
	}
	if n := len(s.out); n > 0 && s.out[n-1].End > f.Start {
		return
	}
	if s.out == nil {
		s.out = make([]Finding, 0, 8) // one allocation for a typical report
	}
	s.out = append(s.out, f)
}

// Token helpers. All take any index and answer false/0 when out of range, so
// detectors can probe ahead without bounds checks of their own.

func (s *scanner) str(i int) string { return s.text[s.toks[i].bs:s.toks[i].be] }

// numLen is the digit count of token i if it is a number not inside an
// e-mail address, else 0.
func (s *scanner) numLen(i int) int {
	if i < 0 || i >= len(s.toks) {
		return 0
	}
	t := &s.toks[i]
	if t.kind != tkNum || t.mark&mInEmail != 0 {
		return 0
	}
	return int(t.be - t.bs)
}

// numVal parses the digits of token i (callers check numLen first; at most 9
// digits are read, enough for every field we validate).
func (s *scanner) numVal(i int) int {
	v := 0
	str := s.str(i)
	for j := 0; j < len(str) && j < 9; j++ {
		v = v*10 + int(str[j]-'0')
	}
	return v
}

func (s *scanner) isPunct(i int, ch byte) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tkPunct && s.toks[i].ch == ch
}

// adjacent reports whether token i exists and touches the token before it.
func (s *scanner) adjacent(i int) bool {
	return i > 0 && i < len(s.toks) && s.toks[i].gap == gapNone
}

// isWordTok reports whether token i exists and is a word, number or alnum.
func (s *scanner) isWordTok(i int) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind != tkPunct
}
