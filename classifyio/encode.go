package classifyio

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy"
)

// The answers are encoded by hand rather than with encoding/json: the shape
// is fixed, and appending into a reused buffer avoids reflection and most
// allocations (BenchmarkEncode compares the two). TestEncodeMatchesJSON
// checks that the bytes decode to the same values encoding/json would give.

// appendResult appends the answer for a classified line, newline included.
func appendResult(dst, id []byte, res *policy.Result, explain bool) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendID(dst, id)
	dst = append(dst, `,"categories":[`...)
	for i := range res.Categories {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendMatch(dst, &res.Categories[i], explain)
	}
	dst = append(dst, `],"pii":[`...)
	for i, f := range res.PII {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"kind":`...)
		dst = appendString(dst, string(f.Kind))
		dst = append(dst, `,"start":`...)
		dst = strconv.AppendInt(dst, int64(f.Start), 10)
		dst = append(dst, `,"end":`...)
		dst = strconv.AppendInt(dst, int64(f.End), 10)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"rulebook":`...)
	dst = appendString(dst, res.RulebookVersion)
	return append(dst, "}\n"...)
}

func appendMatch(dst []byte, m *policy.Match, explain bool) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, m.ID)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, m.Title)
	dst = append(dst, `,"citation":`...)
	dst = appendString(dst, m.Citation)
	dst = append(dst, `,"severity":`...)
	dst = appendString(dst, string(m.Severity))
	dst = append(dst, `,"score":`...)
	dst = appendFloat(dst, m.Score)
	dst = append(dst, `,"evidence":[`...)
	for i, e := range m.Evidence {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"start":`...)
		dst = strconv.AppendInt(dst, int64(e.Start), 10)
		dst = append(dst, `,"end":`...)
		dst = strconv.AppendInt(dst, int64(e.End), 10)
		dst = append(dst, `,"text":`...)
		dst = appendString(dst, e.Text)
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	if explain && len(m.Rules) > 0 { // like omitempty on policy.Match.Rules
		dst = append(dst, `,"rules":[`...)
		for i, r := range m.Rules {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, r)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// appendError appends the answer for a refused line, newline included.
func appendError(dst, id []byte, problem string) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendID(dst, id)
	dst = append(dst, `,"error":`...)
	dst = appendString(dst, problem)
	return append(dst, "}\n"...)
}

func appendID(dst, id []byte) []byte {
	if id == nil {
		return append(dst, "null"...)
	}
	return append(dst, id...)
}

// appendFloat writes a score the way encoding/json does for values in its
// range; a score that is not a number (never expected) is written as 0 so
// the line stays valid JSON.
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1] // e-07 becomes e-7, as encoding/json writes it
			dst = dst[:n-1]
		}
		return dst
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

const hex = "0123456789abcdef"

// appendString writes s as a JSON string, byte for byte as encoding/json
// does with SetEscapeHTML(false): control characters, U+2028 and U+2029 are
// escaped, invalid UTF-8 becomes U+FFFD, and <, > and & are left alone, as
// no HTML is involved.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
