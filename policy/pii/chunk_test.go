package pii_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/policy/pii"
)

// TestDetectChunked checks that texts longer than the chunk size (1 GiB in
// production, tiny here) keep correct rune offsets across chunks.
func TestDetectChunked(t *testing.T) {
	text := strings.Repeat("José 305-555-0134 🙂 ssn 123-45-6789, mail a.b@example.org. ", 40)
	want := pii.Detect(text)
	if len(want) != 120 {
		t.Fatalf("unchunked: got %d findings, want 120", len(want))
	}
	for _, size := range []int{64, 97, 200, 1000} {
		restore := pii.SetMaxChunk(size)
		got := pii.Detect(text)
		restore()
		checkFindings(t, text, got)
		if !slices.Equal(got, want) {
			t.Errorf("chunk %d: got %d findings %q,\nwant %d", size, len(got), describe(text, got), len(want))
		}
	}
	// No whitespace to cut at: cuts fall on rune starts, offsets stay valid.
	restore := pii.SetMaxChunk(16)
	defer restore()
	for _, dense := range []string{
		strings.Repeat("ñ🙂\xff€", 50) + "-123-45-6789",
		strings.Repeat("\x80", 1000) + " 123-45-6789 " + strings.Repeat("\xbf", 1000), // stray continuation bytes
		strings.Repeat("🙂", 300) + "\xf0\x9f\x99",                                     // truncated sequence at the end
	} {
		fs := pii.Detect(dense)
		checkFindings(t, dense, fs)
		if strings.Contains(dense, " 123-45-6789 ") && len(fs) != 1 {
			t.Errorf("chunked dense text: got %q, want the SSN", describe(dense, fs))
		}
	}
}
