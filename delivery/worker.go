package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
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

// People lists the directory, from which the worker takes the active
// compliance leads to tell about dead messages; *sqlstore.Store implements it.
type People interface {
	People(ctx context.Context) ([]directory.Person, error)
}

// Defaults for a Worker's zero fields.
const (
	DefaultLease       = 5 * time.Minute
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
// goroutine at a time; several Workers, in one process or in several, may
// share an outbox as long as their Owners differ.
type Worker struct {
	Outbox cases.Outbox
	Sender Sender
	// Owner names this worker on the claims it takes; it must be unique
	// among the workers sharing the outbox (default: host name, process ID
	// and a random suffix).
	Owner string
	// Lease is how long a claim holds messages (default 5 min). It must be
	// well above 2×SendTimeout: a message is only sent while at least that
	// much of its lease is left, so that it is sent and recorded before
	// another worker may take it.
	Lease time.Duration
	// DeadLetterChannel, when set ("slack:C123", usually COMPLIANCE_CHANNEL),
	// is told about every message given up on.
	DeadLetterChannel string
	// Compliance, when set, gives the people of whom every active
	// compliance lead is told, by direct message, about every message
	// given up on.
	Compliance People
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

	ownerOnce sync.Once
	owner     string
}

// RunOnce claims the messages due now (at most Batch) and tries each once.
// It returns how many were sent and how many failed (retried later or
// dead). It stops early, with the error, when ctx is done (the message being
// sent is finished and recorded first) or when the outbox cannot be read or
// written; the messages it claimed and did not start are then released, so
// that another worker can take them at once (if even that fails, their
// claim ends with the lease). Nothing is lost.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	if w.Outbox == nil || w.Sender == nil {
		return 0, 0, errors.New("delivery: a Worker needs an Outbox and a Sender")
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	now := w.now()
	until := now.Add(w.lease())
	msgs, err := w.Outbox.Claim(ctx, now, w.OwnerName(), w.lease(), w.batch())
	if err != nil {
		return 0, 0, fmt.Errorf("delivery: claim from the outbox: %w", err)
	}
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			w.release(ctx, msgs[i:])
			return sent, failed, err
		}
		// Only send while the claim will outlast the send and its record;
		// the rest go back to be claimed afresh.
		if w.now().Add(2 * w.sendTimeout()).After(until) {
			w.release(ctx, msgs[i:])
			return sent, failed, nil
		}
		ok, err := w.deliver(ctx, m)
		if err != nil {
			w.release(ctx, msgs[i+1:])
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

// release gives back claimed messages not started. It is not cut short by
// ctx (it runs on shutdown); a failure is only logged, as the claims end
// with their lease anyway.
func (w *Worker) release(ctx context.Context, msgs []cases.Message) {
	if len(msgs) == 0 {
		return
	}
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.sendTimeout())
	defer cancel()
	if err := w.Outbox.Release(rctx, w.OwnerName(), ids); err != nil {
		w.log().Warn("could not release claimed messages; they wait for the lease to end",
			slog.String("platform", w.Platform), slog.Int("messages", len(ids)),
			slog.Duration("lease", w.lease()), slog.String("err", err.Error()))
		return
	}
	w.log().Debug("released claimed messages", slog.String("platform", w.Platform), slog.Int("messages", len(ids)))
}

// OwnerName is the name on this worker's claims: Owner, or one made up once
// from the host name, the process ID and a random suffix.
func (w *Worker) OwnerName() string {
	w.ownerOnce.Do(func() {
		w.owner = w.Owner
		if w.owner == "" {
			host, _ := os.Hostname()
			var b [4]byte
			_, _ = rand.Read(b[:])
			w.owner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
		}
	})
	return w.owner
}

