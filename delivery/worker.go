package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// Sender delivers one outbox message on a chat platform. It returns nil
// once the platform has accepted the message, a *RetryAfter for a rate
// limit, an error wrapped with Permanent when trying again cannot help, and
// any other error for a failure worth retrying (the platform is down, a
// timeout). Errors are stored with the message and logged: they must not
// carry tokens.
type Sender interface {
	Deliver(ctx context.Context, m cases.Message) error
}

// Metrics receives the worker's counts; *server.Metrics implements it.
type Metrics interface {
	MessageSent(platform, kind string)
	MessageFailed(platform, reason string)
	MessageDead()
}

// Defaults for a Worker's zero fields.
const (
	DefaultBatch       = 50
	DefaultMaxAttempts = 20
	DefaultMaxAge      = 24 * time.Hour
	DefaultSendTimeout = 30 * time.Second
	DefaultInterval    = 5 * time.Second
)

// Reasons a delivery attempt failed, as the outbox_failed_total label.
const (
	ReasonRateLimited = "rate_limited"
	ReasonPermanent   = "permanent"
	ReasonError       = "error"
)

// maxLastError bounds the error text stored with a message.
const maxLastError = 1000

// Worker sends due outbox messages through one Sender. Outbox and Sender
// are required; every other field has a default. A Worker is run by one
// goroutine at a time.
type Worker struct {
	Outbox cases.Outbox
	Sender Sender
	// Platform names the sender in metrics and logs ("slack").
	Platform string
	// Now is the clock (default time.Now).
	Now func() time.Time
	Log *slog.Logger
	// Metrics, when set, counts sent, failed and dead messages.
	Metrics Metrics
	// Batch is how many due messages one pass reads (default 50).
	Batch int
	// A message is given up on (marked dead) when an attempt fails and it
	// has been tried MaxAttempts times (default 20; rate limits do not
	// count, they are not the message's failure) or was written more than
	// MaxAge ago (default 24 h).
	MaxAttempts int
	MaxAge      time.Duration
	// Backoff spaces retries (default DefaultBackoff: 30 s doubling to
	// 30 min, ±20%).
	Backoff Backoff
	// Rand returns numbers in [0, 1) for the jitter (default math/rand/v2);
	// tests fix it.
	Rand func() float64
	// SendTimeout bounds one Deliver call, and separately the store write
	// that records it (default 30 s).
	SendTimeout time.Duration
}

// RunOnce reads the messages due now and tries each once. It returns how
// many were sent and how many failed (retried later or dead). It stops
// early, with the error, when ctx is done (the message being sent is
// finished first) or when the outbox cannot be read or written — then the
// remaining messages wait for the next pass and nothing is lost.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	if w.Outbox == nil || w.Sender == nil {
		return 0, 0, errors.New("delivery: a Worker needs an Outbox and a Sender")
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	msgs, err := w.Outbox.DueMessages(ctx, w.now(), w.batch())
	if err != nil {
		return 0, 0, fmt.Errorf("delivery: read the outbox: %w", err)
	}
	for _, m := range msgs {
		if err := ctx.Err(); err != nil {
			return sent, failed, err
		}
		ok, err := w.deliver(ctx, m)
		if err != nil {
			return sent, failed, err
		}
		if ok {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// deliver sends one message and records the result. The send and the record
// are not cut short by ctx: a shutdown lets the current message finish, so
// it is neither abandoned half sent nor, once sent, sent again.
func (w *Worker) deliver(ctx context.Context, m cases.Message) (bool, error) {
	base := context.WithoutCancel(ctx)
	sctx, cancel := context.WithTimeout(base, w.sendTimeout())
	sendErr := w.Sender.Deliver(sctx, m)
	cancel()
	now := w.now()
	rctx, cancel := context.WithTimeout(base, w.sendTimeout())
	defer cancel()
	if sendErr == nil {
		if err := w.Outbox.MarkSent(rctx, m.ID, now); err != nil {
			// It will be sent again: at least once, never lost.
			return false, fmt.Errorf("delivery: record message %d as sent: %w", m.ID, err)
		}
		if w.Metrics != nil {
			w.Metrics.MessageSent(w.Platform, string(m.Kind))
		}
		w.log().Debug("message sent", w.attrs(m)...)
		return true, nil
	}
	return false, w.fail(rctx, m, sendErr, now)
}

// fail records a failed attempt: when to try again, or that the message is
// dead.
func (w *Worker) fail(ctx context.Context, m cases.Message, sendErr error, now time.Time) error {
	attempts := m.Attempts + 1
	reason, next, dead, why := ReasonError, time.Time{}, false, ""
	var ra *RetryAfter
	switch {
	case IsPermanent(sendErr):
		reason, dead, why = ReasonPermanent, true, "the platform refused it for good"
	case errors.As(sendErr, &ra):
		reason, next = ReasonRateLimited, now.Add(ra.After)
		if ra.After <= 0 { // no time given: back off as for an error
			next = now.Add(w.backoff().Delay(attempts, w.rand()))
		}
	default:
		next = now.Add(w.backoff().Delay(attempts, w.rand()))
	}
	switch {
	case dead:
	case !m.CreatedAt.IsZero() && now.Sub(m.CreatedAt) >= w.maxAge():
		dead, why = true, fmt.Sprintf("undelivered for %s", w.maxAge())
	case reason != ReasonRateLimited && attempts >= w.maxAttempts():
		dead, why = true, fmt.Sprintf("%d attempts failed", attempts)
	}
	if dead {
		next = now
	}
	if err := w.Outbox.MarkFailed(ctx, m.ID, attempts, next, clip(sendErr.Error(), maxLastError), dead); err != nil {
		return fmt.Errorf("delivery: record a failed attempt of message %d: %w", m.ID, err)
	}
	if w.Metrics != nil {
		w.Metrics.MessageFailed(w.Platform, reason)
	}
	attrs := append(w.attrs(m), slog.Int("attempts", attempts), slog.String("reason", reason), slog.String("err", sendErr.Error()))
	if dead {
		if w.Metrics != nil {
			w.Metrics.MessageDead()
		}
		w.log().Error("message given up: "+why, attrs...)
		return nil
	}
	w.log().Warn("message not sent; will retry", append(attrs, slog.Time("retry_at", next))...)
	return nil
}

// attrs identify a message in logs without its text.
func (w *Worker) attrs(m cases.Message) []any {
	return []any{slog.String("platform", w.Platform), slog.Int64("message", m.ID),
		slog.String("case", m.CaseID.String()), slog.String("kind", string(m.Kind))}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		n--
	}
	return s[:n] + "…"
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func (w *Worker) rand() float64 {
	if w.Rand == nil {
		return rand.Float64()
	}
	return w.Rand()
}

func (w *Worker) backoff() Backoff {
	if w.Backoff == (Backoff{}) {
		return DefaultBackoff()
	}
	return w.Backoff
}

func (w *Worker) batch() int            { return positive(w.Batch, DefaultBatch) }
func (w *Worker) maxAttempts() int      { return positive(w.MaxAttempts, DefaultMaxAttempts) }
func (w *Worker) maxAge() time.Duration { return positive(w.MaxAge, DefaultMaxAge) }
func (w *Worker) sendTimeout() time.Duration {
	return positive(w.SendTimeout, DefaultSendTimeout)
}

func positive[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
