//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are only meaningful without it.

package pii_test

import (
	"testing"

	"github.com/reportbot/reportbot/policy/pii"
)

func TestDetectAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(200, func() { pii.Detect(benchClean) }); n != 0 {
		t.Errorf("Detect on clean text: %v allocs/op, want 0", n)
	}
	if n := testing.AllocsPerRun(200, func() { pii.Detect(benchPII) }); n > 2 {
		t.Errorf("Detect on text with PII: %v allocs/op, want <= 2 (the result slice)", n)
	}
}
