package pii

// Phone numbers: North American (NANP) numbers in the usual written shapes,
// optionally with a 1 or +1 prefix, and international +<country> numbers.
// Bare ten-digit runs are too often order or tracking numbers, so they need
// a phone context word ("call", "phone", "tel") before them.

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
