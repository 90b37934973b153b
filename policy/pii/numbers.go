package pii

import "strings"

// Number-shaped PII: the dispatcher, the guards shared by all number
// matchers, and SSNs (phones are in phone.go, A-numbers in anumber.go, dates
// of birth in dob.go). Every matcher works on digit-group tokens and applies
// three guards that keep order numbers, versions, money and the like out:
//   - shape and validity rules for the kind,
//   - boundaries: the match must not be glued to a longer run of digits or
//     letters ("305-555-0134-22", "9-123-45-6789") nor follow a currency sign,
//   - context: a negative word ("order", "tracking", "v", ...) within
//     negWords words before the match rejects it, unless a positive context
//     word ("SSN", "phone") comes first.

// Context reach, in words before the match.
const (
	negWords   = 2 // negative words ("order 123-45-6789")
	ssnWords   = 4 // "social security number is 123456789"
	phoneWords = 3 // "call me on 3055550134"
	birthWords = 3 // "date of birth is 03/14/1985", "DOB of detainee: ..."
)

// numberAt tries every number-shaped detector whose first token is i and
// returns the kind and token span of the first match, or a < 0.
func (s *scanner) numberAt(i int) (k Kind, a, b int) {
	t := &s.toks[i]
	switch t.kind {
	case tkNum:
		if b, ok := s.phoneAt(i); ok {
			return Phone, i, b
		}
		if b, ok := s.ssnAt(i); ok {
			return SSN, i, b
		}
		if b, ok := s.dobNumericAt(i); ok {
			return DateOfBirth, i, b
		}
		if b, ok := s.dobDayFirstAt(i); ok {
			return DateOfBirth, i, b
		}
	case tkPunct:
		if t.ch == '+' || t.ch == '(' {
			if b, ok := s.phoneAt(i); ok {
				return Phone, i, b
			}
		}
	case tkWord:
		if t.flags&fMonth != 0 {
			if b, ok := s.dobMonthFirstAt(i); ok {
				return DateOfBirth, i, b
			}
		}
		if t.flags&fAlien != 0 || (t.be-t.bs == 1 && s.str(i)[0]|0x20 == 'a') {
			if a, b, ok := s.aNumberAt(i); ok {
				return ANumber, a, b
			}
		}
	case tkAlnum:
		if s.aNumberAlnum(i) {
			return ANumber, i, i
		}
		if b, ok := s.dobDayFirstAt(i); ok {
			return DateOfBirth, i, b
		}
	}
	return "", -1, -1
}

// ctx looks back from token i for context words: it returns +1 if a word
// with a pos flag comes first within reach words, -1 if a negative word comes
// first within negWords words (only when neg is set), 0 otherwise.
// Punctuation is skipped but counted against a cap, so the look-back is
// bounded whatever precedes i.
func (s *scanner) ctx(i int, pos uint32, reach int, neg bool) int {
	words := 0
	for j, steps := i-1, 0; j >= 0 && steps < 3*reach+2; j, steps = j-1, steps+1 {
		t := &s.toks[j]
		if t.kind == tkPunct {
			continue
		}
		words++
		if t.flags&pos != 0 || (pos&fBirth != 0 && s.isDottedDOB(j)) {
			return 1
		}
		if neg && words <= negWords && t.flags&fNeg != 0 {
			return -1
		}
		if words >= reach {
			break
		}
	}
	return 0
}

// startOK reports whether a match may start at token i: it must not continue
// a number or word through '-', '.', '/', '_' or '@' ("9-123-45-6789",
// "v2.305.555.0134"), nor a number through ',' or ':' ("1,305", "10:305";
// "SSN:123-45-6789" is fine), nor follow a currency sign.
func (s *scanner) startOK(i int) bool {
	if !s.adjacent(i) {
		return true
	}
	p := &s.toks[i-1]
	if p.kind != tkPunct {
		return false
	}
	switch p.ch {
	case '$':
		return false
	case '-', '.', '/', '_', '@':
		return !(s.adjacent(i-1) && s.isWordTok(i-2))
	case ',', ':':
		return !(s.adjacent(i-1) && s.isWordTok(i-2) && s.toks[i-2].kind != tkWord)
	case 0:
		switch s.str(i - 1) {
		case "€", "£", "¥", "₹", "₱", "₩":
			return false
		}
	}
	return true
}

// endOK reports whether a match may end at token i: the next token must not
// continue it ("305-555-0134-22", "0134/5", "6789.5", "6789,000", "0134@host",
// "6789%"). A word after '.', ',' or ':' is just a missing space.
func (s *scanner) endOK(i int) bool {
	j := i + 1
	if !s.adjacent(j) {
		return true
	}
	t := &s.toks[j]
	if t.kind != tkPunct {
		return false
	}
	switch t.ch {
	case '%', '@':
		return false
	case '-', '/', '_', '+':
		return !(s.adjacent(j+1) && s.isWordTok(j+1))
	case '.', ',', ':':
		return !(s.adjacent(j+1) && s.isWordTok(j+1) && s.toks[j+1].kind != tkWord)
	}
	return true
}

// sepAfter returns the token after the separator that follows token i, and
// the separator: one punctuation byte from seps glued on both sides, or a
// single space if seps contains ' '. It returns -1 if there is none.
func (s *scanner) sepAfter(i int, seps string) (int, byte) {
	j := i + 1
	if j >= len(s.toks) {
		return -1, 0
	}
	t := &s.toks[j]
	if t.kind == tkPunct {
		if t.gap == gapNone && t.ch != 0 && strings.IndexByte(seps, t.ch) >= 0 && s.adjacent(j+1) {
			return j + 1, t.ch
		}
		return -1, 0
	}
	if t.gap == gapSpace && strings.IndexByte(seps, ' ') >= 0 {
		return j, ' '
	}
	return -1, 0
}

// ssnAt matches an SSN at token i: 3-2-4 digits joined by '-' or single
// spaces (the same separator twice), or 9 bare digits after an SSN context
// word. Area 000, 666 and 900-999, group 00 and serial 0000 are never issued.
func (s *scanner) ssnAt(i int) (int, bool) {
	end := -1
	var area, group, serial int
	switch s.numLen(i) {
	case 3:
		j, sep1 := s.sepAfter(i, "- ")
		if s.numLen(j) != 2 {
			return 0, false
		}
		k, sep2 := s.sepAfter(j, "- ")
		if s.numLen(k) != 4 || sep1 != sep2 {
			return 0, false
		}
		area, group, serial, end = s.numVal(i), s.numVal(j), s.numVal(k), k
	case 9:
		v := s.numVal(i)
		area, group, serial, end = v/1000000, v/10000%100, v%10000, i
	default:
		return 0, false
	}
	if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
		return 0, false
	}
	if !s.startOK(i) || !s.endOK(end) {
		return 0, false
	}
	c := s.ctx(i, fSSN, ssnWords, true)
	if c < 0 || (end == i && c == 0) {
		return 0, false
	}
	return end, true
}
