package policy

import (
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy/textnorm"
)

// wordPat matches one token: a whole word, a prefix, or a stem anywhere.
type wordPat struct {
	text           string
	prefix, inside bool
}

func parseWord(w string) wordPat {
	w = strings.ReplaceAll(w, "'", "")
	p := wordPat{}
	if strings.HasPrefix(w, "*") && strings.HasSuffix(w, "*") && len(w) > 2 {
		p.inside = true
		w = w[1 : len(w)-1]
	} else if strings.HasSuffix(w, "*") {
		p.prefix = true
		w = w[:len(w)-1]
	}
	p.text = w
	return p
}

func (p wordPat) whole() bool { return !p.prefix && !p.inside }

func (p wordPat) matchForm(f string) bool {
	switch {
	case p.inside:
		return strings.Contains(f, p.text)
	case p.prefix:
		return strings.HasPrefix(f, p.text)
	}
	return f == p.text
}

// term is one entry of the concepts that list it: its words in order.
type term struct {
	concepts []int
	words    []wordPat
	except   map[string]bool
	key      string // the term as written, to merge duplicates across concepts
}

// matchAt reports how many tokens the term covers starting at toks[i], or 0.
func (t *term) matchAt(toks []textnorm.Token, i int) int {
	for k, w := range t.words {
		if i+k >= len(toks) || !t.wordMatches(w, toks[i+k]) {
			return 0
		}
	}
	return len(t.words)
}

func (t *term) wordMatches(w wordPat, tok textnorm.Token) bool {
	for _, f := range tok.Forms {
		if w.matchForm(f) && !(t.except[f] && (w.prefix || w.inside)) {
			return true
		}
	}
	return false
}

// prefixKey is how many leading bytes index prefix terms; the rulebook's
// prefixes are at least this long.
const prefixKey = 3

// index finds, for a token, the terms whose first word it may match, without
// trying every term.
type index struct {
	exact map[string][]*term
	// pairs holds phrases by their first two words when both are whole
	// words, so "her phone" is not tried at every "her".
	pairs  map[[2]string][]*term
	prefix map[string][]*term // keyed by the prefix's first prefixKey bytes
	short  []*term            // prefixes shorter than prefixKey
	inside []*term
	byKey  map[string]*term
	// watched are the single words of watched concepts, for Known/Unmask.
	watched []wordPat
}

func newIndex() *index {
	return &index{
		exact:  map[string][]*term{},
		pairs:  map[[2]string][]*term{},
		prefix: map[string][]*term{},
		byKey:  map[string]*term{},
	}
}

func (ix *index) add(t *term) {
	// A term listed by several concepts is matched once for all of them.
	if len(t.except) == 0 {
		if prev, ok := ix.byKey[t.key]; ok {
			prev.concepts = append(prev.concepts, t.concepts...)
			return
		}
		ix.byKey[t.key] = t
	}
	first := t.words[0]
	if len(t.words) > 1 && first.whole() && t.words[1].whole() {
		k := [2]string{first.text, t.words[1].text}
		ix.pairs[k] = append(ix.pairs[k], t)
		return
	}
	switch {
	case first.inside:
		ix.inside = append(ix.inside, t)
	case first.prefix && len(first.text) >= prefixKey:
		k := first.text[:prefixKey]
		ix.prefix[k] = append(ix.prefix[k], t)
	case first.prefix:
		ix.short = append(ix.short, t)
	default:
		ix.exact[first.text] = append(ix.exact[first.text], t)
	}
}

// each calls fn with every term that might start at toks[i].
func (ix *index) each(toks []textnorm.Token, i int, fn func(*term)) {
	for _, form := range toks[i].Forms {
		ix.candidates(form, fn)
		if i+1 < len(toks) {
			for _, next := range toks[i+1].Forms {
				for _, t := range ix.pairs[[2]string{form, next}] {
					fn(t)
				}
			}
		}
	}
}

// candidates calls fn with every term whose first word might match form,
// but for those indexed by their first two words.
func (ix *index) candidates(form string, fn func(*term)) {
	for _, t := range ix.exact[form] {
		fn(t)
	}
	if len(form) >= prefixKey {
		for _, t := range ix.prefix[form[:prefixKey]] {
			fn(t)
		}
	}
	for _, t := range ix.short {
		fn(t)
	}
	for _, t := range ix.inside {
		fn(t)
	}
}

// Known implements textnorm.Lexicon: letters typed apart are joined only
// into watched words.
func (ix *index) Known(word string) bool {
	for _, w := range ix.watched {
		if w.matchForm(word) {
			return true
		}
	}
	return false
}

// Unmask implements textnorm.Lexicon: "f*ck" is read as the watched word
// it fits, provided enough letters show to make the reading fair.
func (ix *index) Unmask(pattern string) (string, bool) {
	n := utf8.RuneCountInString(pattern)
	shown := 0
	for _, r := range pattern {
		if r != '*' && r != '#' {
			shown++
		}
	}
	if shown < 2 || shown*2 < n {
		return "", false
	}
	for _, w := range ix.watched {
		if w.inside {
			continue
		}
		if fitsMask(pattern, w.text, w.prefix) {
			if w.prefix {
				return w.text + tailAfter(pattern, len(w.text)), true
			}
			return w.text, true
		}
	}
	return "", false
}

// fitsMask reports whether pattern spells word with '*' or '#' standing for
// letters; with prefix, word need only begin the pattern, and the rest of
// the pattern must be unmasked.
func fitsMask(pattern, word string, prefix bool) bool {
	p, w := []rune(pattern), []rune(word)
	if len(p) < len(w) || (!prefix && len(p) != len(w)) {
		return false
	}
	for i, r := range w {
		if p[i] != r && p[i] != '*' && p[i] != '#' {
			return false
		}
	}
	for _, r := range p[len(w):] {
		if r == '*' || r == '#' {
			return false
		}
	}
	return true
}

func tailAfter(s string, runes int) string {
	r := []rune(s)
	return string(r[runes:])
}
