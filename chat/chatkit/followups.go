package chatkit

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Followups runs the work an adapter does after answering a request (a
// private reply, a DM, a form's result) and lets a server wait for it
// before closing the store. Set Log, Platform and Timeout before use.
type Followups struct {
	Log      *slog.Logger
	Platform string
	// Timeout bounds each follow-up; its context survives the request.
	Timeout time.Duration
	wg      sync.WaitGroup
}

// Later runs fn in the background; a failure is logged with what.
func (f *Followups) Later(what string, fn func(ctx context.Context) error) {
	f.wg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), f.Timeout)
		defer cancel()
		if err := fn(ctx); err != nil && f.Log != nil {
			f.Log.Warn("follow-up failed", "platform", f.Platform, "what", what, "err", err)
		}
	})
}

// Wait blocks until every follow-up started so far is done.
func (f *Followups) Wait() { f.wg.Wait() }
