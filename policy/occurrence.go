package policy

import (
	"sort"

	"github.com/reportbot/reportbot/policy/textnorm"
)

// span is a run of tokens, first and last inclusive.
type span struct{ first, last int }

// occurrence is one place a concept was found.
type occurrence struct {
	concept int
	span
}

// found holds a text's concept occurrences, per concept in text order, so a
// rule looks only at the concepts it names and finds neighbours by binary
// search: the cost stays close to linear in the length of the text.
type found struct {
	// by holds, per concept index, its occurrences in text order.
	by [][]span
	// touched lists the concepts found, to reset the slices for reuse.
	touched []int
	toks    []textnorm.Token
	// framedSentences are the sentences a framing cue opens.
	framedSentences map[int]bool
	// scratch holds the tokenizer's buffers for reuse.
	scratch textnorm.Scratch
	// The model's scratch space (model.go).
	seenFeat  []bool
	feats     []int32
	featSpans []span
	probs     []float64
}

func (f *found) has(concept int) bool { return concept >= 0 && len(f.by[concept]) > 0 }

// spans returns a concept's occurrences; none for the -1 of an unset concept.
func (f *found) spans(concept int) []span {
	if concept < 0 {
		return nil
	}
	return f.by[concept]
}

// reset empties f for the next text, keeping its memory.
func (f *found) reset() {
	for _, c := range f.touched {
		f.by[c] = f.by[c][:0]
	}
	f.touched = f.touched[:0]
	for _, fi := range f.feats {
		f.seenFeat[fi] = false
	}
	f.feats, f.featSpans = f.feats[:0], f.featSpans[:0]
	f.toks = nil
	clear(f.framedSentences)
}

// analyse tokenises text and finds its concepts, in a pooled table that the
// caller hands back with release.
func (c *Classifier) analyse(text string) *found {
	f := c.pool.Get().(*found)
	c.occurrences(f, f.scratch.Tokenize(text, c.ix))
	return f
}

func (c *Classifier) release(f *found) {
	f.reset()
	c.pool.Put(f)
}

