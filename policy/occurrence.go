package policy

import (
	"github.com/reportbot/reportbot/policy/textnorm"
)

// span is a run of tokens, first and last inclusive.
type span struct{ first, last int }

// occurrence is one place a concept was found.
type occurrence struct {
	concept int
	span
}

// occurrences finds every concept in the tokens, once per concept and start.
func (c *Classifier) occurrences(toks []textnorm.Token) []occurrence {
	var occ []occurrence
	seen := map[[2]int]bool{}
	add := func(concept, first, last int) {
		k := [2]int{concept, first}
		if seen[k] {
			return
		}
		seen[k] = true
		occ = append(occ, occurrence{concept: concept, span: span{first, last}})
	}
	upperRun := 0
	for i, tok := range toks {
		for _, f := range tok.Forms {
			c.ix.candidates(f, func(t *term) {
				if n := t.matchAt(toks, i); n > 0 {
					add(t.concept, i, i+n-1)
				}
			})
		}
		if tok.Has(textnorm.Mention) {
			add(c.mention, i, i)
		}
		if tok.Has(textnorm.Upper) && !tok.Has(textnorm.Number) {
			upperRun++
			if upperRun >= shoutingRun {
				add(c.shouting, i-upperRun+1, i)
			}
		} else {
			upperRun = 0
		}
	}
	return occ
}

// bestFiring finds the strongest place where every slot of r is filled
// within its window, and returns the weight there (damped when framed as a
// rule, zero when cancelled) and the spans used.
func (c *Classifier) bestFiring(r *compiledRule, occ []occurrence, toks []textnorm.Token) (float64, []span) {
	best := 0.0
	var bestSpans []span
	for _, anchor := range occ {
		if !inSlot(anchor.concept, r.slots[0]) {
			continue
		}
		used := []span{anchor.span}
		lo, hi := anchor.first, anchor.last
		ok := true
		for _, slot := range r.slots[1:] {
			o, found := nearest(occ, slot, anchor.span)
			if !found {
				ok = false
				break
			}
			used = append(used, o)
			lo, hi = min(lo, o.first), max(hi, o.last)
		}
		if !ok || (r.within > 0 && hi-lo+1 > r.within) {
			continue
		}
		if c.cancelled(r, occ, lo, hi) {
			continue
		}
		w := r.weight
		if c.framed(occ, toks, lo, hi) {
			w *= c.damp
		}
		if w > best {
			best, bestSpans = w, used
		}
	}
	return best, bestSpans
}

func inSlot(concept int, alts []int) bool {
	for _, a := range alts {
		if a == concept {
			return true
		}
	}
	return false
}

// nearest returns the occurrence of any concept in alts closest to s.
func nearest(occ []occurrence, alts []int, s span) (span, bool) {
	bestDist := -1
	var best span
	for _, o := range occ {
		if !inSlot(o.concept, alts) {
			continue
		}
		d := 0
		switch {
		case o.last < s.first:
			d = s.first - o.last
		case o.first > s.last:
			d = o.first - s.last
		}
		if bestDist < 0 || d < bestDist {
			bestDist, best = d, o.span
		}
	}
	return best, bestDist >= 0
}

// cancelled reports whether an unless concept stands within the rule's
// window of tokens lo..hi.
func (c *Classifier) cancelled(r *compiledRule, occ []occurrence, lo, hi int) bool {
	if len(r.unless) == 0 {
		return false
	}
	reach := r.within
	if reach == 0 {
		reach = 1 << 30
	}
	for _, o := range occ {
		if inSlot(o.concept, r.unless) && o.last >= lo-reach && o.first <= hi+reach {
			return true
		}
	}
	return false
}

// framed reports whether a framing cue ("never", "reminder:") stands just
// before or inside tokens lo..hi in the same sentence: the text states the
// rule instead of breaking it.
func (c *Classifier) framed(occ []occurrence, toks []textnorm.Token, lo, hi int) bool {
	if c.framing < 0 {
		return false
	}
	for _, o := range occ {
		if o.concept != c.framing || o.last < lo-c.before || o.first > hi {
			continue
		}
		if toks[o.first].Sentence == toks[lo].Sentence || toks[o.last].Sentence == toks[lo].Sentence {
			return true
		}
	}
	return false
}
