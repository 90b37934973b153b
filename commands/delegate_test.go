package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/storetest"
)

func TestDelegate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Run("HappyPath", func(t *testing.T) { testDelegateHappyPath(t, newWorld(t, b.NewURL(t))) })
		t.Run("Refusals", func(t *testing.T) { testDelegateRefusals(t, newWorld(t, b.NewURL(t))) })
		t.Run("ExtraRecipients", func(t *testing.T) { testExtraRecipients(t, newWorld(t, b.NewURL(t))) })
	})
}

func testDelegateHappyPath(t *testing.T, w *world) {
	contains(t, w.command(ben, "delegate @"+kofi+" until 2026-12-24"),
		"Until the end of 2026-12-24 (UTC), new cases routed to you go to Kofi Asante", "Kofi Asante has been told")
	// Kofi is told, through the outbox.
	told := w.delegationNotices()
	if len(told) != 1 || told[0].RecipientID != w.person(kofi).ID {
		t.Fatalf("delegate notices %+v", told)
	}
	contains(t, told[0].Text, "Ben Okafor named you their delegate until the end of 2026-12-24 (UTC)")
	// Ana's report goes to Kofi, with the reason.
	contains(t, w.command(ana, "someone posted a picture of a detainee on facebook"), "Your report is CASE-1", "Kofi Asante")
	c := w.get(1)
	if c.AssigneeID != w.person(kofi).ID {
		t.Fatalf("assignee %d, want Kofi", c.AssigneeID)
	}
	contains(t, strings.Join(c.RoutingReasons, "; "), "Ben Okafor is away until 2026-12-24; their delegate is Kofi Asante")
	// Kofi's queue has it; he may act on it.
	contains(t, w.command(kofi, "queue"), "CASE-1")

	// Back early: new cases come to Ben again.
	contains(t, w.command(ben, "delegate off"), "your delegation has ended")
	if told := w.delegationNotices(); len(told) != 2 || told[1].RecipientID != w.person(kofi).ID ||
		!strings.Contains(told[1].Text, "Ben Okafor is back") {
		t.Fatalf("delegate notices %+v", told)
	}
	w.command(david, "someone posted a picture of a detainee on facebook")
	if c := w.get(2); c.AssigneeID != w.person(ben).ID {
		t.Fatalf("after off: assignee %d, want Ben", c.AssigneeID)
	}

	// The delegation ends by itself after the last day.
	contains(t, w.command(ben, "delegate "+kofi+" until 2026-11-23"), "Until the end of 2026-11-23")
	w.command(ana, "someone posted a picture of a detainee on facebook")
	if c := w.get(3); c.AssigneeID != w.person(kofi).ID {
		t.Fatalf("same day: assignee %d, want Kofi", c.AssigneeID)
	}
	w.clock.Advance(15 * time.Hour) // past midnight UTC
	w.command(ana, "someone posted a picture of a detainee on facebook")
	if c := w.get(4); c.AssigneeID != w.person(ben).ID {
		t.Fatalf("expired: assignee %d, want Ben", c.AssigneeID)
	}

	contains(t, w.command(ben, "delegate off"), "You have no delegate at the moment")
	if told := w.delegationNotices(); len(told) != 3 {
		t.Fatalf("an ended delegation told the delegate again: %+v", told)
	}

	// Naming someone else while a delegation lasts tells the one replaced.
	contains(t, w.command(ben, "delegate "+kofi+" until 2026-12-10"), "Kofi Asante has been told")
	contains(t, w.command(ben, "delegate @"+carla+" until 2026-12-10"), "Carla Diaz has been told")
	told = w.delegationNotices()
	if n := len(told); n != 6 || told[n-2].RecipientID != w.person(kofi).ID || told[n-1].RecipientID != w.person(carla).ID {
		t.Fatalf("delegate notices %+v", told)
	}
	contains(t, told[4].Text, "Ben Okafor named Carla Diaz their delegate instead of you")
	contains(t, w.command(ben, "delegate off"), "your delegation has ended")

	// Compliance leads may delegate too (Carla has reports anyway; Kofi has none).
	contains(t, w.command(kofi, "delegate @"+carla+" until 2026-12-01"), "go to Carla Diaz")
}

