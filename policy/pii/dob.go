package pii

// Dates are everywhere in reports (incident dates, meeting dates), so a date
// counts as a date of birth only when a birth context word ("DOB", "born",
// "date of birth", "birthday", "d.o.b.") comes within birthWords words before
// it. The span is the date only, never the context word.

var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func validDate(y, m, d, yearDigits int) bool {
	if m < 1 || m > 12 || d < 1 || d > daysIn[m] {
		return false
	}
	return yearDigits == 2 || (yearDigits == 4 && y >= 1880 && y <= 2099)
}

// dobNumericAt matches 03/14/1985, 3-14-85, 14.03.1985 (month and day in
// either order) and 1985-03-14, with the same separator twice.
func (s *scanner) dobNumericAt(i int) (int, bool) {
	n1 := s.numLen(i)
	if n1 == 0 || n1 == 3 || n1 > 4 {
		return 0, false
	}
	j, sep := s.sepAfter(i, "/-.")
	n2 := s.numLen(j)
	if n2 == 0 || n2 > 2 {
		return 0, false
	}
	k, sep2 := s.sepAfter(j, "/-.")
	n3 := s.numLen(k)
	if n3 == 0 || sep2 != sep {
		return 0, false
	}
	v1, v2, v3 := s.numVal(i), s.numVal(j), s.numVal(k)
	switch {
	case n1 == 4 && n3 <= 2:
		if !validDate(v1, v2, v3, 4) {
			return 0, false
		}
	case n1 <= 2 && (n3 == 2 || n3 == 4):
		if !validDate(v3, v1, v2, n3) && !validDate(v3, v2, v1, n3) {
			return 0, false
		}
	default:
		return 0, false
	}
	if !s.startOK(i) || !s.endOK(k) || s.ctx(i, fBirth, birthWords, false) <= 0 {
		return 0, false
	}
	return k, true
}

// dobMonthFirstAt matches "March 14, 1985", "Mar. 14 1985", "March 14th, 1985"
// starting at the month word i.
func (s *scanner) dobMonthFirstAt(i int) (int, bool) {
	month := int(s.toks[i].val)
	j := i + 1
	if s.isPunct(j, '.') && s.adjacent(j) {
		j++
	}
	if j >= len(s.toks) || s.toks[j].gap != gapSpace {
		return 0, false
	}
	day := s.dayAt(j)
	end, year := s.yearAfter(j)
	if day == 0 || end < 0 || !validDate(year, month, day, 4) {
		return 0, false
	}
	if !s.endOK(end) || s.ctx(i, fBirth, birthWords, false) <= 0 {
		return 0, false
	}
	return end, true
}

// dobDayFirstAt matches "14 March 1985", "14th of March, 1985", "14 Mar. 1985"
// starting at the day token i.
func (s *scanner) dobDayFirstAt(i int) (int, bool) {
	day := s.dayAt(i)
	if day == 0 {
		return 0, false
	}
	j := i + 1
	if j < len(s.toks) && s.toks[j].kind == tkWord && eqFold(s.str(j), "of") {
		j++
	}
	if j >= len(s.toks) || s.toks[j].gap != gapSpace || s.toks[j].kind != tkWord || s.toks[j].flags&fMonth == 0 {
		return 0, false
	}
	month := int(s.toks[j].val)
	if s.isPunct(j+1, '.') && s.adjacent(j+1) {
		j++
	}
	end, year := s.yearAfter(j)
	if end < 0 || !validDate(year, month, day, 4) {
		return 0, false
	}
	if !s.startOK(i) || !s.endOK(end) || s.ctx(i, fBirth, birthWords, false) <= 0 {
		return 0, false
	}
	return end, true
}

// dayAt returns the day of month written at token i ("14", "14th", "1st"),
// or 0.
func (s *scanner) dayAt(i int) int {
	if i < 0 || i >= len(s.toks) || s.toks[i].mark&mInEmail != 0 {
		return 0
	}
	str := s.str(i)
	n := 0
	for n < len(str) && n < 3 && str[n] >= '0' && str[n] <= '9' {
		n++
	}
	if n == 0 || n > 2 {
		return 0
	}
	switch suf := str[n:]; {
	case suf == "":
	case len(suf) == 2 && (eqFold(suf, "st") || eqFold(suf, "nd") || eqFold(suf, "rd") || eqFold(suf, "th")):
	default:
		return 0
	}
	d := int(str[0] - '0')
	if n == 2 {
		d = d*10 + int(str[1]-'0')
	}
	return d
}

// yearAfter finds a four-digit year after token j, optionally after a comma:
// it returns the year's token index and value, or -1.
func (s *scanner) yearAfter(j int) (int, int) {
	k := j + 1
	if s.isPunct(k, ',') && s.adjacent(k) {
		k++
		if k >= len(s.toks) || s.toks[k].gap > gapSpace {
			return -1, 0
		}
	} else if k >= len(s.toks) || s.toks[k].gap != gapSpace {
		return -1, 0
	}
	if s.numLen(k) != 4 {
		return -1, 0
	}
	return k, s.numVal(k)
}

// isDottedDOB reports whether token j is the "b" of "d.o.b".
func (s *scanner) isDottedDOB(j int) bool {
	return j >= 4 && eqFold(s.str(j), "b") && eqFold(s.str(j-2), "o") && eqFold(s.str(j-4), "d") &&
		s.isPunct(j-1, '.') && s.isPunct(j-3, '.') &&
		s.adjacent(j) && s.adjacent(j-1) && s.adjacent(j-2) && s.adjacent(j-3)
}
