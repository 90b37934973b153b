package textnorm

import "strings"

// Flag records how a token was written, beyond its words.
type Flag uint16

const (
	Mention   Flag = 1 << iota // written as @name
	Hashtag                    // written as #tag
	Number                     // digits only
	Upper                      // typed in capitals: two or more letters and no lower-case one
	Joined                     // letters typed apart ("f u c k", "f.u.c.k") joined into a known word
	Unmasked                   // a masked word ("f*ck") resolved through the lexicon
	Disguised                  // read through leetspeak, stretching or masking
	Colon                      // followed at once by a colon, as a label is ("Reminder:")
)

// Token is one word of the text in normalised forms, with where it came from.
type Token struct {
	// Forms are the normalised spellings to match, plainest first: lower-case
	// Latin after folding, then leetspeak and de-stretched readings.
	Forms []string
	// Start and End are rune offsets into the original text, End exclusive.
	Start, End int
	// ByteStart and ByteEnd are the same span in bytes.
	ByteStart, ByteEnd int
	// Sentence counts sentence breaks before the token, from 0.
	Sentence int
	Flags    Flag

	// sepBefore is the single separator rune between this token and the one
	// before it, or 0 when the gap was anything else; used to join letters
	// typed apart.
	sepBefore rune
	// formLo and formHi index the tokenizer's spellings until Forms is set.
	formLo, formHi int
}

// Word is the plainest normalised form.
func (t Token) Word() string { return t.Forms[0] }

// Has reports whether the token carries flag f.
func (t Token) Has(f Flag) bool { return t.Flags&f != 0 }

// Lexicon is what the tokenizer asks about words it can only recognise with
// the rulebook's help. It must be safe for concurrent use.
type Lexicon interface {
	// Known reports whether word is one the rulebook watches for in
	// disguise, so that letters typed apart may be joined into it.
	Known(word string) bool
	// Unmask returns the watched word that a masked spelling such as "f*ck"
	// stands for ('*' and '#' are the masks), or false.
	Unmask(pattern string) (string, bool)
}

// leetLetter maps the digits and symbols people type for letters.
func leetLetter(r rune) (rune, bool) {
	switch r {
	case '0':
		return 'o', true
	case '1', '!', '|':
		return 'i', true
	case '3':
		return 'e', true
	case '4', '@':
		return 'a', true
	case '5', '$':
		return 's', true
	case '7', '+':
		return 't', true
	case '8':
		return 'b', true
	case '9':
		return 'g', true
	}
	return r, false
}

// collapseRuns shortens every run of three or more equal runes to keep runes
// ("fuuuuck" → "fuck" with keep 1, "asssss" → "ass" with keep 2). It returns
// "" when there is no such run.
func collapseRuns(s string, keep int) string {
	rs := []rune(s)
	found := false
	for i := 0; i+2 < len(rs); i++ {
		if rs[i] == rs[i+1] && rs[i] == rs[i+2] {
			found = true
			break
		}
	}
	if !found {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		if n >= 3 {
			n = keep
		}
		for k := 0; k < n; k++ {
			b.WriteRune(rs[i])
		}
		i = j
	}
	return b.String()
}
