package pii_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy/pii"
)

// FuzzDetect checks the invariants of Detect and Redact on arbitrary input:
// no panic; spans sorted, non-overlapping, non-empty and within the rune
// count; Redact adds exactly one placeholder per finding and, for valid
// UTF-8, equals redaction done independently with []rune slicing.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		benchClean, benchPII,
		"SSN 123-45-6789", "call (305) 555-0134", "+44 20 7946 0958", "A# 012 345 678",
		"alien registration number 012-345-678", "DOB: 03/14/1985", "born on the 14th of March, 1985",
		"d.o.b. 3-14-85", "john.doe+tag@mail.example.co.uk", "@jdoe has HIV", "Mr. Chen takes insulin",
		"Señora José Núñez 🙂 DOB 03/14/1985", "\xff\xfe 123-45-6789", "a.a@b.c@d.e@", "HIV-positive detainee Ramirez",
		"version 1.2.3 v2.10.1 tracking 1Z999AA10123456784 $305.55 at 10:30",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := pii.Detect(text)
		checkFindings(t, text, fs)

		out := pii.Redact(text, fs)
		const ph = " redacted]"
		if got, want := strings.Count(out, ph), strings.Count(text, ph)+len(fs); got != want {
			t.Fatalf("Redact made %d placeholders, want %d\ntext %q\nout  %q", got-strings.Count(text, ph), len(fs), text, out)
		}
		if utf8.ValidString(text) {
			r := []rune(text)
			var b strings.Builder
			prev := 0
			for _, f := range fs {
				b.WriteString(string(r[prev:f.Start]))
				b.WriteString("[" + string(f.Kind) + ph)
				prev = f.End
			}
			b.WriteString(string(r[prev:]))
			if b.String() != out {
				t.Fatalf("Redact mismatch\ntext %q\ngot  %q\nwant %q", text, out, b.String())
			}
		}
	})
}
