package textnorm

import (
	"unicode"
	"unicode/utf8"
)

// maxJoin bounds how many letters typed apart are tried as one word.
const maxJoin = 14

// softRune reports symbols that may stand inside a word: leetspeak letters,
// masks, apostrophes, and the sigils of mentions and hashtags.
func softRune(r rune) bool {
	switch r {
	case '@', '$', '!', '|', '+', '*', '#', '\'':
		return true
	}
	return false
}

// wordRune reports runes that belong to a word.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || softRune(r) }

// partSep reports separators that split words but may also sit between
// letters typed apart ("f.u.c.k", "f-u-c-k", "f_u_c_k").
func partSep(r rune) bool { return r == '.' || r == '-' || r == '_' || r == ' ' }

// tokenizer holds the state of one pass over a text.
type tokenizer struct {
	lex  Lexicon
	toks []Token

	// The word being read: folded runes and, for each, the rune and byte
	// span of the original character it came from.
	part               []rune
	partStart          []int
	partByte, partBEnd []int
	upper, lower       int

	// Every token's spellings, back to back; formSpans index them.
	buf       []byte
	formSpans [][2]int
	plain     []rune

	sentence int
	gap      int  // separator runes since the last token
	gapSep   rune // the first of them
	dotSeen  bool // a '.', '!' or '?' that ends a sentence if a space follows
}

// Tokenize splits text into normalised tokens. lex may be nil, in which case
// no letters are joined and no masks resolved. It never fails: any input,
// valid UTF-8 or not, yields tokens whose spans lie inside the text.
func Tokenize(text string, lex Lexicon) []Token {
	var s Scratch
	return s.Tokenize(text, lex)
}

// Scratch keeps a tokenizer's buffers between texts, so that a busy caller
// allocates little. A Scratch serves one goroutine at a time; the tokens it
// returns are valid until its next Tokenize.
type Scratch struct{ t tokenizer }

// Tokenize is the package's Tokenize using the scratch buffers.
func (s *Scratch) Tokenize(text string, lex Lexicon) []Token {
	t := &s.t
	t.reset(lex)
	var scratch [8]rune
	ri := 0
	for bi, r := range text {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
			if bi+3 <= len(text) && text[bi:bi+3] == "\uFFFD" {
				size = 3
			}
		}
		folded := fold(scratch[:0], r)
		for _, f := range folded {
			// One character that decomposes into several ("¼" → "1⁄4")
			// stays one piece of a word: a break inside it would give two
			// tokens the same source character.
			if len(folded) > 1 && !wordRune(f) {
				continue
			}
			t.feed(f, r, ri, bi, bi+size)
		}
		ri++
	}
	t.flush()
	t.finish()
	if lex != nil {
		t.toks = joinApart(t.toks, lex)
	}
	return t.toks
}

// reset empties the tokenizer for a new text, keeping its memory.
func (t *tokenizer) reset(lex Lexicon) {
	*t = tokenizer{
		lex: lex, toks: t.toks[:0],
		part: t.part[:0], partStart: t.partStart[:0], partByte: t.partByte[:0], partBEnd: t.partBEnd[:0],
		buf: t.buf[:0], formSpans: t.formSpans[:0], plain: t.plain[:0],
	}
}

// feed takes one folded rune f that came from original rune orig.
func (t *tokenizer) feed(f, orig rune, ri, bstart, bend int) {
	if wordRune(f) {
		if t.dotSeen {
			t.dotSeen = false
		}
		t.part = append(t.part, f)
		t.partStart = append(t.partStart, ri)
		t.partByte = append(t.partByte, bstart)
		t.partBEnd = append(t.partBEnd, bend)
		if unicode.IsUpper(orig) {
			t.upper++
		} else if unicode.IsLower(orig) {
			t.lower++
		}
		return
	}
	t.flush()
	if f == ':' && t.gap == 0 && len(t.toks) > 0 {
		t.toks[len(t.toks)-1].Flags |= Colon
	}
	if f == '\n' || (t.dotSeen && unicode.IsSpace(f)) {
		t.sentence++
		t.dotSeen = false
	} else if f == '.' || f == '?' {
		t.dotSeen = true
	} else {
		t.dotSeen = false
	}
	t.gap++
	if t.gap == 1 {
		t.gapSep = f
	}
}

// flush ends the word being read, if any.
func (t *tokenizer) flush() {
	if len(t.part) == 0 {
		return
	}
	lo, hi := 0, len(t.part)
	sepBefore := rune(0)
	if t.gap == 1 && partSep(t.gapSep) {
		sepBefore = t.gapSep
	}
	tok, ok := t.word(lo, hi)
	endsWithBang := t.part[hi-1] == '!'
	t.part, t.partStart, t.partByte, t.partBEnd = t.part[:0], t.partStart[:0], t.partByte[:0], t.partBEnd[:0]
	t.upper, t.lower = 0, 0
	if ok {
		tok.Sentence = t.sentence
		tok.sepBefore = sepBefore
		t.toks = append(t.toks, tok)
		t.gap, t.gapSep = 0, 0
	}
	if endsWithBang {
		t.dotSeen = true
	}
}

