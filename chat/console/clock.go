package console

import (
	"sync"
	"time"
)

// Clock is the console's time: the real time when the console started, moved
// forward by `tick`, so deadlines fall due without waiting.
type Clock struct {
	mu   sync.Mutex
	base time.Time
	off  time.Duration
}

// NewClock starts a clock at start.
func NewClock(start time.Time) *Clock { return &Clock{base: start} }

// Now is the console's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(c.off)
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}