func testDelegateRefusals(t *testing.T, w *world) {
	tests := []struct{ as, text, want string }{
		{ben, "delegate", "To name a delegate, type /report delegate @person until YYYY-MM-DD"},
		{ben, "delegate @" + kofi, "To name a delegate"},
		{ben, "delegate @" + kofi + " till 2026-12-24", "To name a delegate"},
		{ben, "delegate @" + kofi + " until Dec 24", "To name a delegate"},
		{ana, "delegate @" + david + " until 2026-12-24", "Delegation is for supervisors and compliance leads"},
		{ana, "delegate off", "Delegation is for supervisors and compliance leads"},
		{ben, "delegate @nobody@example.gov until 2026-12-24", "@nobody@example.gov isn't in the directory, so nothing was changed."},
		{ben, "delegate @" + ben + " until 2026-12-24", "You can't be your own delegate, so nothing was changed."},
		{ben, "delegate @" + kofi + " until 2026-13-01", `"2026-13-01" isn't a date I understand; write it as YYYY-MM-DD`},
		{ben, "delegate @" + kofi + " until 24/12/2026", `"24/12/2026" isn't a date I understand`},
		{ben, "delegate @" + kofi + " until 2026-11-22", "2026-11-22 has already passed, so nothing was changed"},
		{ben, "delegate @" + kofi + " until 2028-01-01", "A delegation can last at most 366 days"},
		{ben, "delegate off", "You have no delegate at the moment, so nothing was changed."},
	}
	for _, tt := range tests {
		if got := w.command(tt.as, tt.text); !strings.Contains(got, tt.want) {
			t.Errorf("%s: /report %s = %q, want %q", tt.as, tt.text, got, tt.want)
		}
	}
	// A delegate who has left the directory is refused.
	irene := w.person(irene)
	all, err := w.store.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var keep = all[:0]
	for _, p := range all {
		if p.Email != "david.cho@example.gov" {
			keep = append(keep, p)
		}
	}
	if _, err := w.store.SyncPeople(context.Background(), keep, start); err != nil {
		t.Fatal(err)
	}
	contains(t, w.command(irene.Email, "delegate @"+david+" until 2026-12-24"), "david.cho@example.gov has left the directory")
	// Nothing was stored by any refusal.
	if _, ok, _ := w.store.Delegation(context.Background(), w.person(ben).ID, start); ok {
		t.Error("a refused delegation was stored")
	}
}

func testExtraRecipients(t *testing.T, w *world) {
	rules, err := routing.Parse([]byte(`
severities:
  high:
    notify: [` + kofi + `]
categories:
  "4-2.f":
    acknowledge: 1h
    notify: [slack:C0SECURITY]
`))
	if err != nil {
		t.Fatal(err)
	}
	w.svc.UseRules(rules)
	w.svc.UseSeverities(func(id string) string {
		c, _ := sharedClassifier(t).Category(id)
		return string(c.Severity)
	})
	contains(t, w.command(ana, "she posted a picture of a detainee in the intake area, you can read his wristband"), "CASE-1", "§4-2.f")
	c := w.get(1)
	if want := start.Add(time.Hour); !c.AckDueAt.Equal(want) {
		t.Errorf("ack due %v, want %v (the category's 1h)", c.AckDueAt, want)
	}
	msgs, err := w.store.DueMessages(context.Background(), start, 100)
	if err != nil {
		t.Fatal(err)
	}
	var channel, person bool
	for _, m := range msgs {
		if m.Kind != cases.MsgCompliance || m.CaseID != 1 {
			continue
		}
		contains(t, m.Text, "New report CASE-1 (§4-2.f, high severity) was filed and is with Ben Okafor")
		switch {
		case m.Channel == "slack:C0SECURITY":
			channel = true
		case m.RecipientID == w.person(kofi).ID:
			person = true
		}
	}
	if !channel || !person {
		t.Errorf("extra recipients: channel %v, person %v in %+v", channel, person, msgs)
	}
	// A report of another category tells nobody extra.
	w.command(ana, "he keeps emailing the whole clinic list about the election and who to vote for")
	msgs, _ = w.store.DueMessages(context.Background(), start, 100)
	for _, m := range msgs {
		if m.CaseID == 2 && m.Kind == cases.MsgCompliance {
			t.Errorf("CASE-2 owed %+v", m)
		}
	}
}

// delegationNotices are the outbox messages telling delegates, oldest first.
func (w *world) delegationNotices() []cases.Message {
	w.t.Helper()
	due, err := w.store.DueMessages(context.Background(), w.clock.Now().Add(time.Hour), 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []cases.Message
	for _, m := range due {
		if m.Kind == cases.MsgDelegation {
			out = append(out, m)
		}
	}
	return out
}
