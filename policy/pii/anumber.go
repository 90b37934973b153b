package pii

// A-numbers (alien registration numbers): 7 to 9 digits written after the
// letter A or after an explicit "alien"/"USCIS" number context. The guards
// of numbers.go (boundaries, negative context) apply as for other numbers.

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
// when only punctuation separates it from the digits ("A# 012 345 678"),
// else at the digits ("A number 12345678").
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
