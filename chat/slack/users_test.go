package slack

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

func TestResolveUsers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()

	// Linked in the directory: no API call.
	p, err := w.a.users.resolve(ctx, "U0ANA")
	if err != nil || p.Email != "ana.lopez@example.gov" {
		t.Fatalf("U0ANA: %+v %v", p, err)
	}
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("calls for a linked user: %+v", calls)
	}

	// Maria has no Slack ID in the directory: users.info gives her e-mail,
	// and the link is stored, so the next look-up needs no call.
	w.api.addUser("U0MARIA", "Maria.Santos@example.gov")
	p, err = w.a.users.resolve(ctx, "U0MARIA")
	if err != nil || p.Email != "maria.santos@example.gov" || p.SlackUserID != "U0MARIA" {
		t.Fatalf("U0MARIA: %+v %v", p, err)
	}
	if calls := only(w.api.take(), "users.info"); len(calls) != 1 {
		t.Errorf("users.info calls %+v", calls)
	}
	if q, err := w.store.PersonByChatID(ctx, directory.Slack, "U0MARIA"); err != nil || q.ID != p.ID {
		t.Errorf("not linked: %+v %v", q, err)
	}

	// Someone Slack knows but the directory does not: refused, and the
	// refusal is remembered for a while.
	w.api.addUser("U0STRANGER", "stranger@example.gov")
	for range 3 {
		_, err = w.a.users.resolve(ctx, "U0STRANGER")
		if !fault.Is(err, fault.UnknownPerson) {
			t.Fatalf("stranger: %v", err)
		}
	}
	contains(t, sentence(err), "stranger@example.gov")
	if calls := only(w.api.take(), "users.info"); len(calls) != 1 {
		t.Errorf("the refusal was not remembered: %d calls", len(calls))
	}
	w.clock.Advance(knownTTL + time.Second)
	w.a.users.resolve(ctx, "U0STRANGER")
	if calls := only(w.api.take(), "users.info"); len(calls) != 1 {
		t.Errorf("Slack's answer outlived its time: %d calls", len(calls))
	}
	// A user Slack does not know is asked about again after a minute.
	for range 2 {
		w.a.users.resolve(ctx, "U0NOBODY")
	}
	if calls := only(w.api.take(), "users.info"); len(calls) != 1 {
		t.Errorf("an unknown user was not remembered: %d calls", len(calls))
	}
	w.clock.Advance(unknownTTL + time.Second)
	w.a.users.resolve(ctx, "U0NOBODY")
	if calls := only(w.api.take(), "users.info"); len(calls) != 1 {
		t.Errorf("an unknown user was remembered too long: %d calls", len(calls))
	}

	// Slack does not know the user at all; or the ID is not a user ID.
	for _, id := range []string{"U0NOBODY", "B0BOT", "", "<@U0ANA>", "u0ana"} {
		if _, err := w.a.users.resolve(ctx, id); !fault.Is(err, fault.UnknownPerson) {
			t.Errorf("%q: %v", id, err)
		}
	}
}

// TestSlowSlackGetsAPoliteAnswer: when users.info hangs, the command is
// answered well within Slack's 3 seconds with a sentence, and the failure is
// not remembered.
func TestSlowSlackGetsAPoliteAnswer(t *testing.T) {
	w := newWorld(t)
	w.a.apiTimeout = 50 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	w.api.setFail("users.info", func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	began := time.Now()
	text := ephemeralText(t, w.command("U0MARIA", "a detainee photo on a public page"))
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("answered after %s", d)
	}
	contains(t, text, "Slack didn't tell me who you are quickly enough")
	w.api.setFail("users.info", nil)
	w.api.addUser("U0MARIA", "maria.santos@example.gov")
	contains(t, ephemeralText(t, w.command("U0MARIA", "a detainee photo on a public page")), "Your report is CASE-1")
}

func TestMentionNamesTheSubject(t *testing.T) {
	w := newWorld(t)
	text := ephemeralText(t, w.command("U0ANA", "<@U0DAVID|david.cho> posted a detainee photo on his public page"))
	contains(t, text, "CASE-1")
	c := w.get(1)
	david, _ := w.store.PersonByEmail(context.Background(), "david.cho@example.gov")
	if c.SubjectID != david.ID {
		t.Errorf("subject %d, want David (%d)", c.SubjectID, david.ID)
	}
	if c.Description != "@david.cho posted a detainee photo on his public page" {
		t.Errorf("description %q", c.Description)
	}
}

func TestUnknownUserIsRefusedPrivately(t *testing.T) {
	w := newWorld(t)
	text := ephemeralText(t, w.command("U0NOBODY", "a detainee photo"))
	contains(t, text, "You aren't in the reporting directory yet", "your Slack account")
	if _, err := w.store.Case(context.Background(), 1); err == nil {
		t.Error("a stranger filed a case")
	}
}
