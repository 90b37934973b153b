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
		if tok.Has(textnorm.Upper) && !tok.Has(textnorm.Hashtag) && len(tok.Word()) >= capsLetters {
			add(c.caps, i, i)
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
	return c.dropNegated(occ, toks)
}

// negationReach is how far after a negating word its effect lasts: "no
// detainees", "not a detainee".
const negationReach = 2

// dropNegated removes occurrences that follow a negating word closely in
// the same sentence.
func (c *Classifier) dropNegated(occ []occurrence, toks []textnorm.Token) []occurrence {
	if c.negator < 0 {
		return occ
	}
	var negs []span
	for _, o := range occ {
		if o.concept == c.negator {
			negs = append(negs, o.span)
		}
	}
	if len(negs) == 0 {
		return occ
	}
	kept := occ[:0]
	for _, o := range occ {
		negated := false
		if o.concept != c.negator {
			for _, n := range negs {
				if n.last < o.first && o.first-n.last <= negationReach && toks[n.last].Sentence == toks[o.first].Sentence {
					negated = true
					break
				}
			}
		}
		if !negated {
			kept = append(kept, o)
		}
	}
	return kept
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
			o, found := nearest(occ, slot, anchor.span, used)
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

// nearest returns the occurrence of any concept in alts closest to s that
// does not overlap the spans already used: one word cannot fill two slots
// ("vote" is not both the politics and the call to action).
func nearest(occ []occurrence, alts []int, s span, used []span) (span, bool) {
	bestDist := -1
	var best span
	for _, o := range occ {
		if !inSlot(o.concept, alts) || overlapsAny(o.span, used) {
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

func overlapsAny(s span, used []span) bool {
	for _, u := range used {
		if s.first <= u.last && u.first <= s.last {
			return true
		}
	}
	return false
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

// framed reports whether a framing cue stands near tokens lo..hi in the same
// sentence: the text states the rule instead of breaking it. Cues such as
// "never" count just before or inside the match; cues such as "reminder"
// count on either side.
func (c *Classifier) framed(occ []occurrence, toks []textnorm.Token, lo, hi int) bool {
	for _, o := range occ {
		var near bool
		switch o.concept {
		case c.framing:
			near = o.last >= lo-c.before && o.first <= hi
		case c.framingAround:
			near = o.last >= lo-c.before && o.first <= hi+c.before
		case c.framingStart:
			near = o.first == 0 || toks[o.first-1].Sentence != toks[o.first].Sentence
			near = near && toks[o.first].Sentence == toks[lo].Sentence
		default:
			continue
		}
		if near && (toks[o.first].Sentence == toks[lo].Sentence || toks[o.last].Sentence == toks[hi].Sentence) {
			return true
		}
	}
	return false
}
