package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/delivery"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func msg(id int64, created time.Time) cases.Message {
	return cases.Message{ID: id, CaseID: cases.ID(id), Kind: cases.MsgAssigneeCase, RecipientID: 7,
		Text: "New report", NextAttemptAt: created, CreatedAt: created}
}

// worker makes a worker with a fixed clock and the jitter in the middle,
// so that delays are exact.
func worker(o cases.Outbox, s delivery.Sender, c *clock, m delivery.Metrics) *delivery.Worker {
	return &delivery.Worker{Outbox: o, Sender: s, Platform: "slack", Now: c.Now, Metrics: m,
		Rand: func() float64 { return 0.5 }}
}

func TestSend(t *testing.T) {
	c := &clock{t0}
	later := msg(3, t0)
	later.NextAttemptAt = t0.Add(time.Minute)
	o := newOutbox(msg(1, t0.Add(-time.Second)), msg(2, t0), later)
	rec, met := &recorder{}, newMetrics()
	sent, failed, err := worker(o, rec, c, met).RunOnce(context.Background())
	if err != nil || sent != 2 || failed != 0 {
		t.Fatalf("RunOnce = %d, %d, %v; want 2 sent", sent, failed, err)
	}
	if fmt.Sprint(rec.sent) != "[1 2]" {
		t.Errorf("delivered %v, want [1 2] (oldest first; 3 is not due)", rec.sent)
	}
	for _, id := range []int64{1, 2} {
		if m := o.get(id); m.Status != cases.DeliverySent || !m.SentAt.Equal(t0) || m.Attempts != 1 {
			t.Errorf("message %d: %+v", id, m)
		}
	}
	if o.get(3).Status != cases.DeliveryPending {
		t.Error("a message not yet due was touched")
	}
	if met.sent["slack/assignee_case"] != 2 {
		t.Errorf("metrics: %+v", met)
	}
}

// A platform that is down: each failure waits twice as long as the last,
// capped at 30 minutes, and the message goes out once the platform is back.
func TestBackoffSchedule(t *testing.T) {
	c := &clock{t0}
	o := newOutbox(msg(1, t0))
	down := true
	s := senderFunc(func(context.Context, cases.Message) error {
		if down {
			return errors.New("platform unavailable")
		}
		return nil
	})
	met := newMetrics()
	w := worker(o, s, c, met)
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute,
		8 * time.Minute, 16 * time.Minute, 30 * time.Minute, 30 * time.Minute}
	for i, d := range want {
		_, failed, err := w.RunOnce(context.Background())
		if err != nil || failed != 1 {
			t.Fatalf("attempt %d: failed %d, %v", i+1, failed, err)
		}
		m := o.get(1)
		if got := m.NextAttemptAt.Sub(c.Now()); got != d || m.Attempts != i+1 || m.Status != cases.DeliveryPending {
			t.Fatalf("after failure %d: retry in %s, attempts %d, %s; want %s", i+1, got, m.Attempts, m.Status, d)
		}
		if m.LastError != "platform unavailable" {
			t.Errorf("last error %q", m.LastError)
		}
		// Not due a moment before its time.
		c.Advance(d - time.Millisecond)
		if _, failed, _ := w.RunOnce(context.Background()); failed != 0 {
			t.Fatalf("retried %s early", time.Millisecond)
		}
		c.Advance(time.Millisecond)
	}
	down = false
	if sent, _, err := w.RunOnce(context.Background()); sent != 1 || err != nil {
		t.Fatalf("after recovery: sent %d, %v", sent, err)
	}
	if m := o.get(1); m.Status != cases.DeliverySent || m.Attempts != len(want)+1 {
		t.Errorf("message: %+v", m)
	}
	if met.failed["slack/error"] != len(want) || met.dead != 0 {
		t.Errorf("metrics: %+v", met)
	}
}

