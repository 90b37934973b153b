package classifyio

import (
	"log/slog"
	"runtime"
)

// Default limits, in bytes.
const (
	DefaultMaxText = 64 << 10 // INTERFACES.md: a report text is at most 64 KiB
	DefaultMaxLine = 1 << 20  // room for a 64 KiB text even when every character is escaped
)

// Options tunes Run. The zero value is ready to use.
type Options struct {
	// Workers is how many lines are classified at once; 0 means one per
	// usable CPU (runtime.GOMAXPROCS).
	Workers int
	// MaxText is the longest text accepted, in bytes of the decoded "text"
	// field; 0 means DefaultMaxText.
	MaxText int
	// MaxLine is the longest input line kept, in bytes without the line
	// ending; 0 means DefaultMaxLine, or 8×MaxText when that is larger.
	MaxLine int
	// Explain adds the names of the rules that fired to each category, for
	// tuning the rulebook.
	Explain bool
	// Logger receives a summary of the run and each refused line (its number
	// and the reason, never its text); nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxText <= 0 {
		o.MaxText = DefaultMaxText
	}
	if o.MaxLine <= 0 {
		o.MaxLine = max(DefaultMaxLine, 8*o.MaxText)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
