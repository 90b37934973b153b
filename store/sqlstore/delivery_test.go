package sqlstore

import (
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// testDelivery covers the outbox's delivery side: what is due, in order,
// and what marking does.
func testDelivery(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
	msgs := []cases.Message{
		{CaseID: c.ID, Kind: cases.MsgAssigneeCase, RecipientID: p["Ben"], Text: "first", CreatedAt: T0},
		{CaseID: c.ID, Kind: cases.MsgReporterNotice, RecipientID: p["Ana"], Text: "later", CreatedAt: T0, NextAttemptAt: T0.Add(time.Hour)},
		{Kind: cases.MsgCompliance, Channel: "slack:C1", Text: "second", CreatedAt: T0.Add(time.Second)},
	}
	if err := s.InTx(ctx, func(tx cases.Tx) error {
		for i := range msgs {
			if err := tx.Enqueue(ctx, &msgs[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueMessages(ctx, T0.Add(time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Text != "first" || due[1].Text != "second" || due[0].RecipientID != p["Ben"] || due[1].Channel != "slack:C1" {
		t.Fatalf("due %+v", due)
	}
	if got, _ := s.DueMessages(ctx, T0.Add(time.Minute), 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
	if err := s.MarkSent(ctx, due[0].ID, "", T0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, due[1].ID, "", 1, T0.Add(30*time.Minute), "rate limited", false); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.DueMessages(ctx, T0.Add(time.Minute), 10); len(got) != 0 {
		t.Errorf("after marking, still due: %+v", got)
	}
	later, _ := s.DueMessages(ctx, T0.Add(time.Hour), 10)
	if len(later) != 2 || later[0].Text != "second" || later[0].Attempts != 1 || later[0].LastError != "rate limited" || later[1].Text != "later" {
		t.Fatalf("an hour on: %+v", later)
	}
	if err := s.MarkFailed(ctx, later[0].ID, "", 2, T0.Add(2*time.Hour), "gone", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.DueMessages(ctx, T0.Add(24*time.Hour), 10); len(got) != 1 || got[0].Text != "later" {
		t.Errorf("a dead message is still due: %+v", got)
	}
}
