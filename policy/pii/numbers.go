package pii

import "strings"

// Number-shaped PII: SSNs, A-numbers and phone numbers (dates of birth are in
// dob.go). Every matcher works on digit-group tokens and applies three guards
// that keep order numbers, versions, money and the like out:
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
		if t.flags&fAlien != 0 || (t.be-t.bs == 1 && t.text(s.text)[0]|0x20 == 'a') {
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

func (t *token) text(s string) string { return s[t.bs:t.be] }

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
// a number or word through '-', '.', '/', ',' or ':' ("9-123-45-6789",
// "v2.305.555.0134") nor follow a currency sign.
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
	case '-', '.', '/', ',', ':', '_', '@':
		return !(s.adjacent(i-1) && s.isWordTok(i-2))
	case 0:
		switch p.text(s.text) {
		case "€", "£", "¥", "₹", "₱", "₩":
			return false
		}
	}
	return true
}

// endOK reports whether a match may end at token i: the next token must not
// continue it ("305-555-0134-22", "6789.5", "0134@host", "6789%").
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
	case '-', '.', '/', ',', ':', '_', '+':
		return !(s.adjacent(j+1) && s.isWordTok(j+1))
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

// phoneAt matches a phone number starting at token i ('+', '(' or digits).
func (s *scanner) phoneAt(i int) (int, bool) {
	if !s.startOK(i) {
		return 0, false
	}
	end, needCtx := -1, false
	t := &s.toks[i]
	switch {
	case t.kind == tkPunct && t.ch == '+':
		if s.isWordTok(i-1) && s.adjacent(i) {
			return 0, false // "C+", "2+2"
		}
		end = s.plusPhone(i + 1)
	case s.numLen(i) == 1 && s.str(i) == "1":
		// "1-800-555-0199", "1 (305) 555-0134"
		if j, _ := s.sepAfter(i, "-. "); j >= 0 {
			end, _ = s.nanp(j)
		} else if s.isPunct(i+1, '(') && s.toks[i+1].gap == gapSpace {
			end, _ = s.nanp(i + 1)
		}
	default:
		end, needCtx = s.nanp(i)
	}
	if end < 0 || !s.endOK(end) {
		return 0, false
	}
	c := s.ctx(i, fPhone, phoneWords, true)
	if c < 0 || (needCtx && c == 0) {
		return 0, false
	}
	return end, true
}

// plusPhone matches the digits after a '+' at token i. Country code 1 must be
// followed by a valid NANP number; other numbers are digit groups joined by
// single spaces, '-' or '.', 8 to 15 digits in all (E.164).
func (s *scanner) plusPhone(i int) int {
	n := s.numLen(i)
	if n == 0 || !s.adjacent(i) || s.str(i)[0] == '0' {
		return -1
	}
	if s.str(i)[0] == '1' {
		switch n {
		case 1:
			if j, _ := s.sepAfter(i, "-. "); j >= 0 {
				end, _ := s.nanp(j)
				return end
			}
			if s.isPunct(i+1, '(') && s.toks[i+1].gap <= gapSpace {
				end, _ := s.nanp(i + 1)
				return end
			}
		case 11:
			if validNANP(s.str(i)[1:]) {
				return i
			}
		}
		return -1
	}
	total, end := n, i
	for groups := 1; groups < 8; groups++ {
		j, _ := s.sepAfter(end, "-. ")
		m := s.numLen(j)
		if m == 0 || total+m > 15 {
			break
		}
		total, end = total+m, j
	}
	if total < 8 || total > 15 {
		return -1
	}
	return end
}

// nanp matches a North American number at token i: "(305) 555-0134",
// "305-555-0134", "305.555.0134", "305 555 0134", or ten bare digits (eleven
// with a leading 1), which need phone context (needCtx). Area code and exchange start with 2-9.
func (s *scanner) nanp(i int) (end int, needCtx bool) {
	var area, exch int // token indices
	if s.isPunct(i, '(') {
		if s.numLen(i+1) != 3 || !s.adjacent(i+1) || !s.isPunct(i+2, ')') || !s.adjacent(i+2) {
			return -1, false
		}
		area, exch = i+1, i+3
		if exch >= len(s.toks) || s.toks[exch].gap > gapSpace || s.numLen(exch) != 3 {
			return -1, false
		}
	} else {
		switch s.numLen(i) {
		case 3:
			area = i
			j, _ := s.sepAfter(i, "-. ")
			if s.numLen(j) != 3 {
				return -1, false
			}
			exch = j
		case 10:
			if !validNANP(s.str(i)) {
				return -1, false
			}
			return i, true
		case 11:
			if d := s.str(i); d[0] != '1' || !validNANP(d[1:]) {
				return -1, false
			}
			return i, true
		default:
			return -1, false
		}
	}
	line, _ := s.sepAfter(exch, "-. ")
	if s.numLen(line) != 4 || s.str(area)[0] < '2' || s.str(exch)[0] < '2' {
		return -1, false
	}
	return line, false
}

// validNANP checks ten digits for area code and exchange starting with 2-9.
func validNANP(d string) bool {
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
}

// aNumberAlnum matches a glued A-number token: "A123456789", "a1234567".
func (s *scanner) aNumberAlnum(i int) bool {
	str := s.str(i)
	if len(str) < 8 || len(str) > 10 || str[0]|0x20 != 'a' {
		return false
	}
	for j := 1; j < len(str); j++ {
		if str[j] < '0' || str[j] > '9' {
			return false
		}
	}
	return s.startOK(i) && s.endOK(i) && s.ctx(i, 0, negWords, true) >= 0
}

// aNumberAt matches an A-number from an anchor at token i: the letter A or
// the word "alien"/"uscis", optional filler ('-', '#', ':', '.', "number",
// "no.", "registration", ...) and 7 to 9 digits in up to four groups joined
// by '-', '.' or single spaces ("A-123-456-789", "A# 012 345 678",
// "alien registration number 012345678"). The span starts at the letter A
// when only '-' or '#' separate it from the digits, else at the digits.
// A lower-case "a" is an anchor only when glued to '-' or '#' ("a-number",
// "a#"); otherwise it is the article.
func (s *scanner) aNumberAt(i int) (a, b int, ok bool) {
	letter := s.toks[i].flags&fAlien == 0
	words, puncts := false, false
	j := i + 1
	for steps := 0; steps < 5 && j < len(s.toks); steps++ {
		t := &s.toks[j]
		if t.kind == tkPunct && (t.ch == '-' || t.ch == '#' || t.ch == ':' || t.ch == '.') {
			puncts = true
		} else if t.kind == tkWord && t.flags&fANumSkip != 0 {
			words = true
		} else {
			break
		}
		j++
	}
	if s.numLen(j) == 0 || s.toks[j].gap > gapSpace {
		return 0, 0, false
	}
	if letter && s.str(i) == "a" && !((s.isPunct(i+1, '-') || s.isPunct(i+1, '#')) && s.adjacent(i+1)) {
		return 0, 0, false // the article: "a file 12345678"
	}
	if letter && !words && !puncts && s.toks[j].gap != gapSpace {
		return 0, 0, false
	}
	total, end := s.numLen(j), j
	for groups := 1; groups < 4; groups++ {
		k, _ := s.sepAfter(end, "-. ")
		m := s.numLen(k)
		if m == 0 || total+m > 9 {
			break
		}
		total, end = total+m, k
	}
	if total < 7 || total > 9 || !s.endOK(end) || !s.startOK(i) || s.ctx(i, 0, negWords, true) < 0 {
		return 0, 0, false
	}
	if letter && !words {
		return i, end, true
	}
	return j, end, true
}
