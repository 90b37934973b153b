package policy

import (
	"sort"

	"github.com/reportbot/reportbot/policy/textnorm"
)

// evidence turns token spans into rune spans of the original text, merged
// where they overlap, in text order.
func evidence(text string, toks []textnorm.Token, spans []span) []Evidence {
	sort.Slice(spans, func(i, j int) bool { return spans[i].first < spans[j].first })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.first <= merged[n-1].last {
			merged[n-1].last = max(merged[n-1].last, s.last)
			continue
		}
		merged = append(merged, s)
	}
	if len(merged) > maxEvidence {
		merged = merged[:maxEvidence]
	}
	out := make([]Evidence, len(merged))
	for i, s := range merged {
		first, last := toks[s.first], toks[s.last]
		out[i] = Evidence{Start: first.Start, End: last.End, Text: text[first.ByteStart:last.ByteEnd]}
	}
	return out
}