// deliver sends one message and records the result. The send and the record
// are not cut short by ctx: a shutdown lets the current message finish, so
// it is neither abandoned half sent nor, once sent, sent again. A record
// refused because the claim was lost (another worker took the message after
// the lease ran out, so it may arrive twice) is logged and the pass goes on.
func (w *Worker) deliver(ctx context.Context, m cases.Message) (bool, error) {
	base := context.WithoutCancel(ctx)
	sctx, cancel := context.WithTimeout(base, w.sendTimeout())
	sendErr := w.Sender.Deliver(sctx, m)
	cancel()
	now := w.now()
	rctx, cancel := context.WithTimeout(base, w.sendTimeout())
	defer cancel()
	if sendErr == nil {
		err := w.Outbox.MarkSent(rctx, m.ID, w.OwnerName(), now)
		switch {
		case errors.Is(err, cases.ErrClaimLost):
			w.log().Warn("message sent after its claim was lost; it may arrive twice", append(w.attrs(m), slog.String("err", err.Error()))...)
		case err != nil:
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
	var notices []cases.Message
	if dead {
		next = now
		var err error
		if notices, err = w.deadLetters(ctx, m, why, attempts, now); err != nil {
			return fmt.Errorf("delivery: message %d is dead but compliance cannot be told: %w", m.ID, err)
		}
	}
	err := w.Outbox.MarkFailed(ctx, m.ID, w.OwnerName(), attempts, next, clip(sendErr.Error(), maxLastError), dead, notices...)
	if errors.Is(err, cases.ErrClaimLost) {
		// Another worker holds it now and will record its own attempt.
		w.log().Warn("failed attempt not recorded: the claim was lost", append(w.attrs(m), slog.String("err", sendErr.Error()))...)
		return nil
	}
	if err != nil {
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
		if m.DeadLetterOf != 0 {
			w.log().Error("dead-letter notice given up: "+why+"; compliance is not told again", append(attrs, slog.Int64("dead_letter_of", m.DeadLetterOf))...)
			return nil
		}
		if len(notices) == 0 {
			w.log().Error("message given up: "+why+"; nobody to tell (no dead-letter channel and no active compliance lead)", attrs...)
			return nil
		}
		w.log().Error("message given up: "+why+"; compliance told", append(attrs, slog.Int("notices", len(notices)))...)
		return nil
	}
	w.log().Warn("message not sent; will retry", append(attrs, slog.Time("retry_at", next))...)
	return nil
}

// kindNames say what a message was, for compliance.
var kindNames = map[cases.MessageKind]string{
	cases.MsgAssigneeCase:   "the case card for the person who must act on it",
	cases.MsgReporterNotice: "a notice to the reporter",
	cases.MsgCaseUpdate:     "an update of the case card",
	cases.MsgCompliance:     "a notice to compliance",
	cases.MsgReminder:       "a reminder to the assignee",
	cases.MsgDelegation:     "a notice to a delegate",
}

// deadLetters are the notices that tell compliance m was given up on: one
// to DeadLetterChannel and one to each active compliance lead. A notice
// about a dead notice gets none (no loops).
func (w *Worker) deadLetters(ctx context.Context, m cases.Message, why string, attempts int, now time.Time) ([]cases.Message, error) {
	if m.DeadLetterOf != 0 {
		return nil, nil
	}
	what := kindNames[m.Kind]
	if what == "" {
		what = "a " + strings.ReplaceAll(string(m.Kind), "_", " ") + " message"
	}
	ref := "not tied to a case"
	if m.CaseID != 0 {
		ref = "for " + m.CaseID.String()
	}
	text := fmt.Sprintf("Could not deliver %s (%s, message %d): %s after %d attempt(s). Please make sure it reaches its recipient.",
		what, ref, m.ID, why, attempts)
	notice := cases.Message{CaseID: m.CaseID, Kind: cases.MsgCompliance, Text: text, CreatedAt: now, NextAttemptAt: now}
	var out []cases.Message
	if w.DeadLetterChannel != "" {
		n := notice
		n.Channel = w.DeadLetterChannel
		out = append(out, n)
	}
	if w.Compliance != nil {
		people, err := w.Compliance.People(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if p.Active && p.Has(directory.RoleCompliance) {
				n := notice
				n.RecipientID = p.ID
				out = append(out, n)
			}
		}
	}
	return out, nil
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
		return mrand.Float64()
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
func (w *Worker) lease() time.Duration  { return positive(w.Lease, DefaultLease) }
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
