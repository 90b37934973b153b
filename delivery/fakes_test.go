package delivery_test

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// fakeOutbox is cases.Outbox in memory, as the store keeps it.
type fakeOutbox struct {
	mu   sync.Mutex
	msgs map[int64]*cases.Message
	// failMarks makes MarkSent, MarkFailed and Release fail (a store gone
	// away).
	failMarks error
	next      int64 // numbers dead-letter notices from 1001
}

func newOutbox(msgs ...cases.Message) *fakeOutbox {
	o := &fakeOutbox{msgs: map[int64]*cases.Message{}}
	for i := range msgs {
		m := msgs[i]
		if m.Status == "" {
			m.Status = cases.DeliveryPending
		}
		o.msgs[m.ID] = &m
	}
	return o
}

func (o *fakeOutbox) DueMessages(ctx context.Context, now time.Time, limit int) ([]cases.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.due(now, limit, false), nil
}

// due lists pending messages due by now, oldest first; free leaves out those
// with a live claim.
func (o *fakeOutbox) due(now time.Time, limit int, free bool) []cases.Message {
	var due []cases.Message
	for _, m := range o.msgs {
		if m.Status == cases.DeliveryPending && !m.NextAttemptAt.After(now) &&
			(!free || m.ClaimedUntil.IsZero() || m.ClaimedUntil.Before(now)) {
			due = append(due, *m)
		}
	}
	slices.SortFunc(due, func(a, b cases.Message) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return due[:min(limit, len(due))]
}

func (o *fakeOutbox) Claim(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]cases.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	got := o.due(now, limit, true)
	for i := range got {
		m := o.msgs[got[i].ID]
		m.ClaimedBy, m.ClaimedUntil = owner, now.Add(lease)
		got[i] = *m
	}
	return got, nil
}

func (o *fakeOutbox) Release(ctx context.Context, owner string, ids []int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failMarks != nil {
		return o.failMarks
	}
	for _, id := range ids {
		if m := o.msgs[id]; m.ClaimedBy == owner && m.Status == cases.DeliveryPending {
			m.ClaimedBy, m.ClaimedUntil = "", time.Time{}
		}
	}
	return nil
}

// held checks the store's owner rule.
func (o *fakeOutbox) held(m *cases.Message, owner string) error {
	if m.Status != cases.DeliveryPending || m.ClaimedBy != owner {
		return cases.ErrClaimLost
	}
	return nil
}

func (o *fakeOutbox) MarkSent(ctx context.Context, id int64, owner string, at time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failMarks != nil {
		return o.failMarks
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m := o.msgs[id]
	if err := o.held(m, owner); err != nil {
		return err
	}
	m.Status, m.SentAt = cases.DeliverySent, at
	m.Attempts++
	m.ClaimedBy, m.ClaimedUntil = "", time.Time{}
	return nil
}

func (o *fakeOutbox) MarkFailed(ctx context.Context, id int64, owner string, attempts int, next time.Time, lastErr string, dead bool, notices ...cases.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failMarks != nil {
		return o.failMarks
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m := o.msgs[id]
	if err := o.held(m, owner); err != nil {
		return err
	}
	m.Attempts, m.NextAttemptAt, m.LastError = attempts, next, lastErr
	m.ClaimedBy, m.ClaimedUntil = "", time.Time{}
	if dead {
		m.Status = cases.DeliveryDead
		for _, n := range notices {
			o.next++
			n.ID, n.DeadLetterOf, n.Status = 1000+o.next, id, cases.DeliveryPending
			o.msgs[n.ID] = &n
		}
	}
	return nil
}

func (o *fakeOutbox) get(id int64) cases.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return *o.msgs[id]
}

// senderFunc is a Sender from a function.
type senderFunc func(ctx context.Context, m cases.Message) error

func (f senderFunc) Deliver(ctx context.Context, m cases.Message) error { return f(ctx, m) }

// recorder records what was delivered.
type recorder struct {
	mu   sync.Mutex
	sent []int64
}

func (r *recorder) Deliver(_ context.Context, m cases.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m.ID)
	return nil
}

// fakeMetrics counts what the worker reports.
type fakeMetrics struct {
	sent   map[string]int // platform/kind
	failed map[string]int // platform/reason
	dead   int
}

func newMetrics() *fakeMetrics {
	return &fakeMetrics{sent: map[string]int{}, failed: map[string]int{}}
}

func (f *fakeMetrics) MessageSent(platform, kind string)     { f.sent[platform+"/"+kind]++ }
func (f *fakeMetrics) MessageFailed(platform, reason string) { f.failed[platform+"/"+reason]++ }
func (f *fakeMetrics) MessageDead()                          { f.dead++ }

// clock is a hand-moved clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }
