package sqlstore

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// enqueueN writes n channel messages created at created, all due by then,
// the i-th at created-(n-i) ms (so the oldest-first order is the ID order).
func enqueueN(t *testing.T, s *Store, n int, created time.Time) []int64 {
	t.Helper()
	var ids []int64
	err := s.InTx(ctx, func(tx cases.Tx) error {
		for i := range n {
			m := cases.Message{Kind: cases.MsgCompliance, Channel: "slack:C1", Text: fmt.Sprint(i),
				CreatedAt: created, NextAttemptAt: created.Add(-time.Duration(n-i) * time.Millisecond)}
			if err := tx.Enqueue(ctx, &m); err != nil {
				return err
			}
			ids = append(ids, m.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func msgIDs(ms []cases.Message) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func testClaimBasics(t *testing.T, b backend) {
	s := b.open(t)
	ids := enqueueN(t, s, 4, T0)
	// Not yet due, sent and dead messages are never claimed.
	later := enqueueN(t, s, 1, T0.Add(time.Hour))
	if err := s.MarkSent(ctx, ids[3], "", T0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, ids[2], "", 1, T0, "gone", true); err != nil {
		t.Fatal(err)
	}
	now := T0.Add(time.Second)
	if _, err := s.Claim(ctx, now, "", time.Minute, 10); err == nil {
		t.Error("Claim without an owner")
	}
	got, err := s.Claim(ctx, now, "a", time.Minute, 1)
	if err != nil || fmt.Sprint(msgIDs(got)) != fmt.Sprint(ids[:1]) {
		t.Fatalf("Claim(limit 1) = %v, %v; want %v (oldest first)", msgIDs(got), err, ids[:1])
	}
	m := got[0]
	if m.ClaimedBy != "a" || !m.ClaimedUntil.Equal(now.Add(time.Minute)) || m.Text != "0" || m.Channel != "slack:C1" || m.Status != cases.DeliveryPending {
		t.Errorf("claimed message %+v", m)
	}
	got, err = s.Claim(ctx, now, "a", time.Minute, 10)
	if err != nil || fmt.Sprint(msgIDs(got)) != fmt.Sprint(ids[1:2]) {
		t.Fatalf("second Claim = %v, %v; want %v (the rest is held, done or not due)", msgIDs(got), err, ids[1:2])
	}
	// Two hours on, a's claims have run out and the later message is due.
	got, _ = s.Claim(ctx, T0.Add(2*time.Hour), "b", time.Minute, 10)
	if want := []int64{ids[0], ids[1], later[0]}; fmt.Sprint(msgIDs(got)) != fmt.Sprint(want) {
		t.Errorf("two hours on: %v; want %v", msgIDs(got), want)
	}
}

// Several owners claiming at once never get the same message, and between
// them get every one.
func testClaimConcurrent(t *testing.T, b backend) {
	s := b.open(t)
	ids := enqueueN(t, s, 120, T0)
	now := T0.Add(time.Second)
	var (
		mu  sync.Mutex
		got = map[int64]string{}
		wg  sync.WaitGroup
	)
	for i := range 6 {
		owner := fmt.Sprintf("owner-%d", i)
		wg.Go(func() {
			for {
				ms, err := s.Claim(ctx, now, owner, time.Minute, 7)
				if err != nil {
					t.Errorf("%s: %v", owner, err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					if prev, ok := got[m.ID]; ok {
						t.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
					}
					if m.ClaimedBy != owner {
						t.Errorf("message %d returned to %s claimed by %q", m.ID, owner, m.ClaimedBy)
					}
					got[m.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != len(ids) {
		t.Errorf("claimed %d of %d", len(got), len(ids))
	}
}

// A claim that has run out is taken over; the old owner's marks are then
// refused, the new owner's accepted.
func testClaimExpiredTakenOver(t *testing.T, b backend) {
	s := b.open(t)
	ids := enqueueN(t, s, 1, T0)
	if got, _ := s.Claim(ctx, T0, "a", time.Minute, 10); len(got) != 1 {
		t.Fatalf("a claimed %d", len(got))
	}
	if got, _ := s.Claim(ctx, T0.Add(time.Minute), "b", time.Minute, 10); len(got) != 0 {
		t.Fatalf("taken at the lease's last moment: %+v", got)
	}
	at := T0.Add(time.Minute + time.Millisecond)
	got, err := s.Claim(ctx, at, "b", time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].ClaimedBy != "b" {
		t.Fatalf("after the lease: %+v, %v", got, err)
	}
	if err := s.MarkSent(ctx, ids[0], "a", at); !errors.Is(err, cases.ErrClaimLost) {
		t.Errorf("MarkSent by the old owner: %v", err)
	}
	if err := s.MarkSent(ctx, ids[0], "b", at); err != nil {
		t.Fatal(err)
	}
	m := due(t, s, ids[0])
	if m.Status != cases.DeliverySent || m.ClaimedBy != "" || !m.ClaimedUntil.IsZero() || m.Attempts != 1 {
		t.Errorf("after MarkSent: %+v", m)
	}
}

// due reads one message, whatever its state.
func due(t *testing.T, s *Store, id int64) cases.Message {
	t.Helper()
	var r outboxRow
	if err := s.r.GetContext(ctx, &r, s.rebind(`SELECT `+outboxColumns+` FROM outbox WHERE id = ?`), id); err != nil {
		t.Fatal(err)
	}
	return r.toMessage()
}

func testClaimOnlyOwnerMarks(t *testing.T, b backend) {
	s := b.open(t)
	ids := enqueueN(t, s, 2, T0)
	if got, _ := s.Claim(ctx, T0, "a", time.Minute, 10); len(got) != 2 {
		t.Fatalf("a claimed %d", len(got))
	}
	for _, owner := range []string{"b", ""} {
		if err := s.MarkSent(ctx, ids[0], owner, T0); !errors.Is(err, cases.ErrClaimLost) {
			t.Errorf("MarkSent by %q: %v", owner, err)
		}
		if err := s.MarkFailed(ctx, ids[0], owner, 1, T0.Add(time.Hour), "x", true); !errors.Is(err, cases.ErrClaimLost) {
			t.Errorf("MarkFailed by %q: %v", owner, err)
		}
	}
	if m := due(t, s, ids[0]); m.Status != cases.DeliveryPending || m.ClaimedBy != "a" || m.Attempts != 0 {
		t.Errorf("refused marks changed the message: %+v", m)
	}
	// The owner's retry clears the claim: the message is free when due.
	if err := s.MarkFailed(ctx, ids[0], "a", 1, T0.Add(30*time.Second), "timeout", false); err != nil {
		t.Fatal(err)
	}
	m := due(t, s, ids[0])
	if m.Status != cases.DeliveryPending || m.ClaimedBy != "" || !m.ClaimedUntil.IsZero() || m.Attempts != 1 || m.LastError != "timeout" {
		t.Errorf("after MarkFailed: %+v", m)
	}
	if got, _ := s.Claim(ctx, T0.Add(30*time.Second), "b", time.Minute, 10); len(got) != 1 || got[0].ID != ids[0] {
		t.Errorf("b claimed %v, want the retried message (the other is a's)", msgIDs(got))
	}
	// Marking twice: the second is refused.
	if err := s.MarkSent(ctx, ids[1], "a", T0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, ids[1], "a", T0); !errors.Is(err, cases.ErrClaimLost) {
		t.Errorf("second MarkSent: %v", err)
	}
}

// Release on shutdown: the messages given back are claimable at once; a
// release by someone else, or of a message already marked, changes nothing.
func testClaimRelease(t *testing.T, b backend) {
	s := b.open(t)
	ids := enqueueN(t, s, 3, T0)
	if got, _ := s.Claim(ctx, T0, "a", time.Hour, 10); len(got) != 3 {
		t.Fatalf("a claimed %d", len(got))
	}
	if err := s.MarkSent(ctx, ids[0], "a", T0); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(ctx, "b", ids); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Claim(ctx, T0, "b", time.Hour, 10); len(got) != 0 {
		t.Fatalf("a release by b freed %v", msgIDs(got))
	}
	if err := s.Release(ctx, "a", ids); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(ctx, "a", nil); err != nil {
		t.Fatal(err)
	}
	if m := due(t, s, ids[0]); m.Status != cases.DeliverySent {
		t.Errorf("release touched a sent message: %+v", m)
	}
	got, err := s.Claim(ctx, T0, "b", time.Hour, 10)
	if err != nil || fmt.Sprint(msgIDs(got)) != fmt.Sprint(ids[1:]) {
		t.Errorf("after release b claimed %v, %v; want %v at once", msgIDs(got), err, ids[1:])
	}
}

// Dead-letter notices are written with the dead mark, in one transaction:
// not at all when the mark is refused, never for a retry.
func testClaimDeadLetters(t *testing.T, b backend) {
	s := b.open(t)
	ids := enqueueN(t, s, 2, T0)
	s.Claim(ctx, T0, "a", time.Minute, 10)
	notice := cases.Message{Kind: cases.MsgCompliance, Channel: "slack:C0COMP", Text: "could not deliver", CreatedAt: T0}
	if err := s.MarkFailed(ctx, ids[0], "b", 1, T0, "x", true, notice); !errors.Is(err, cases.ErrClaimLost) {
		t.Fatalf("refused mark: %v", err)
	}
	if err := s.MarkFailed(ctx, ids[1], "a", 1, T0.Add(time.Hour), "x", false, notice); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueMessages(ctx, T0, 10); len(due) != 1 || due[0].ID != ids[0] {
		t.Fatalf("notices written without a dead mark: %+v", due)
	}
	if err := s.MarkFailed(ctx, ids[0], "a", 1, T0, "x", true, notice, notice); err != nil {
		t.Fatal(err)
	}
	got, _ := s.DueMessages(ctx, T0, 10)
	if len(got) != 2 {
		t.Fatalf("notices %+v", got)
	}
	for _, n := range got {
		if n.DeadLetterOf != ids[0] || n.Channel != "slack:C0COMP" || n.Text != "could not deliver" || n.Kind != cases.MsgCompliance || n.ClaimedBy != "" {
			t.Errorf("notice %+v", n)
		}
	}
	if m := due(t, s, ids[0]); m.Status != cases.DeliveryDead || m.ClaimedBy != "" {
		t.Errorf("dead message %+v", m)
	}
}
