package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/store/sqlstore"
	"github.com/reportbot/reportbot/store/storetest"
)

// openStore opens a fresh database of b, closed when tb ends.
func openStore(tb testing.TB, b storetest.Backend) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(context.Background(), b.NewURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// fill enqueues n messages to a channel, created at created, in one
// transaction, and returns their IDs.
func fill(tb testing.TB, s *sqlstore.Store, n int, created time.Time) []int64 {
	tb.Helper()
	ids := make([]int64, 0, n)
	err := s.InTx(context.Background(), func(tx cases.Tx) error {
		for i := range n {
			m := cases.Message{Kind: cases.MsgCompliance, Channel: "slack:C1", Text: fmt.Sprintf("m%d", i), CreatedAt: created}
			if err := tx.Enqueue(context.Background(), &m); err != nil {
				return err
			}
			ids = append(ids, m.ID)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// counter counts deliveries per message, safe for several workers.
type counter struct {
	mu    sync.Mutex
	n     map[int64]int
	total atomic.Int64
}

func newCounter() *counter { return &counter{n: map[int64]int{}} }

func (c *counter) Deliver(_ context.Context, m cases.Message) error {
	c.mu.Lock()
	c.n[m.ID]++
	c.mu.Unlock()
	c.total.Add(1)
	return nil
}

func (c *counter) count(id int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

// Two replicas (two Workers with their own owners) on one database send
// each of 200 messages exactly once.
func TestTwoReplicasSendEachOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := openStore(t, b)
		now := t0.Truncate(time.Millisecond)
		ids := fill(t, s, 200, now)
		c := &clock{now}
		rec := newCounter()
		per := map[string]*atomic.Int64{"replica-a": {}, "replica-b": {}}
		var wg sync.WaitGroup
		for owner, n := range per {
			w := &delivery.Worker{Outbox: s, Sender: rec, Owner: owner, Platform: "slack", Now: c.Now, Batch: 7,
				Rand: func() float64 { return 0.5 }}
			wg.Go(func() {
				for range 10_000 {
					if rec.total.Load() >= int64(len(ids)) {
						return
					}
					sent, failed, err := w.RunOnce(context.Background())
					if err != nil || failed != 0 {
						t.Errorf("%s: RunOnce = %d, %d, %v", owner, sent, failed, err)
						return
					}
					n.Add(int64(sent))
				}
				t.Errorf("%s: gave up waiting", owner)
			})
		}
		wg.Wait()
		for _, id := range ids {
			if n := rec.count(id); n != 1 {
				t.Errorf("message %d delivered %d times, want once", id, n)
			}
		}
		if due, err := s.DueMessages(context.Background(), c.Now(), 10); err != nil || len(due) != 0 {
			t.Errorf("still pending: %d, %v", len(due), err)
		}
		a, bb := per["replica-a"].Load(), per["replica-b"].Load()
		if a+bb != int64(len(ids)) {
			t.Errorf("sent %d + %d, want %d", a, bb, len(ids))
		}
		t.Logf("replica-a sent %d, replica-b %d", a, bb)
	})
}

// The chat API fails for an hour, then recovers: the worker, run every
// simulated minute, backs off, and every message goes out after the
// recovery; none is given up on.
func TestChatDownForAnHour(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := openStore(t, b)
		start := t0.Truncate(time.Millisecond)
		ids := fill(t, s, 20, start)
		c := &clock{start}
		back := start.Add(time.Hour)
		rec := newCounter()
		calls := 0
		sender := senderFunc(func(ctx context.Context, m cases.Message) error {
			calls++
			if c.Now().Before(back) {
				return errors.New("503 service unavailable")
			}
			return rec.Deliver(ctx, m)
		})
		met := newMetrics()
		w := worker(s, sender, c, met)
		for c.Now().Before(start.Add(2 * time.Hour)) {
			if _, _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatalf("at %s: %v", c.Now().Sub(start), err)
			}
			c.Advance(time.Minute)
		}
		for _, id := range ids {
			if rec.count(id) != 1 {
				t.Errorf("message %d delivered %d times", id, rec.count(id))
			}
		}
		if met.dead != 0 || met.sent["slack/compliance"] != len(ids) {
			t.Errorf("metrics: %+v", met)
		}
		// 30 s, 1, 2, 4, 8, 16, 30 min: seven failures fill the hour, and
		// the attempt at 61.5 min succeeds.
		if want := len(ids) * 8; calls != want {
			t.Errorf("%d attempts, want %d (backoff)", calls, want)
		}
		if due, _ := s.DueMessages(context.Background(), c.Now().Add(48*time.Hour), 100); len(due) != 0 {
			t.Errorf("still pending: %+v", due)
		}
	})
}

// crashingOutbox is a store whose process dies after claiming: nothing
// more is written.
type crashingOutbox struct {
	cases.Outbox
}

var errCrashed = errors.New("process killed")

func (crashingOutbox) MarkSent(context.Context, int64, string, time.Time) error { return errCrashed }
func (crashingOutbox) MarkFailed(context.Context, int64, string, int, time.Time, string, bool, ...cases.Message) error {
	return errCrashed
}
func (crashingOutbox) Release(context.Context, string, []int64) error { return errCrashed }

