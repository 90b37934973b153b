package retention_test

import (
	"context"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/retention"
	"github.com/reportbot/reportbot/store/sqlstore"
	"github.com/reportbot/reportbot/store/storetest"
)

// The worker against the real store, on both databases: cases past the
// period go in batches, the rest stay, a second pass finds nothing.
func TestPassOnStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s, err := sqlstore.Open(ctx, b.NewURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.SyncPeople(ctx, []directory.Person{{Email: "ana@example.gov", Name: "Ana"}}, t0); err != nil {
			t.Fatal(err)
		}
		ana, err := s.PersonByEmail(ctx, "ana@example.gov")
		if err != nil {
			t.Fatal(err)
		}
		period := 7 * 365 * day
		file := func(st cases.Status, closed time.Time, sentAt time.Time) {
			c := cases.Case{Status: st, ReporterID: ana.ID, Description: "a post", CreatedAt: closed.Add(-day)}
			if st == cases.StatusResolved {
				c.ResolvedAt, c.Outcome = closed, cases.OutcomeNoViolation
			}
			err := s.InTx(ctx, func(tx cases.Tx) error {
				if err := tx.InsertCase(ctx, &c); err != nil {
					return err
				}
				if err := tx.AppendEvent(ctx, &cases.Event{CaseID: c.ID, At: c.CreatedAt, ActorID: ana.ID, Kind: cases.EventFiled}); err != nil {
					return err
				}
				return tx.Enqueue(ctx, &cases.Message{CaseID: c.ID, Kind: cases.MsgReporterNotice, RecipientID: ana.ID,
					Text: "resolved", Status: cases.DeliverySent, CreatedAt: sentAt, SentAt: sentAt})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for range 120 {
			file(cases.StatusResolved, t0.Add(-period-day), t0.Add(-period))
		}
		file(cases.StatusResolved, t0.Add(-period+day), t0.Add(-40*day)) // kept; its message goes
		file(cases.StatusResolved, t0.Add(-day), t0.Add(-day))           // kept with its message
		file(cases.StatusOpen, t0.Add(-period-day), t0.Add(-period))     // open: kept; its old message goes

		w := &retention.Worker{Store: s, Period: period, Batch: 50, Now: func() time.Time { return t0 }}
		res, err := w.Pass(ctx)
		if want := (retention.Result{Disposed: 120, Purged: 2}); err != nil || res != want {
			t.Fatalf("Pass = %+v, %v; want %+v", res, err, want)
		}
		if res, err := w.Pass(ctx); err != nil || res != (retention.Result{}) {
			t.Errorf("second pass = %+v, %v; want nothing done", res, err)
		}
		left, err := s.CasesSince(ctx, time.Time{})
		if err != nil || len(left) != 3 {
			t.Fatalf("%d cases left, %v; want 3", len(left), err)
		}
		_, err = s.Case(ctx, 1)
		if !fault.Is(err, fault.CaseDisposed) {
			t.Errorf("Case(1): %v, want CaseDisposed", err)
		}
	})
}
