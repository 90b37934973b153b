package delivery_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/store/sqlstore"
	"github.com/reportbot/reportbot/store/storetest"
)

// The worker on the real store, both dialects: a message that fails is
// retried on time and then sent; one refused for good is dead.
func TestWorkerOnStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s, err := sqlstore.Open(ctx, b.NewURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		now := t0.Truncate(time.Millisecond)
		if _, err := s.SyncPeople(ctx, []directory.Person{{Email: "ana.lopez@example.gov", Name: "Ana Lopez", Active: true}}, now); err != nil {
			t.Fatal(err)
		}
		ana, err := s.PersonByEmail(ctx, "ana.lopez@example.gov")
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		err = s.InTx(ctx, func(tx cases.Tx) error {
			c := cases.Case{Status: cases.StatusOpen, ReporterID: ana.ID, AssigneeID: ana.ID, CreatedAt: now}
			if err := tx.InsertCase(ctx, &c); err != nil {
				return err
			}
			for _, text := range []string{"flaky", "refused", "fine"} {
				m := cases.Message{CaseID: c.ID, Kind: cases.MsgAssigneeCase, RecipientID: ana.ID, Text: text, CreatedAt: now}
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

		c := &clock{now}
		tries := map[string]int{}
		s1 := senderFunc(func(_ context.Context, m cases.Message) error {
			tries[m.Text]++
			switch {
			case m.Text == "refused":
				return delivery.Permanent(errors.New("user_not_found"))
			case m.Text == "flaky" && tries[m.Text] == 1:
				return errors.New("connection reset")
			}
			return nil
		})
		w := worker(s, s1, c, nil)
		sent, failed, err := w.RunOnce(ctx)
		if err != nil || sent != 1 || failed != 2 {
			t.Fatalf("first pass: %d sent, %d failed, %v", sent, failed, err)
		}
		c.Advance(30*time.Second - time.Millisecond)
		if due, _ := s.DueMessages(ctx, c.Now(), 10); len(due) != 0 {
			t.Fatalf("due before the backoff: %+v", due)
		}
		c.Advance(time.Millisecond)
		due, err := s.DueMessages(ctx, c.Now(), 10)
		if err != nil || len(due) != 1 || due[0].ID != ids[0] || due[0].Attempts != 1 || due[0].LastError != "connection reset" {
			t.Fatalf("due after the backoff: %+v, %v", due, err)
		}
		if sent, failed, err := w.RunOnce(ctx); sent != 1 || failed != 0 || err != nil {
			t.Fatalf("second pass: %d sent, %d failed, %v", sent, failed, err)
		}
		c.Advance(48 * time.Hour)
		if due, _ := s.DueMessages(ctx, c.Now(), 10); len(due) != 0 {
			t.Errorf("still due: %+v (sent and dead messages are done)", due)
		}
		if tries["flaky"] != 2 || tries["refused"] != 1 || tries["fine"] != 1 {
			t.Errorf("tries: %v", tries)
		}
	})
}
