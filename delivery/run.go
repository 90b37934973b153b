package delivery

import (
	"context"
	"log/slog"
	"time"
)

// Run delivers due messages every interval (DefaultInterval when it is not
// positive) until ctx is done; a pass that finds a full batch goes on at
// once. It returns after the message being sent when ctx ended has been
// recorded. Store errors are logged when they start and when they end,
// not on every pass, and the next pass tries again.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultInterval
	}
	// The ticker is the package's only wait on real time.
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		for ctx.Err() == nil {
			sent, failed, err := w.RunOnce(ctx)
			if err != nil {
				if ctx.Err() == nil && !failing {
					w.log().Error("delivery pass failed; retrying every "+every.String(), slog.String("platform", w.Platform), slog.String("err", err.Error()))
				}
				failing = ctx.Err() == nil
				break
			}
			if failing {
				w.log().Info("delivery works again", slog.String("platform", w.Platform))
				failing = false
			}
			if sent+failed < w.batch() {
				break
			}
		}
		select {
		case <-ctx.Done():
			w.log().Info("delivery stopped", slog.String("platform", w.Platform))
			return
		case <-t.C:
		}
	}
}
