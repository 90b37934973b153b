package delivery

import (
	"errors"
	"fmt"
	"time"
)

// RetryAfter is a Sender's error for a rate limit (HTTP 429): the message
// is tried again exactly After from now, without backoff.
type RetryAfter struct {
	After time.Duration
	Err   error
}

func (e *RetryAfter) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("rate limited; retry after %s", e.After)
	}
	return fmt.Sprintf("rate limited; retry after %s: %v", e.After, e.Err)
}

func (e *RetryAfter) Unwrap() error { return e.Err }

// permanentError marks an error that trying again cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps an error that retrying cannot fix (an unknown user, a
// channel the bot is not in): the message is marked dead at once.
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, came from Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
