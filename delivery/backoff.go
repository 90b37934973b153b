package delivery

import "time"

// Backoff is the wait before the next attempt after a failure: Base after
// the first failure, doubling with each one, never more than Max, spread by
// ±Jitter so that messages that failed together do not retry together.
type Backoff struct {
	Base, Max time.Duration
	// Jitter is the fraction of spread, 0.2 for ±20%.
	Jitter float64
}

// DefaultBackoff: 30 s, 1 min, 2 min … up to 30 min, ±20%.
func DefaultBackoff() Backoff {
	return Backoff{Base: 30 * time.Second, Max: 30 * time.Minute, Jitter: 0.2}
}

// Delay is the wait after the n-th failure (n ≥ 1). r, in [0, 1), places the
// delay within the jitter: 0.5 is the exact doubling, 0 the shortest. The
// result never exceeds Max.
func (b Backoff) Delay(n int, r float64) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	d = time.Duration(float64(d) * (1 + b.Jitter*(2*r-1)))
	return min(d, b.Max)
}
