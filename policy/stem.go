package policy

import "strings"

// stem strips common English suffixes so the model sees "posting", "posted"
// and "posts" as one word. It is deliberately crude: a shared stem is all
// the model needs, not a dictionary word.
func stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	for _, suf := range []string{"ations", "ation", "ings", "ing", "edly", "ed", "ers", "er", "ies", "es", "ly", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			w = w[:len(w)-len(suf)]
			if suf == "ies" {
				w += "y"
			}
			break
		}
	}
	// "shopping" → "shopp" → "shop": undo a doubled final consonant.
	if n := len(w); n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1]
	}
	return w
}
