package pii

// E-mail addresses are found from their '@' token outwards, before any other
// detector runs, so digits inside an address ("jdoe1985@x.org") are never
// reported as numbers. Each extension stops at the previous or next '@' or at
// an address already found, so every token is visited a bounded number of
// times even in text made only of '@', dots and letters.

// isLocalPunct reports whether c may appear in the local part of an address.
func isLocalPunct(c byte) bool {
	switch c {
	case '.', '_', '%', '+', '-', '\'':
		return true
	}
	return false
}

// markEmails marks local@domain.tld spans: a non-empty local part of letters,
// digits and ._%+-' glued to the '@', and a domain of labels joined by '.' or
// '-' with at least one dot and an alphabetic top-level label of two or more
// letters. "@user" mentions and "foo@bar" (no dot) are not addresses.
func (s *scanner) markEmails() {
	toks := s.toks
	for k := range toks {
		if toks[k].kind != tkPunct || toks[k].ch != '@' || toks[k].gap != gapNone {
			continue
		}
		a := k
		for a > 0 && toks[a].gap == gapNone {
			p := &toks[a-1]
			if p.mark&mInEmail != 0 || (p.kind == tkPunct && !isLocalPunct(p.ch)) {
				break
			}
			a--
		}
		for a < k && toks[a].kind == tkPunct {
			a++ // the local part starts with a letter or digit
		}
		if a == k || s.isPunct(k-1, '.') {
			continue
		}
		b := k
		for b+1 < len(toks) && toks[b+1].gap == gapNone {
			q := &toks[b+1]
			if q.kind == tkPunct && ((q.ch != '.' && q.ch != '-') || toks[b].kind == tkPunct) {
				break // not a domain character, or two punctuation marks in a row
			}
			b++
		}
		for b > k && toks[b].kind == tkPunct {
			b-- // trailing "." or "-" ends the sentence, not the domain
		}
		if b < k+3 || !s.isPunct(b-1, '.') || toks[b].kind != tkWord || toks[b].be-toks[b].bs < 2 {
			continue
		}
		toks[a].mark |= mEmail
		toks[a].aux = int32(b)
		for j := a; j <= b; j++ {
			toks[j].mark |= mInEmail
		}
	}
}

// isMention reports whether the '@' at token k starts an @mention: it is not
// glued to a preceding word (that would be "foo@bar") and a name follows it
// directly.
func (s *scanner) isMention(k int) bool {
	t := &s.toks[k]
	if t.mark&mInEmail != 0 || !s.isWordTok(k+1) || !s.adjacent(k+1) {
		return false
	}
	if k == 0 || t.gap != gapNone {
		return true
	}
	p := &s.toks[k-1]
	return p.kind == tkPunct && !isLocalPunct(p.ch) && p.ch != '@'
}