func TestBackoffDelay(t *testing.T) {
	b := delivery.DefaultBackoff()
	tests := []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{1, 0.5, 30 * time.Second},
		{1, 0, 24 * time.Second},    // -20%
		{1, 0.75, 33 * time.Second}, // +10%
		{1, 0.999, 35988 * time.Millisecond},
		{2, 0.5, time.Minute},
		{6, 0.5, 16 * time.Minute},
		{7, 0.5, 30 * time.Minute},   // 32 min capped
		{7, 0, 24 * time.Minute},     // jitter below the cap
		{7, 0.999, 30 * time.Minute}, // never above it
		{1000, 0.5, 30 * time.Minute},
	}
	for _, tt := range tests {
		if got := b.Delay(tt.n, tt.r); got != tt.want {
			t.Errorf("Delay(%d, %v) = %s, want %s", tt.n, tt.r, got, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		attempts int
		want     time.Duration
	}{
		// Past MaxAttempts: rate limits are not the message's failure.
		{"as returned", &delivery.RetryAfter{After: 7 * time.Second}, 40, 7 * time.Second},
		{"wrapped", fmt.Errorf("chat.postMessage: %w", &delivery.RetryAfter{After: 90 * time.Minute, Err: errors.New("429")}), 40, 90 * time.Minute},
		{"no time given: backoff", &delivery.RetryAfter{}, 0, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t0}
			m := msg(1, t0)
			m.Attempts = tt.attempts
			o := newOutbox(m)
			w := worker(o, senderFunc(func(context.Context, cases.Message) error { return tt.err }), c, nil)
			if _, failed, err := w.RunOnce(context.Background()); failed != 1 || err != nil {
				t.Fatalf("failed %d, %v", failed, err)
			}
			got := o.get(1)
			if got.Status != cases.DeliveryPending || !got.NextAttemptAt.Equal(t0.Add(tt.want)) {
				t.Errorf("status %s, next attempt in %s; want pending, %s", got.Status, got.NextAttemptAt.Sub(t0), tt.want)
			}
		})
	}
}

func TestGiveUp(t *testing.T) {
	tests := []struct {
		name     string
		age      time.Duration
		attempts int
		err      error
		reason   string
	}{
		{"permanent error, first attempt", 0, 0, fmt.Errorf("users.info: %w", delivery.Permanent(errors.New("user_not_found"))), "slack/permanent"},
		{"older than MaxAge", 24 * time.Hour, 3, errors.New("timeout"), "slack/error"},
		{"MaxAge even when rate limited", 25 * time.Hour, 3, &delivery.RetryAfter{After: time.Second}, "slack/rate_limited"},
		{"MaxAttempts", time.Hour, 19, errors.New("timeout"), "slack/error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t0}
			m := msg(1, t0.Add(-tt.age))
			m.Attempts = tt.attempts
			o := newOutbox(m)
			met := newMetrics()
			w := worker(o, senderFunc(func(context.Context, cases.Message) error { return tt.err }), c, met)
			if _, failed, err := w.RunOnce(context.Background()); failed != 1 || err != nil {
				t.Fatalf("failed %d, %v", failed, err)
			}
			got := o.get(1)
			if got.Status != cases.DeliveryDead || got.Attempts != tt.attempts+1 || got.LastError == "" {
				t.Errorf("message: %+v, want dead after %d attempts with the error", got, tt.attempts+1)
			}
			if met.dead != 1 || met.failed[tt.reason] != 1 {
				t.Errorf("metrics: %+v", met)
			}
			// Dead is final: nothing is due any more.
			c.Advance(48 * time.Hour)
			if sent, failed, _ := w.RunOnce(context.Background()); sent+failed != 0 {
				t.Error("a dead message was tried again")
			}
		})
	}
	if delivery.Permanent(nil) != nil || delivery.IsPermanent(errors.New("x")) {
		t.Error("Permanent(nil) or IsPermanent of a plain error")
	}
}

