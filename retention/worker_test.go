package retention_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/reportbot/reportbot/retention"
)

const day = 24 * time.Hour

var t0 = time.Date(2033, 1, 2, 3, 0, 0, 0, time.UTC)

// fakeStore holds counts of closed cases and sent messages due for
// deletion, and records every call.
type fakeStore struct {
	mu          sync.Mutex
	closed      int // cases due for disposal
	sent        int // sent messages due for deletion
	failDispose error
	disposeArgs [][2]time.Time // cutoff, now
	purgeArgs   []time.Time
	limits      []int
}

func (f *fakeStore) DisposeClosedBefore(_ context.Context, cutoff, now time.Time, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disposeArgs = append(f.disposeArgs, [2]time.Time{cutoff, now})
	f.limits = append(f.limits, limit)
	if f.failDispose != nil && len(f.disposeArgs) > 1 {
		return 0, f.failDispose
	}
	n := min(limit, f.closed)
	f.closed -= n
	return n, nil
}

func (f *fakeStore) PurgeSentOutbox(_ context.Context, before time.Time, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.purgeArgs = append(f.purgeArgs, before)
	f.limits = append(f.limits, limit)
	n := min(limit, f.sent)
	f.sent -= n
	return n, nil
}

func (f *fakeStore) calls() (dispose, purge int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.disposeArgs), len(f.purgeArgs)
}

type fakeMetrics struct{ disposed, purged int }

func (m *fakeMetrics) CasesDisposed(n int) { m.disposed += n }
func (m *fakeMetrics) OutboxPurged(n int)  { m.purged += n }

func TestPass(t *testing.T) {
	tests := []struct {
		name                string
		period              time.Duration
		batch               int
		closed, sent        int
		want                retention.Result
		disposeCalls, purge int
	}{
		{"several batches", 7 * 365 * day, 100, 250, 30, retention.Result{Disposed: 250, Purged: 30}, 3, 1},
		{"a full last batch needs one more look", 2555 * day, 100, 200, 100, retention.Result{Disposed: 200, Purged: 100}, 3, 2},
		{"default batch", 72 * time.Hour, 0, 101, 0, retention.Result{Disposed: 101}, 2, 1},
		{"nothing due", 7 * 365 * day, 10, 0, 0, retention.Result{}, 1, 1},
		{"no period keeps cases but purges messages", 0, 10, 50, 15, retention.Result{Purged: 15}, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{closed: tt.closed, sent: tt.sent}
			m := &fakeMetrics{}
			w := &retention.Worker{Store: store, Period: tt.period, Batch: tt.batch, Metrics: m,
				Now: func() time.Time { return t0 }}
			got, err := w.Pass(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Pass = %+v, want %+v", got, tt.want)
			}
			if d, p := store.calls(); d != tt.disposeCalls || p != tt.purge {
				t.Errorf("%d disposal and %d purge calls, want %d and %d", d, p, tt.disposeCalls, tt.purge)
			}
			for _, a := range store.disposeArgs {
				if !a[0].Equal(t0.Add(-tt.period)) || !a[1].Equal(t0) {
					t.Errorf("DisposeClosedBefore(cutoff %v, now %v), want (%v, %v)", a[0], a[1], t0.Add(-tt.period), t0)
				}
			}
			for _, before := range store.purgeArgs {
				if !before.Equal(t0.Add(-30 * day)) {
					t.Errorf("PurgeSentOutbox(before %v), want 30 days before now", before)
				}
			}
			wantBatch := tt.batch
			if wantBatch == 0 {
				wantBatch = retention.DefaultBatch
			}
			for _, l := range store.limits {
				if l != wantBatch {
					t.Errorf("limit %d, want %d", l, wantBatch)
				}
			}
			if m.disposed != tt.want.Disposed || m.purged != tt.want.Purged {
				t.Errorf("metrics %+v, want %+v", *m, tt.want)
			}
		})
	}
}

// A period under a day is a mistake: the worker refuses it before touching
// anything, even if the configuration check was bypassed.
func TestPassRefusesShortPeriod(t *testing.T) {
	for _, p := range []time.Duration{time.Hour, 24*time.Hour - time.Millisecond, -day} {
		store := &fakeStore{closed: 5, sent: 5}
		w := &retention.Worker{Store: store, Period: p}
		if _, err := w.Pass(context.Background()); err == nil || !strings.Contains(err.Error(), "minimum") {
			t.Errorf("period %s: %v, want refused", p, err)
		}
		if d, pu := store.calls(); d+pu != 0 {
			t.Errorf("period %s: the store was called", p)
		}
	}
	if _, err := (&retention.Worker{}).Pass(context.Background()); err == nil {
		t.Error("a Worker without a Store made a pass")
	}
}

// A failed batch stops the disposal but not the purge; what committed is
// counted and returned.
func TestPassError(t *testing.T) {
	boom := errors.New("database went away")
	store := &fakeStore{closed: 250, sent: 3, failDispose: boom}
	m := &fakeMetrics{}
	w := &retention.Worker{Store: store, Period: 7 * 365 * day, Batch: 100, Metrics: m, Now: func() time.Time { return t0 }}
	got, err := w.Pass(context.Background())
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the store's", err)
	}
	if want := (retention.Result{Disposed: 100, Purged: 3}); got != want || m.disposed != 100 || m.purged != 3 {
		t.Errorf("Pass = %+v, metrics %+v; want %+v", got, *m, want)
	}
}

// The pass logs one line of counts: at info when it did something, at
// debug otherwise.
func TestPassLogs(t *testing.T) {
	for _, tt := range []struct {
		closed int
		want   string
	}{
		{3, "level=INFO msg=\"retention pass\" cases_disposed=3 messages_purged=0 period=72h0m0s\n"},
		{0, ""},
	} {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
			ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			},
		}))
		w := &retention.Worker{Store: &fakeStore{closed: tt.closed}, Period: 72 * time.Hour, Log: log}
		if _, err := w.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("log %q, want %q", buf.String(), tt.want)
		}
	}
}

// Run makes a pass at once, then one an interval later, and stops when its
// context ends (synctest's clock: nothing sleeps for real).
func TestRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &fakeStore{}
		w := &retention.Worker{Store: store, Period: 7 * 365 * day}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx, time.Hour); close(done) }()

		synctest.Wait()
		if d, _ := store.calls(); d != 1 {
			t.Fatalf("%d passes at start, want 1", d)
		}
		time.Sleep(time.Hour - time.Second)
		synctest.Wait()
		if d, _ := store.calls(); d != 1 {
			t.Fatalf("%d passes before the hour, want 1", d)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if d, _ := store.calls(); d != 2 {
			t.Fatalf("%d passes after an hour, want 2", d)
		}
		cancel()
		<-done
	})
}
