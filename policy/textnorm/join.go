package textnorm

import "unicode/utf8"

// singleLetter returns the letter a one-character token stands for.
func singleLetter(t Token) (rune, bool) {
	w := t.Forms[0]
	r, size := utf8.DecodeRuneInString(w)
	if size != len(w) || t.Has(Mention|Hashtag) {
		return 0, false
	}
	if l, ok := leetLetter(r); ok {
		return l, true
	}
	return r, r >= 'a' && r <= 'z'
}

// joinApart replaces runs of single letters typed apart with one token when
// the letters spell a word the lexicon watches for. Only watched words are
// joined, so ordinary initials ("U S A", "a b c") stay as they were.
func joinApart(toks []Token, lex Lexicon) []Token {
	var out []Token
	for i := 0; i < len(toks); {
		// Find the run of single letters starting at i, all separated by
		// the same single separator.
		j := i
		var sep rune
		for j < len(toks) {
			if _, ok := singleLetter(toks[j]); !ok {
				break
			}
			if j > i {
				if toks[j].sepBefore == 0 || (j > i+1 && toks[j].sepBefore != sep) {
					break
				}
				sep = toks[j].sepBefore
			}
			j++
		}
		if j-i < 3 {
			if out != nil {
				out = append(out, toks[i])
			}
			i++
			continue
		}
		if out == nil {
			out = append(make([]Token, 0, len(toks)), toks[:i]...)
		}
		out = joinRun(out, toks[i:j], lex)
		i = j
	}
	if out == nil {
		return toks
	}
	return out
}

// joinRun appends run to out, merging the longest watched words it spells.
func joinRun(out []Token, run []Token, lex Lexicon) []Token {
	letters := make([]rune, len(run))
	for k, t := range run {
		letters[k], _ = singleLetter(t)
	}
	for s := 0; s < len(run); {
		merged := false
		for n := min(len(run)-s, maxJoin); n >= 3; n-- {
			word := string(letters[s : s+n])
			if !lex.Known(word) {
				continue
			}
			first, last := run[s], run[s+n-1]
			out = append(out, Token{
				Forms:     []string{word},
				Start:     first.Start,
				End:       last.End,
				ByteStart: first.ByteStart,
				ByteEnd:   last.ByteEnd,
				Sentence:  first.Sentence,
				Flags:     Joined | Disguised,
				sepBefore: first.sepBefore,
			})
			s += n
			merged = true
			break
		}
		if !merged {
			out = append(out, run[s])
			s++
		}
	}
	return out
}
