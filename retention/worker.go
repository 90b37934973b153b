package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Store is what the worker needs of the database; *sqlstore.Store
// implements it. Each call is one transaction and returns how many rows it
// handled; fewer than limit means none are left.
type Store interface {
	// DisposeClosedBefore disposes of up to limit cases closed before
	// cutoff, stamping the disposals with now.
	DisposeClosedBefore(ctx context.Context, cutoff, now time.Time, limit int) (int, error)
	// PurgeSentOutbox deletes up to limit messages sent before the given
	// time.
	PurgeSentOutbox(ctx context.Context, before time.Time, limit int) (int, error)
}

// Metrics receives the counts; *server.Metrics implements it.
type Metrics interface {
	CasesDisposed(n int)
	OutboxPurged(n int)
}

const (
	// MinPeriod is the shortest retention period accepted: anything shorter
	// is a mistake, not a records schedule.
	MinPeriod = 24 * time.Hour
	// SentMessageAge is how long a sent message is kept: sent messages are
	// copies of what the platform holds, not records, and a month covers
	// any question about a delivery. Pending and dead messages stay.
	SentMessageAge = 30 * 24 * time.Hour
	// DefaultBatch is how many rows one transaction handles.
	DefaultBatch = 100
	// DefaultInterval is how often Run makes a pass.
	DefaultInterval = time.Hour
)

// Worker disposes of closed cases past the retention period and purges
// sent messages. Store is required; every other field has a default.
// Several workers (replicas) may run at once: the store takes care that a
// case is disposed of once.
type Worker struct {
	Store Store
	// Period is how long a case is kept after it was closed; 0 keeps closed
	// cases indefinitely (sent messages are still purged).
	Period time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	Log *slog.Logger
	// Metrics, when set, counts disposed cases and purged messages.
	Metrics Metrics
	// Batch is how many rows one transaction handles (default 100).
	Batch int
}

// Result is what one pass did.
type Result struct {
	Disposed int // cases disposed of
	Purged   int // sent messages deleted
}

// Pass disposes of every case closed before now−Period, then deletes every
// message sent before now−SentMessageAge, a batch per transaction until
// none are left. An error in one part does not stop the other; the counts
// are of what was done. The summary it logs holds counts only.
func (w *Worker) Pass(ctx context.Context) (Result, error) {
	var res Result
	if w.Store == nil {
		return res, errors.New("retention: a Worker needs a Store")
	}
	if w.Period < 0 || (w.Period > 0 && w.Period < MinPeriod) {
		return res, fmt.Errorf("retention: a period of %s is under the %s minimum; nothing was disposed of", w.Period, MinPeriod)
	}
	now := w.now()
	var errs []error
	if w.Period > 0 {
		cutoff := now.Add(-w.Period)
		n, err := w.drain(ctx, func(limit int) (int, error) {
			return w.Store.DisposeClosedBefore(ctx, cutoff, now, limit)
		}, w.countDisposed)
		res.Disposed = n
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: disposing of closed cases: %w", err))
		}
	}
	before := now.Add(-SentMessageAge)
	n, err := w.drain(ctx, func(limit int) (int, error) {
		return w.Store.PurgeSentOutbox(ctx, before, limit)
	}, w.countPurged)
	res.Purged = n
	if err != nil {
		errs = append(errs, fmt.Errorf("retention: deleting sent messages: %w", err))
	}
	level := slog.LevelDebug
	if res != (Result{}) {
		level = slog.LevelInfo
	}
	w.log().Log(ctx, level, "retention pass", slog.Int("cases_disposed", res.Disposed),
		slog.Int("messages_purged", res.Purged), slog.Duration("period", w.Period))
	return res, errors.Join(errs...)
}

// drain calls batch until it handles fewer rows than a batch, counting each
// batch as it commits, and returns the total.
func (w *Worker) drain(ctx context.Context, batch func(limit int) (int, error), count func(int)) (int, error) {
	total, limit := 0, w.batch()
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := batch(limit)
		if n > 0 {
			total += n
			count(n)
		}
		if err != nil || n < limit {
			return total, err
		}
	}
}

// Run makes a pass at once and then every interval (0: DefaultInterval)
// until ctx ends. A failed pass is logged; the next one starts afresh,
// since everything it needs is in the database.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := w.Pass(ctx); err != nil && ctx.Err() == nil {
			w.log().Error("retention pass failed", slog.String("err", err.Error()))
		}
		select {
		case <-ctx.Done():
			w.log().Info("retention stopped")
			return
		case <-t.C:
		}
	}
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Worker) batch() int {
	if w.Batch > 0 {
		return w.Batch
	}
	return DefaultBatch
}

func (w *Worker) countDisposed(n int) {
	if w.Metrics != nil {
		w.Metrics.CasesDisposed(n)
	}
}

func (w *Worker) countPurged(n int) {
	if w.Metrics != nil {
		w.Metrics.OutboxPurged(n)
	}
}