// A replica dies mid-delivery: it claimed two messages and sent the first
// without recording it. Nobody takes them while the lease runs; then a new
// worker sends both. The first arrives twice (at least once), the second
// once, and neither is lost.
func TestRestartMidDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := openStore(t, b)
		now := t0.Truncate(time.Millisecond)
		ids := fill(t, s, 2, now)
		c := &clock{now}
		rec := newCounter()
		dying := worker(crashingOutbox{s}, rec, c, nil)
		dying.Owner, dying.Lease = "replica-a", 2*time.Minute
		if _, _, err := dying.RunOnce(context.Background()); !errors.Is(err, errCrashed) {
			t.Fatalf("dying worker: %v", err)
		}
		if rec.count(ids[0]) != 1 || rec.count(ids[1]) != 0 {
			t.Fatalf("before the crash: %v", rec.n)
		}

		next := worker(s, rec, c, nil)
		next.Owner = "replica-b"
		c.Advance(2 * time.Minute) // the lease's last moment: still held
		if sent, _, err := next.RunOnce(context.Background()); sent != 0 || err != nil {
			t.Fatalf("within the lease: sent %d, %v", sent, err)
		}
		c.Advance(time.Millisecond)
		if sent, _, err := next.RunOnce(context.Background()); sent != 2 || err != nil {
			t.Fatalf("after the lease: sent %d, %v", sent, err)
		}
		if rec.count(ids[0]) != 2 || rec.count(ids[1]) != 1 {
			t.Errorf("deliveries %v: want the first twice, the second once", rec.n)
		}
		// The dead replica's late write is refused.
		if err := s.MarkSent(context.Background(), ids[0], "replica-a", c.Now()); !errors.Is(err, cases.ErrClaimLost) {
			t.Errorf("late MarkSent by the old owner: %v", err)
		}
	})
}

// A message given up on tells compliance, in the channel and each active
// compliance lead, in the same transaction; a dead-letter notice that dies
// in turn tells nobody.
func TestDeadLetters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		now := t0.Truncate(time.Millisecond)
		if _, err := s.SyncPeople(ctx, []directory.Person{
			{Email: "ana@example.gov", Name: "Ana", Active: true},
			{Email: "carla@example.gov", Name: "Carla", Active: true, Roles: []directory.Role{directory.RoleCompliance}},
			{Email: "kofi@example.gov", Name: "Kofi", Active: true, Roles: []directory.Role{directory.RoleCompliance}},
		}, now); err != nil {
			t.Fatal(err)
		}
		// Kofi has left: inactive people are not told.
		if _, err := s.SyncPeople(ctx, []directory.Person{
			{Email: "ana@example.gov", Name: "Ana", Active: true},
			{Email: "carla@example.gov", Name: "Carla", Active: true, Roles: []directory.Role{directory.RoleCompliance}},
		}, now); err != nil {
			t.Fatal(err)
		}
		ana, _ := s.PersonByEmail(ctx, "ana@example.gov")
		carla, _ := s.PersonByEmail(ctx, "carla@example.gov")
		var orig cases.Message
		err := s.InTx(ctx, func(tx cases.Tx) error {
			c := cases.Case{Status: cases.StatusOpen, ReporterID: ana.ID, AssigneeID: ana.ID, CreatedAt: now}
			if err := tx.InsertCase(ctx, &c); err != nil {
				return err
			}
			orig = cases.Message{CaseID: c.ID, Kind: cases.MsgReporterNotice, RecipientID: ana.ID, Text: "Your report…", CreatedAt: now}
			return tx.Enqueue(ctx, &orig)
		})
		if err != nil {
			t.Fatal(err)
		}
		c := &clock{now}
		var got []cases.Message
		refuse := senderFunc(func(_ context.Context, m cases.Message) error {
			got = append(got, m)
			return delivery.Permanent(errors.New("user_not_found"))
		})
		met := newMetrics()
		w := worker(s, refuse, c, met)
		w.DeadLetterChannel, w.Compliance = "slack:C0COMPLIANCE", s
		if _, failed, err := w.RunOnce(ctx); failed != 1 || err != nil {
			t.Fatalf("first pass: %d, %v", failed, err)
		}
		notices, err := s.DueMessages(ctx, c.Now(), 10)
		if err != nil || len(notices) != 2 {
			t.Fatalf("notices %+v, %v; want the channel and Carla", notices, err)
		}
		for _, n := range notices {
			if n.Kind != cases.MsgCompliance || n.DeadLetterOf != orig.ID || n.CaseID != orig.CaseID ||
				n.Text != fmt.Sprintf("Could not deliver a notice to the reporter (for %s, message %d): the platform refused it for good after 1 attempt(s). Please make sure it reaches its recipient.", orig.CaseID, orig.ID) {
				t.Errorf("notice %+v", n)
			}
		}
		if notices[0].Channel != "slack:C0COMPLIANCE" || notices[1].RecipientID != carla.ID {
			t.Errorf("notices go to %q and %d; want the channel and Carla (%d)", notices[0].Channel, notices[1].RecipientID, carla.ID)
		}
		// The notices are refused too: dead, and nobody is told about them.
		if _, failed, err := w.RunOnce(ctx); failed != 2 || err != nil {
			t.Fatalf("second pass: %d, %v", failed, err)
		}
		c.Advance(48 * time.Hour)
		if due, _ := s.DueMessages(ctx, c.Now(), 10); len(due) != 0 {
			t.Errorf("a notice about a notice: %+v", due)
		}
		if met.dead != 3 || len(got) != 3 {
			t.Errorf("dead %d, sends %d; want 3 and 3", met.dead, len(got))
		}
	})
}