// Cancelling stops the pass after the message being sent, which is still
// recorded: its send is not cut short.
func TestCancelFinishesCurrentMessage(t *testing.T) {
	c := &clock{t0}
	o := newOutbox(msg(1, t0), msg(2, t0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := senderFunc(func(sctx context.Context, m cases.Message) error {
		cancel() // SIGTERM arrives while message 1 is on its way
		return sctx.Err()
	})
	sent, failed, err := worker(o, s, c, nil).RunOnce(ctx)
	if !errors.Is(err, context.Canceled) || sent != 1 || failed != 0 {
		t.Fatalf("RunOnce = %d, %d, %v; want 1 sent then context.Canceled", sent, failed, err)
	}
	if o.get(1).Status != cases.DeliverySent || o.get(2).Status != cases.DeliveryPending {
		t.Errorf("messages: %+v, %+v", o.get(1), o.get(2))
	}
	// Message 2 was claimed but not started: released, so that another
	// replica can take it at once.
	if m := o.get(2); m.ClaimedBy != "" || !m.ClaimedUntil.IsZero() {
		t.Errorf("message 2 still claimed: %+v", m)
	}
	if got, _ := o.Claim(context.Background(), c.Now(), "other", time.Minute, 10); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("another replica claimed %+v, want message 2", got)
	}
}

func TestRunStops(t *testing.T) {
	c := &clock{t0}
	o := newOutbox(msg(1, t0), msg(2, t0), msg(3, t0))
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	s := senderFunc(func(context.Context, cases.Message) error {
		if n++; n == 2 {
			cancel()
		}
		return nil
	})
	w := worker(o, s, c, nil)
	w.Batch = 1 // full batches run back to back, without the ticker
	done := make(chan struct{})
	go func() {
		w.Run(ctx, time.Hour) // an hour: only the batches and ctx move it
		close(done)
	}()
	<-done
	if o.get(1).Status != cases.DeliverySent || o.get(2).Status != cases.DeliverySent || o.get(3).Status != cases.DeliveryPending {
		t.Errorf("messages: %+v %+v %+v", o.get(1), o.get(2), o.get(3))
	}
}

// A store that cannot record a result stops the pass: the message stays
// pending and is sent again later (at least once, never lost).
func TestStoreErrors(t *testing.T) {
	c := &clock{t0}
	o := newOutbox(msg(1, t0), msg(2, t0))
	o.failMarks = errors.New("database is locked")
	rec := &recorder{}
	sent, failed, err := worker(o, rec, c, nil).RunOnce(context.Background())
	if err == nil || sent != 0 || failed != 0 || len(rec.sent) != 1 {
		t.Fatalf("RunOnce = %d, %d, %v after %v; want a stop after the first message", sent, failed, err, rec.sent)
	}
	o.failMarks = nil
	// The first worker's claims could not be recorded nor released: another
	// worker takes the messages when the lease ends, not before.
	w2 := worker(o, rec, c, nil)
	c.Advance(delivery.DefaultLease)
	if sent, _, err := w2.RunOnce(context.Background()); sent != 0 || err != nil {
		t.Fatalf("pass within the lease: sent %d, %v", sent, err)
	}
	c.Advance(time.Millisecond)
	if sent, _, err := w2.RunOnce(context.Background()); sent != 2 || err != nil {
		t.Fatalf("next pass: sent %d, %v", sent, err)
	}
	if fmt.Sprint(rec.sent) != "[1 1 2]" {
		t.Errorf("deliveries %v, want message 1 twice (at least once)", rec.sent)
	}
	if _, _, err := (&delivery.Worker{}).RunOnce(context.Background()); err == nil {
		t.Error("a Worker without an Outbox ran")
	}
}

// A send starts only while the claim will outlast it and its record
// (2×SendTimeout); otherwise the batch goes back for a fresh claim.
func TestLeaseTooShortToSend(t *testing.T) {
	c := &clock{t0}
	o := newOutbox(msg(1, t0), msg(2, t0))
	rec := &recorder{}
	w := worker(o, rec, c, nil)
	w.Lease, w.SendTimeout = 50*time.Second, 30*time.Second
	if sent, failed, err := w.RunOnce(context.Background()); sent+failed != 0 || err != nil || len(rec.sent) != 0 {
		t.Fatalf("RunOnce = %d, %d, %v, sent %v; want nothing sent", sent, failed, err, rec.sent)
	}
	if m := o.get(1); m.ClaimedBy != "" {
		t.Errorf("not released: %+v", m)
	}
}

// A record refused because another worker took the message (the lease ran
// out) is logged; the pass goes on.
func TestClaimLostGoesOn(t *testing.T) {
	c := &clock{t0}
	o := newOutbox(msg(1, t0), msg(2, t0))
	s := senderFunc(func(_ context.Context, m cases.Message) error {
		if m.ID == 1 { // meanwhile another replica took message 1
			o.mu.Lock()
			o.msgs[1].ClaimedBy = "other"
			o.mu.Unlock()
		}
		return nil
	})
	sent, failed, err := worker(o, s, c, nil).RunOnce(context.Background())
	if sent != 2 || failed != 0 || err != nil {
		t.Fatalf("RunOnce = %d, %d, %v", sent, failed, err)
	}
	if o.get(1).Status != cases.DeliveryPending || o.get(1).ClaimedBy != "other" || o.get(2).Status != cases.DeliverySent {
		t.Errorf("messages %+v %+v", o.get(1), o.get(2))
	}
}
