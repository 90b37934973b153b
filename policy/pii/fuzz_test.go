package pii_test

import (
	"math/rand/v2"
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

// TestDetectRandomFragments complements FuzzDetect with structured noise:
// random sequences of fragments that each trigger part of some detector
// (digit groups, separators, context words, names, medical terms, multi-byte
// and invalid bytes), checked for the same invariants. The seed is fixed so
// failures reproduce.
func TestDetectRandomFragments(t *testing.T) {
	frags := []string{
		"123", "45", "6789", "305", "555", "0134", "1", "12", "1985", "03", "14", "012345678", "3055550134",
		"-", ".", "/", " ", "  ", "\n", "(", ")", "+", "#", ":", ",", "@", "$", "%", "_",
		"A", "a", "alien", "number", "no", "SSN", "DOB", "born", "d", "o", "b", "March", "Mar", "14th", "of",
		"order", "v", "tracking", "call", "Mr", "detainee", "Maria", "Gonzalez", "J", "she", "HIV", "positive",
		"suicide", "attempt", "insulin", "example", "com", "jdoe", "José", "🙂", "\xff", "\xe2\x82", "€",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for n := 0; n < 20000; n++ {
		b.Reset()
		for k := rng.IntN(40); k >= 0; k-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		text := b.String()
		fs := pii.Detect(text)
		checkFindings(t, text, fs)
		out := pii.Redact(text, fs)
		if got, want := strings.Count(out, " redacted]"), len(fs); got != want {
			t.Fatalf("Redact(%q) made %d placeholders, want %d", text, got, want)
		}
	}
}
