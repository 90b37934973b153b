package slack

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

// file files a report as ana and returns its outbox message to Ben.
func fileOne(t *testing.T, w *world, text string) cases.Message {
	t.Helper()
	ephemeralText(t, w.command("U0ANA", text))
	msgs, err := w.store.DueMessages(context.Background(), w.clock.Now(), 10)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox %v %v", msgs, err)
	}
	return msgs[0]
}

func TestDeliverRateLimited(t *testing.T) {
	w := newWorld(t)
	m := fileOne(t, w, "https://example.com/p/1 a detainee photo")
	w.api.setFail("chat.postMessage", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Retry-After", "17")
		rw.WriteHeader(http.StatusTooManyRequests)
	})
	err := w.a.Deliver(context.Background(), m)
	var ra *delivery.RetryAfter
	if !errors.As(err, &ra) || ra.After != 17*time.Second {
		t.Fatalf("got %v", err)
	}
	if delivery.IsPermanent(err) {
		t.Error("a rate limit is not permanent")
	}
	// Once Slack takes messages again, the card goes out.
	w.api.setFail("chat.postMessage", nil)
	if err := w.a.Deliver(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

func TestDeliverPermanentAndTransientErrors(t *testing.T) {
	w := newWorld(t)
	m := fileOne(t, w, "https://example.com/p/1 a detainee photo")
	w.api.setFail("conversations.open", func(rw http.ResponseWriter, r *http.Request) {
		rw.Write([]byte(`{"ok":false,"error":"user_not_found"}`))
	})
	if err := w.a.Deliver(context.Background(), m); !delivery.IsPermanent(err) {
		t.Fatalf("user_not_found: %v", err)
	}
	w.api.setFail("conversations.open", func(rw http.ResponseWriter, r *http.Request) {
		rw.WriteHeader(http.StatusBadGateway)
	})
	err := w.a.Deliver(context.Background(), m)
	var ra *delivery.RetryAfter
	if err == nil || delivery.IsPermanent(err) || errors.As(err, &ra) {
		t.Fatalf("a 502 should be worth retrying: %v", err)
	}
}

// TestDeliverByEmail: Maria has no Slack ID in the directory; she is found
// by e-mail, linked, and sent her notice.
func TestDeliverByEmail(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	maria, _ := w.store.PersonByEmail(ctx, "maria.santos@example.gov")
	m := cases.Message{ID: 99, CaseID: 1, Kind: cases.MsgReporterNotice, RecipientID: maria.ID, Text: "Your report CASE-1 has been acknowledged <!channel>."}
	if err := w.a.Deliver(ctx, m); !delivery.IsPermanent(err) {
		t.Fatalf("unknown to Slack: %v", err)
	}
	w.api.take()
	w.api.addUser("U0MARIA", "maria.santos@example.gov")
	if err := w.a.Deliver(ctx, m); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if look := only(calls, "users.lookupByEmail"); len(look) != 1 || look[0].Arg("email") != "maria.santos@example.gov" {
		t.Fatalf("lookup %+v", look)
	}
	posts := only(calls, "chat.postMessage")
	if len(posts) != 1 || posts[0].Arg("channel") != "D0MARIA" {
		t.Fatalf("posts %+v", posts)
	}
	if got := posts[0].Arg("text"); strings.Contains(got, "<!") || !strings.Contains(got, "&lt;!channel&gt;") {
		t.Errorf("notice text not escaped: %q", got)
	}
	if p, err := w.store.PersonByChatID(ctx, directory.Slack, "U0MARIA"); err != nil || p.ID != maria.ID {
		t.Errorf("not linked: %v", err)
	}
}

func TestDeliverToComplianceChannel(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.a.Deliver(ctx, cases.Message{ID: 1, Kind: cases.MsgCompliance, Channel: "slack:C0COMPLIANCE", Text: "CASE-1 escalated to compliance."}); err != nil {
		t.Fatal(err)
	}
	posts := only(w.api.take(), "chat.postMessage")
	if len(posts) != 1 || posts[0].Arg("channel") != "C0COMPLIANCE" {
		t.Fatalf("posts %+v", posts)
	}
	if err := w.a.Deliver(ctx, cases.Message{ID: 2, Kind: cases.MsgCompliance, Channel: "mattermost:abc", Text: "x"}); !delivery.IsPermanent(err) {
		t.Errorf("a Mattermost channel: %v", err)
	}
}

// TestCardUpdatedInPlace: without any click, the update edits the card
// Deliver posted; after the card is lost (a restart), it is posted afresh;
// a deleted card is posted again.
func TestCardUpdatedInPlace(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	fileOne(t, w, "https://example.com/p/1 a detainee photo")
	w.deliver()
	if posts := only(w.api.take(), "chat.postMessage"); len(posts) != 1 {
		t.Fatalf("card posts %+v", posts)
	}
	ref, ok := w.a.cards.Get(ctx, chatkit.CardKey{Case: 1, Person: w.get(1).AssigneeID})
	if !ok || ref.Channel != "D0BEN" {
		t.Fatalf("card not remembered: %+v", ref)
	}
	ben, _ := w.store.PersonByEmail(ctx, "ben.okafor@example.gov")
	w.a.handler.Press(ctx, ben, 1, commands.Action{Name: "acknowledge"})
	w.deliver()
	upd := only(w.api.take(), "chat.update")
	if len(upd) != 1 || upd[0].Arg("ts") != ref.MessageID {
		t.Fatalf("update %+v, want ts %s", upd, ref.MessageID)
	}

	// The card was deleted: chat.update fails, a new card is posted.
	w.api.setFail("chat.update", func(rw http.ResponseWriter, r *http.Request) {
		rw.Write([]byte(`{"ok":false,"error":"message_not_found"}`))
	})
	if err := w.a.Deliver(ctx, cases.Message{ID: 50, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: ben.ID, Text: "CASE-1 changed."}); err != nil {
		t.Fatal(err)
	}
	if posts := only(w.api.take(), "chat.postMessage"); len(posts) != 1 {
		t.Fatalf("re-post %+v", posts)
	}

	reposted, _ := w.a.cards.Get(ctx, chatkit.CardKey{Case: 1, Person: ben.ID})

	// A restart forgets what memory held; the store still knows the card,
	// so the update edits it in place.
	w.api.setFail("chat.update", nil)
	w.a.cards = chatkit.NewCardRefs(platformName, 10, w.store, w.clock.Now, w.a.log)
	if err := w.a.Deliver(ctx, cases.Message{ID: 51, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: ben.ID, Text: "CASE-1 changed."}); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if upd := only(calls, "chat.update"); len(upd) != 1 || upd[0].Arg("ts") != reposted.MessageID || len(only(calls, "chat.postMessage")) != 0 {
		t.Fatalf("after restart %+v, want an update of ts %s", calls, reposted.MessageID)
	}

	// Without a store to keep references, a restart posts a fresh card.
	w.a.cards = chatkit.NewCardRefs(platformName, 10, nil, w.clock.Now, w.a.log)
	if err := w.a.Deliver(ctx, cases.Message{ID: 52, CaseID: 1, Kind: cases.MsgCaseUpdate, RecipientID: ben.ID, Text: "CASE-1 changed."}); err != nil {
		t.Fatal(err)
	}
	if calls := w.api.take(); len(only(calls, "chat.update")) != 0 || len(only(calls, "chat.postMessage")) != 1 {
		t.Fatalf("memory only, after restart %+v", calls)
	}
}
