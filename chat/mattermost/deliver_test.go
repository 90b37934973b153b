package mattermost

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
)

// fileOne files a report as Ana and returns its outbox message to Ben.
func fileOne(t *testing.T, w *world, text string) cases.Message {
	t.Helper()
	ephemeralText(t, w.command(ana, text))
	msgs, err := w.store.DueMessages(context.Background(), w.clock.Now(), 10)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox %v %v", msgs, err)
	}
	return msgs[0]
}

func TestDeliverRateLimited(t *testing.T) {
	w := newWorld(t)
	m := fileOne(t, w, "https://example.com/p/1 a detainee photo")
	for name, tc := range map[string]struct {
		header http.Header
		want   time.Duration
	}{
		"Retry-After":       {http.Header{"Retry-After": {"17"}}, 17 * time.Second},
		"X-Ratelimit-Reset": {http.Header{"X-Ratelimit-Reset": {"5"}}, 5 * time.Second},
		"nothing said":      {nil, 60 * time.Second},
		"nonsense":          {http.Header{"Retry-After": {"Wed, 21 Oct 2015 07:28:00 GMT"}}, 60 * time.Second},
	} {
		w.api.setFail("POST /posts", func(rw http.ResponseWriter, r *http.Request) {
			for k, v := range tc.header {
				rw.Header()[k] = v
			}
			rw.WriteHeader(http.StatusTooManyRequests)
			rw.Write([]byte("limit exceeded\n")) // the throttler's plain text, not an AppError
		})
		err := w.a.Deliver(context.Background(), m)
		var ra *delivery.RetryAfter
		if !errors.As(err, &ra) || ra.After != tc.want {
			t.Errorf("%s: got %v", name, err)
		}
		if delivery.IsPermanent(err) {
			t.Errorf("%s: a rate limit is not permanent", name)
		}
	}
	// Once Mattermost takes posts again, the card goes out.
	w.api.setFail("POST /posts", nil)
	if err := w.a.Deliver(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

func TestDeliverPermanentAndTransientErrors(t *testing.T) {
	w := newWorld(t)
	m := fileOne(t, w, "https://example.com/p/1 a detainee photo")
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden, http.StatusBadRequest} {
		w.api.setFail("POST /channels/direct", func(rw http.ResponseWriter, r *http.Request) {
			appError(rw, status, "no")
		})
		if err := w.a.Deliver(context.Background(), m); !delivery.IsPermanent(err) {
			t.Errorf("%d: %v", status, err)
		}
	}
	for _, status := range []int{http.StatusBadGateway, http.StatusInternalServerError, http.StatusUnauthorized} {
		w.api.setFail("POST /channels/direct", func(rw http.ResponseWriter, r *http.Request) {
			appError(rw, status, "try later")
		})
		err := w.a.Deliver(context.Background(), m)
		var ra *delivery.RetryAfter
		if err == nil || delivery.IsPermanent(err) || errors.As(err, &ra) {
			t.Errorf("a %d should be worth retrying: %v", status, err)
		}
	}
	// A server that does not answer at all is worth retrying too.
	w.api.setFail("POST /channels/direct", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.a.Deliver(ctx, m); err == nil || delivery.IsPermanent(err) {
		t.Errorf("no answer: %v", err)
	}
	// A recipient the store does not know is permanent.
	if err := w.a.Deliver(context.Background(), cases.Message{ID: 9, CaseID: 1, Kind: cases.MsgReminder, RecipientID: 999, Text: "x"}); !delivery.IsPermanent(err) {
		t.Errorf("unknown person: %v", err)
	}
}

// TestDeliverByEmail: Maria has no Mattermost ID in the directory; she is
// found by e-mail, linked, and sent her notice.
func TestDeliverByEmail(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	maria0, _ := w.store.PersonByEmail(ctx, "maria.santos@example.gov")
	m := cases.Message{ID: 99, CaseID: 1, Kind: cases.MsgReporterNotice, RecipientID: maria0.ID, Text: "Your report CASE-1 has been acknowledged @channel <!channel>."}
	if err := w.a.Deliver(ctx, m); !delivery.IsPermanent(err) {
		t.Fatalf("unknown to Mattermost: %v", err)
	}
	w.api.take()
	w.api.addUser(maria, "maria.santos", "maria.santos@example.gov")
	if err := w.a.Deliver(ctx, m); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if look := only(calls, "GET /users/email/{email}"); len(look) != 1 || look[0].Path != "/api/v4/users/email/maria.santos@example.gov" {
		t.Fatalf("lookup %v", routes(calls))
	}
	posts := only(calls, "POST /posts")
	if len(posts) != 1 || posts[0].post(t).ChannelId != dmOf(maria) {
		t.Fatalf("posts %v", routes(calls))
	}
	noPing(t, "notice", posts[0].post(t).Message)
	contains(t, posts[0].post(t).Message, "has been acknowledged")
	if p, err := w.store.PersonByChatID(ctx, directory.Mattermost, maria); err != nil || p.ID != maria0.ID {
		t.Errorf("not linked: %v", err)
	}
}

func TestDeliverToComplianceChannel(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const channel = "c0mp1iancec0mp1iancec0mp1"
	if err := w.a.Deliver(ctx, cases.Message{ID: 1, Kind: cases.MsgCompliance, Channel: "mattermost:" + channel, Text: "CASE-1 escalated to compliance."}); err != nil {
		t.Fatal(err)
	}
	posts := only(w.api.take(), "POST /posts")
	if len(posts) != 1 || posts[0].post(t).ChannelId != channel {
		t.Fatalf("posts %+v", posts)
	}
	for _, ch := range []string{"slack:C0COMPLIANCE", "mattermost:", ""} {
		if err := w.a.Deliver(ctx, cases.Message{ID: 2, Kind: cases.MsgCompliance, Channel: ch, Text: "x"}); !delivery.IsPermanent(err) {
			t.Errorf("%q: %v", ch, err)
		}
	}
}

// TestCardUpdatedInPlace: without any click, the update edits the card
// Deliver posted; after a restart the store still knows it; a deleted card
// is posted again.
func TestCardUpdatedInPlace(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	fileOne(t, w, "https://example.com/p/1 a detainee photo")
	w.deliver()
	w.api.take()
	benP, _ := w.store.PersonByEmail(ctx, "ben.okafor@example.gov")
	ref, ok := w.a.cards.Get(ctx, chatkit.CardKey{Case: 1, Person: benP.ID})
	if !ok || ref.Channel != dmOf(ben) {
		t.Fatalf("card not remembered: %+v", ref)
	}
	if saved, ok, err := w.store.MessageRef(ctx, 1, benP.ID, "mattermost"); err != nil || !ok || saved.MessageID != ref.MessageID || saved.Channel != ref.Channel {
		t.Fatalf("card reference not saved: %+v %v %v", saved, ok, err)
	}
	w.a.handler.Press(ctx, benP, 1, commands.Action{Name: "acknowledge"})
	w.deliver()
	puts := only(w.api.take(), "PUT /posts/{id}")
	if len(puts) != 1 || puts[0].post(t).Id != ref.MessageID {
		t.Fatalf("update %+v, want post %s", puts, ref.MessageID)
	}

	// The card was deleted: the update is a 404, a new card is posted.
	w.api.setFail("PUT /posts/{id}", func(rw http.ResponseWriter, r *http.Request) { appError(rw, http.StatusNotFound, "gone") })
	if err := w.a.Deliver(ctx, cases.Message{ID: 50, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: benP.ID, Text: "CASE-1 changed."}); err != nil {
		t.Fatal(err)
	}
	posts := only(w.api.take(), "POST /posts")
	if len(posts) != 1 {
		t.Fatalf("re-post %+v", posts)
	}
	reposted, _ := w.a.cards.Get(ctx, chatkit.CardKey{Case: 1, Person: benP.ID})
	if reposted.MessageID == ref.MessageID || posts[0].post(t).Id != "" {
		t.Fatalf("re-post %+v", reposted)
	}

	// A restart forgets what memory held; the store still knows the card.
	w.api.setFail("PUT /posts/{id}", nil)
	w.a.cards = chatkit.NewCardRefs(platformName, 10, w.store, w.clock.Now, w.a.log)
	if err := w.a.Deliver(ctx, cases.Message{ID: 51, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: benP.ID, Text: "CASE-1 changed."}); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if puts := only(calls, "PUT /posts/{id}"); len(puts) != 1 || !strings.HasSuffix(puts[0].Path, reposted.MessageID) || len(only(calls, "POST /posts")) != 0 {
		t.Fatalf("after restart %v, want an update of %s", routes(calls), reposted.MessageID)
	}

	// Without a store to keep references, a restart posts a fresh card.
	w.a.cards = chatkit.NewCardRefs(platformName, 10, nil, w.clock.Now, w.a.log)
	if err := w.a.Deliver(ctx, cases.Message{ID: 52, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: benP.ID, Text: "CASE-1 changed."}); err != nil {
		t.Fatal(err)
	}
	if calls := w.api.take(); len(only(calls, "PUT /posts/{id}")) != 0 || len(only(calls, "POST /posts")) != 1 {
		t.Fatalf("memory only, after restart %v", routes(calls))
	}
	// A rate-limited update is retried later, not re-posted.
	w.a.cards.Put(ctx, chatkit.CardKey{Case: 1, Person: benP.ID}, ref)
	w.api.setFail("PUT /posts/{id}", func(rw http.ResponseWriter, r *http.Request) { rw.WriteHeader(http.StatusTooManyRequests) })
	err := w.a.Deliver(ctx, cases.Message{ID: 53, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: benP.ID, Text: "x"})
	var ra *delivery.RetryAfter
	if !errors.As(err, &ra) || len(only(w.api.take(), "POST /posts")) != 0 {
		t.Fatalf("rate-limited update: %v", err)
	}
}

// TestBotIDAskedOnce: the bot's user ID is asked for once, and again only
// when the first answer failed.
func TestBotIDAskedOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.api.setFail("GET /users/me", func(rw http.ResponseWriter, r *http.Request) { appError(rw, http.StatusBadGateway, "down") })
	m := cases.Message{ID: 1, CaseID: 1, Kind: cases.MsgReminder, RecipientID: 2, Text: "Reminder."}
	if err := w.a.Deliver(ctx, m); err == nil || delivery.IsPermanent(err) {
		t.Fatalf("GetMe failing: %v", err)
	}
	w.api.setFail("GET /users/me", nil)
	for range 3 {
		if err := w.a.Deliver(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if me := only(w.api.take(), "GET /users/me"); len(me) != 2 {
		t.Errorf("GetMe asked %d times", len(me))
	}
}