// occurrences finds every concept in the tokens, once per concept and start.
func (c *Classifier) occurrences(f *found, toks []textnorm.Token) {
	f.toks = toks
	add := func(concept, first, last int) {
		list := f.by[concept]
		if len(list) == 0 {
			f.touched = append(f.touched, concept)
		}
		if n := len(list); n > 0 && list[n-1].first == first {
			if last > list[n-1].last {
				list[n-1].last = last
			}
			return
		}
		f.by[concept] = append(list, span{first, last})
	}
	upperRun := 0
	for i, tok := range toks {
		c.ix.each(toks, i, func(t *term) {
			if n := t.matchAt(toks, i); n > 0 {
				for _, concept := range t.concepts {
					add(concept, i, i+n-1)
				}
			}
		})
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
	c.dropNegated(f)
	for _, s := range f.spans(c.framingStart) {
		// A cue opens its sentence, or follows an opener such as "Reminder:".
		if s.first == 0 || toks[s.first-1].Sentence != toks[s.first].Sentence || f.opensAfterLabel(s.first) {
			if f.framedSentences == nil {
				f.framedSentences = map[int]bool{}
			}
			f.framedSentences[toks[s.first].Sentence] = true
		}
	}
}

// opensAfterLabel reports whether token i follows a one- or two-word label
// that opens its sentence ("Reminder: never …", "EEO reminder: …").
func (f *found) opensAfterLabel(i int) bool {
	for back := 1; back <= 2 && i-back >= 0; back++ {
		j := i - back
		if f.toks[j].Sentence != f.toks[i].Sentence {
			return false
		}
		if j == 0 || f.toks[j-1].Sentence != f.toks[j].Sentence {
			return f.toks[i-1].Has(textnorm.Colon)
		}
	}
	return false
}

// negationReach is how far after a negating word its effect lasts: "no
// detainees", "not a detainee".
const negationReach = 2

// dropNegated removes occurrences that follow a negating word closely in
// the same sentence.
func (c *Classifier) dropNegated(f *found) {
	negs := f.spans(c.negator)
	if len(negs) == 0 {
		return
	}
	for _, concept := range f.touched {
		if concept == c.negator {
			continue
		}
		list := f.by[concept]
		kept := list[:0]
		for _, s := range list {
			if !f.negated(negs, s) {
				kept = append(kept, s)
			}
		}
		f.by[concept] = kept
	}
}

func (f *found) negated(negs []span, s span) bool {
	// The last negator that ends before s starts.
	k := sort.Search(len(negs), func(i int) bool { return negs[i].last >= s.first }) - 1
	if k < 0 {
		return false
	}
	n := negs[k]
	return s.first-n.last <= negationReach && f.toks[n.last].Sentence == f.toks[s.first].Sentence
}

// bestFiring finds the strongest place where every slot of r is filled
// within its window, and returns the weight there (damped when framed as a
// rule, zero when cancelled) and the spans used.
func (c *Classifier) bestFiring(r *compiledRule, f *found) (float64, []span) {
	best := 0.0
	var bestSpans []span
	used := make([]span, 0, len(r.slots))
	for _, first := range r.slots[0] {
		for _, anchor := range f.by[first] {
			used = append(used[:0], anchor)
			lo, hi := anchor.first, anchor.last
			ok := true
			for _, slot := range r.slots[1:] {
				o, found := f.nearest(slot, anchor, used)
				if !found {
					ok = false
					break
				}
				used = append(used, o)
				lo, hi = min(lo, o.first), max(hi, o.last)
			}
			if !ok || (r.within > 0 && hi-lo+1 > r.within) || c.cancelled(r, f, lo, hi) {
				continue
			}
			w := r.weight
			if c.framed(f, lo, hi) {
				w *= c.damp
			}
			if w > best {
				best, bestSpans = w, append([]span(nil), used...)
				if w == r.weight {
					return best, bestSpans
				}
			}
		}
	}
	return best, bestSpans
}

// nearest returns the occurrence of any concept in alts closest to s that
// does not overlap the spans already used: one word cannot fill two slots
// ("vote" is not both the politics and the call to action).
func (f *found) nearest(alts []int, s span, used []span) (span, bool) {
	bestDist := -1
	var best span
	consider := func(o span) bool {
		if overlapsAny(o, used) {
			return false
		}
		d := 0
		switch {
		case o.last < s.first:
			d = s.first - o.last
		case o.first > s.last:
			d = o.first - s.last
		}
		if bestDist < 0 || d < bestDist {
			bestDist, best = d, o
		}
		return true
	}
	for _, a := range alts {
		list := f.by[a]
		k := sort.Search(len(list), func(i int) bool { return list[i].first > s.first })
		for i := k; i < len(list) && !consider(list[i]); i++ {
		}
		for i := k - 1; i >= 0 && !consider(list[i]); i-- {
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

// maxTermTokens bounds how far back a span may start and still reach a
// position: no rulebook phrase is this long.
const maxTermTokens = 16

// anyIn reports whether a span of list overlaps tokens lo..hi and, if so,
// the first such span.
func anyIn(list []span, lo, hi int) (span, bool) {
	k := sort.Search(len(list), func(i int) bool { return list[i].first >= lo-maxTermTokens })
	for ; k < len(list) && list[k].first <= hi; k++ {
		if list[k].last >= lo {
			return list[k], true
		}
	}
	return span{}, false
}

// cancelled reports whether an unless concept stands within the rule's
// window of tokens lo..hi.
func (c *Classifier) cancelled(r *compiledRule, f *found, lo, hi int) bool {
	reach := r.within
	if reach == 0 {
		reach = len(f.toks)
	}
	for _, u := range r.unless {
		if _, ok := anyIn(f.by[u], lo-reach, hi+reach); ok {
			return true
		}
	}
	return false
}

// framed reports whether a framing cue stands near tokens lo..hi in the same
// sentence: the text states the rule instead of breaking it. Cues such as
// "never" count just before or inside the match; cues such as "reminder"
// anywhere in the sentence; cues such as "Do not" frame the sentence they
// open; cues such as "probably fine" frame the whole text.
func (c *Classifier) framed(f *found, lo, hi int) bool {
	if f.has(c.dismiss) {
		return true
	}
	sentence := f.toks[lo].Sentence
	sameSentence := func(s span) bool {
		return f.toks[s.first].Sentence == sentence || f.toks[s.last].Sentence == f.toks[hi].Sentence
	}
	if s, ok := anyIn(f.spans(c.framing), lo-c.before, hi); ok && sameSentence(s) {
		return true
	}
	for _, s := range f.spans(c.framingAround) {
		if sameSentence(s) {
			return true
		}
	}
	return f.framedSentences[sentence]
}