// word builds the token for part[lo:hi], trimming punctuation that only
// decorates it; false when nothing word-like remains.
func (t *tokenizer) word(lo, hi int) (Token, bool) {
	p := t.part
	var flags Flag
	// Decoration at the edges: quotes, emphasis stars, exclamation marks.
	for lo < hi && (p[lo] == '\'' || p[lo] == '!' || p[lo] == '+') {
		lo++
	}
	for hi > lo && (p[hi-1] == '\'' || p[hi-1] == '!') {
		hi--
	}
	if lo < hi && p[lo] == '*' {
		for lo < hi && p[lo] == '*' {
			lo++
		}
		for hi > lo && p[hi-1] == '*' {
			hi--
		}
	}
	if hi-lo >= 2 {
		switch p[lo] {
		case '#':
			flags |= Hashtag
			lo++
		case '$':
			if unicode.IsDigit(p[lo+1]) {
				lo++
			}
		}
	}
	mentionLeet := ""
	if hi-lo >= 2 && p[lo] == '@' && unicode.IsLetter(p[lo+1]) {
		flags |= Mention
		mentionLeet = "a" + string(p[lo+1:hi])
		lo++
	}
	if lo >= hi {
		return Token{}, false
	}
	w := p[lo:hi]
	hasLetter, allDigits, hasLeet, hasMask := false, true, false, false
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			hasLetter = true
			allDigits = false
		case unicode.IsDigit(r):
			hasLeet = true
		case r == '*' || r == '#':
			hasMask = true
			allDigits = false
		case r == '\'':
			allDigits = false
		default:
			hasLeet = true
			allDigits = false
		}
	}
	if !hasLetter && !allDigits {
		return Token{}, false
	}
	if allDigits {
		flags |= Number
	}
	if t.upper >= 2 && t.lower == 0 {
		flags |= Upper
	}
	plain := t.plain[:0]
	for _, r := range w {
		if r != '\'' {
			plain = append(plain, r)
		}
	}
	t.plain = plain
	formLo := len(t.formSpans)
	if !hasLeet && !hasMask && mentionLeet == "" && !hasRun(plain) {
		// The common case: one plain spelling, stored without allocating.
		t.addForm(plain)
	} else {
		flags |= t.addDisguisedForms(plain, hasLetter, hasLeet, hasMask, mentionLeet)
	}
	return Token{
		formLo:    formLo,
		formHi:    len(t.formSpans),
		Start:     t.partStart[lo],
		End:       t.partStart[hi-1] + 1,
		ByteStart: t.partByte[lo],
		ByteEnd:   t.partBEnd[hi-1],
		Flags:     flags,
	}, true
}

// addForm appends one spelling to the shared buffer.
func (t *tokenizer) addForm(word []rune) {
	a := len(t.buf)
	for _, r := range word {
		t.buf = utf8.AppendRune(t.buf, r)
	}
	t.formSpans = append(t.formSpans, [2]int{a, len(t.buf)})
}

// addDisguisedForms works out every reading of a word typed in disguise:
// leetspeak, without a trailing number, a mention read as leet, a masked
// word resolved by the lexicon, stretched letters collapsed.
func (t *tokenizer) addDisguisedForms(plain []rune, hasLetter, hasLeet, hasMask bool, mentionLeet string) Flag {
	var flags Flag
	forms := []string{string(plain)}
	if hasLetter && (hasLeet || hasMask) {
		forms = appendLeet(forms, plain)
		flags |= Disguised
	}
	if hasLetter && unicode.IsDigit(plain[len(plain)-1]) {
		// "#maga2024", "trump2028": the word without its trailing number.
		k := len(plain)
		for k > 0 && unicode.IsDigit(plain[k-1]) {
			k--
		}
		if k >= 2 {
			forms = appendUnique(forms, string(plain[:k]))
		}
	}
	if mentionLeet != "" {
		forms = append(forms, mentionLeet)
	}
	if hasMask && t.lex != nil {
		for _, f := range forms {
			if word, ok := t.lex.Unmask(f); ok {
				forms = append([]string{word}, forms...)
				flags |= Unmasked
				break
			}
		}
	}
	for _, f := range forms {
		if c := collapseRuns(f, 1); c != "" {
			forms = appendUnique(forms, c)
			forms = appendUnique(forms, collapseRuns(f, 2))
			flags |= Disguised
		}
	}
	for _, f := range forms {
		a := len(t.buf)
		t.buf = append(t.buf, f...)
		t.formSpans = append(t.formSpans, [2]int{a, len(t.buf)})
	}
	return flags
}

// hasRun reports a run of three or more equal runes ("fuuuck").
func hasRun(w []rune) bool {
	for i := 0; i+2 < len(w); i++ {
		if w[i] == w[i+1] && w[i] == w[i+2] {
			return true
		}
	}
	return false
}

// finish gives every token its forms, cut from one string so that a text
// costs a few allocations rather than one per word.
func (t *tokenizer) finish() {
	all := string(t.buf)
	forms := make([]string, len(t.formSpans))
	for i, sp := range t.formSpans {
		forms[i] = all[sp[0]:sp[1]]
	}
	for i := range t.toks {
		tok := &t.toks[i]
		tok.Forms = forms[tok.formLo:tok.formHi:tok.formHi]
	}
}

// appendLeet adds the leetspeak readings of w: every digit or symbol read as
// a letter, and a second reading with '1' and '|' as 'l' where that differs.
func appendLeet(forms []string, w []rune) []string {
	read := func(one rune) string {
		out := make([]rune, len(w))
		for i, r := range w {
			if r == '1' || r == '|' {
				out[i] = one
				continue
			}
			if l, ok := leetLetter(r); ok {
				out[i] = l
			} else {
				out[i] = r
			}
		}
		return string(out)
	}
	forms = appendUnique(forms, read('i'))
	return appendUnique(forms, read('l'))
}

func appendUnique(forms []string, s string) []string {
	if s == "" {
		return forms
	}
	for _, f := range forms {
		if f == s {
			return forms
		}
	}
	return append(forms, s)
}
