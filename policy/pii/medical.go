package pii

// Medical terms are PII only when they describe an identified person, so
// detection takes two passes: markPersons flags tokens that identify someone,
// then markMedical flags medical terms with such a token within medWindow
// words on either side. Both passes look a bounded distance from each token,
// so they stay linear.

const (
	medWindow    = 8  // words between a medical term and a person reference
	pronounReach = 30 // words a pronoun may follow a name and still refer to it
)

// markPersons flags references to identified persons:
//   - two adjacent capitalised words that are not dictionary words ("Maria Gonzalez"),
//   - an honorific or role word followed by a name or initial and name
//     ("Mr. Chen", "detainee Ramirez", "patient J. Smith"),
//   - an initial followed by a name ("J. Smith"),
//   - an @mention,
//   - a pronoun that follows such a name within pronounReach words.
func (s *scanner) markPersons() {
	toks := s.toks
	last := int32(-pronounReach - 1) // word index of the last name seen
	mark := func(j int) {
		toks[j].mark |= mPerson
		last = toks[j].widx
	}
	for i := range toks {
		t := &toks[i]
		switch {
		case t.kind == tkPunct:
			if t.ch == '@' && s.isMention(i) {
				mark(i + 1)
			}
		case t.kind != tkWord || t.mark&mInEmail != 0:
		case t.flags&(fHonor|fRole) != 0:
			j := i + 1
			if s.isPunct(j, '.') && s.adjacent(j) {
				j++ // "Mr."
			}
			if (s.isPunct(j, ',') || s.isPunct(j, ':')) && s.adjacent(j) {
				j++ // "detainee, Ramirez", "patient: Smith"
			}
			if s.isInitial(j) {
				j += 2 // "J."
			}
			if j < len(toks) && toks[j].gap != gapNone && s.isName(j, true) {
				mark(j)
				if s.isName(j+1, false) && toks[j+1].gap == gapSpace {
					mark(j + 1)
				}
			}
		case t.flags&fPronoun != 0:
			if t.widx-last <= pronounReach {
				t.mark |= mPerson
			}
		case t.title && t.flags == 0:
			if s.isName(i+1, false) && toks[i+1].gap == gapSpace {
				mark(i)
				mark(i + 1)
			}
		case s.isInitial(i):
			if s.isName(i+2, false) && toks[i+2].gap != gapNone {
				mark(i + 2)
			}
		}
	}
}

// isName reports whether token j can be (part of) a personal name: a
// capitalised word that is not in the dictionary. allCaps also accepts
// "RAMIREZ", which is only safe right after an honorific or role word.
func (s *scanner) isName(j int, allCaps bool) bool {
	if j < 0 || j >= len(s.toks) {
		return false
	}
	t := &s.toks[j]
	if t.kind != tkWord || t.flags != 0 || t.mark&mInEmail != 0 {
		return false
	}
	return t.title || (allCaps && t.upper && t.re-t.rs > 1)
}

// isInitial reports whether token j is a single capital letter followed
// directly by a period ("J.").
func (s *scanner) isInitial(j int) bool {
	if j < 0 || j >= len(s.toks) {
		return false
	}
	t := &s.toks[j]
	return t.kind == tkWord && t.upper && t.re-t.rs == 1 && s.isPunct(j+1, '.') && s.adjacent(j+1)
}

// markMedical flags medical terms (and two-word medical phrases) that have a
// person reference within medWindow words.
func (s *scanner) markMedical() {
	toks := s.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.kind != tkWord || t.flags&(fMedical|fMedHead) == 0 || t.mark&mInEmail != 0 {
			continue
		}
		end := -1
		if t.flags&fMedHead != 0 {
			end = s.phraseEnd(i)
		}
		if end < 0 {
			if t.flags&fMedical == 0 {
				continue
			}
			end = i
		}
		if s.personNear(i, end) {
			t.mark |= mMedical
			t.aux = int32(end)
			i = end
		}
	}
}

// phraseEnd returns the last token of a medical phrase starting at head token
// i, or -1 if none follows.
func (s *scanner) phraseEnd(i int) int {
	head := s.str(i)
	j := i + 1
	if j >= len(s.toks) {
		return -1
	}
	joined := false // head and tail joined by '-' or '/'
	if (s.isPunct(j, '-') || s.isPunct(j, '/')) && s.adjacent(j) && s.adjacent(j+1) {
		j++
		joined = true
	}
	for _, p := range medPhrases {
		if !eqFold(head, p.head) {
			continue
		}
		if p.tail == "+" {
			if !joined && s.isPunct(j, '+') && s.adjacent(j) {
				return j
			}
			continue
		}
		if t := &s.toks[j]; t.kind != tkPunct && (joined || t.gap == gapSpace) && t.mark&mInEmail == 0 && eqFold(s.str(j), p.tail) {
			return j
		}
	}
	return -1
}

// personNear reports whether a person reference lies within medWindow words
// before token a or after token b. The token count is capped too, so long
// runs of punctuation cannot make the window expensive.
func (s *scanner) personNear(a, b int) bool {
	toks := s.toks
	const maxSteps = 4 * medWindow
	for j, n := a-1, 0; j >= 0 && n < maxSteps; j, n = j-1, n+1 {
		if toks[a].widx-toks[j].widx > medWindow {
			break
		}
		if toks[j].mark&mPerson != 0 {
			return true
		}
	}
	for j, n := b+1, 0; j < len(toks) && n < maxSteps; j, n = j+1, n+1 {
		if toks[j].widx-toks[b].widx > medWindow {
			break
		}
		if toks[j].mark&mPerson != 0 {
			return true
		}
	}
	return false
}
