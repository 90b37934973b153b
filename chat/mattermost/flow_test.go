package mattermost

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
)

var alphanumeric = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// TestReportAcknowledgeResolve is the whole path on Mattermost: a slash
// command with the right token files a report, the supervisor gets the card
// by DM, clicks on it, and the card and the reporter follow.
func TestReportAcknowledgeResolve(t *testing.T) {
	w := newWorld(t)

	// Ana files a report; the answer is immediate, private and JSON.
	text := ephemeralText(t, w.command(ana, "https://www.instagram.com/p/abc she posted a picture of a detainee in the intake area"))
	contains(t, text, "CASE-1", "Notified: Ben Okafor", "§4-2.f")
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("the answer made API calls: %v", routes(calls))
	}
	if c := w.get(1); c.Link != "https://www.instagram.com/p/abc" || c.Status != cases.StatusOpen {
		t.Fatalf("filed %+v", c)
	}

	// The outbox sends Ben the card in his DM with the bot.
	if errs := w.deliver(); len(errs) > 0 {
		t.Fatal(errs)
	}
	calls := w.api.take()
	if me := only(calls, "GET /users/me"); len(me) != 1 {
		t.Errorf("GetMe calls: %d", len(me))
	}
	if dm := only(calls, "POST /channels/direct"); len(dm) != 1 || string(dm[0].Body) != `["`+botUser+`","`+ben+`"]` {
		t.Fatalf("direct channel %+v", dm)
	}
	posts := only(calls, "POST /posts")
	if len(posts) != 1 {
		t.Fatalf("posts %v", routes(calls))
	}
	post := posts[0].post(t)
	if post.ChannelId != dmOf(ben) {
		t.Fatalf("card posted in %q", post.ChannelId)
	}
	contains(t, post.Message, "New report CASE-1")
	card := cardIn(t, post)
	contains(t, attachmentText(card), "CASE-1", "Ana Lopez", "detainee", "Acknowledge by", "`https://www.instagram.com/p/abc`")
	if card.TitleLink != "https://www.instagram.com/p/abc" {
		t.Errorf("title link %q", card.TitleLink)
	}
	if len(card.Actions) != 4 {
		t.Fatalf("buttons %d", len(card.Actions))
	}
	for _, act := range card.Actions {
		if !alphanumeric.MatchString(act.Id) || act.Type != model.PostActionTypeButton || act.Integration == nil ||
			act.Integration.URL != publicURL+"/mattermost/actions" || act.IsValid() != nil {
			t.Errorf("button %+v %+v", act, act.Integration)
		}
		for k, v := range act.Integration.Context {
			if _, ok := v.(string); !ok {
				t.Errorf("context %s is %T, not a string", k, v)
			}
		}
	}
	if err := card.IsValid(); err != nil {
		t.Errorf("attachment invalid: %v", err)
	}
	postID := "post" + strings.Repeat("0", 21) + "1"
	ack := button(t, card, "acknowledge")

	// Ana, the reporter, clicking Ben's button: refused privately, nothing changes.
	resp := w.click(ana, ack, postID)
	contains(t, resp.EphemeralText, "sent to someone else")
	if resp.Update != nil {
		t.Error("a refused click updated the card")
	}
	if c := w.get(1); c.Status != cases.StatusOpen || c.Version != 1 {
		t.Fatalf("a refused click changed the case: %+v", c)
	}

	// Ben acknowledges: the answer rebuilds the card from the case.
	w.clock.Advance(90 * time.Minute)
	resp = w.click(ben, ack, postID)
	contains(t, resp.EphemeralText, "You acknowledged CASE-1")
	if c := w.get(1); c.Status != cases.StatusAcknowledged {
		t.Fatalf("status %s", c.Status)
	}
	if resp.Update == nil || resp.Update.GetProps() == nil {
		t.Fatal("no rebuilt card in the answer")
	}
	upd := cardIn(t, resp.Update)
	contains(t, attachmentText(upd), "(acknowledged)", "Resolve by")
	contains(t, resp.Update.Message, "CASE-1 is acknowledged")
	for _, act := range upd.Actions {
		if act.Id == "acknowledge" {
			t.Error("the acknowledged card still offers Acknowledge")
		}
		if act.Integration == nil || act.Integration.Context[ctxSig] == nil {
			t.Errorf("rebuilt button without its signed context: %+v", act)
		}
	}
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("the click made API calls: %v", routes(calls))
	}

	// A second click: already acknowledged, nothing changes.
	resp = w.click(ben, ack, postID)
	contains(t, resp.EphemeralText, "already acknowledged")

	// The outbox updates the card in place and tells Ana by DM.
	if errs := w.deliver(); len(errs) > 0 {
		t.Fatal(errs)
	}
	calls = w.api.take()
	puts := only(calls, "PUT /posts/{id}")
	if len(puts) != 1 || puts[0].Path != "/api/v4/posts/"+postID {
		t.Fatalf("card update %v", routes(calls))
	}
	if p := puts[0].post(t); p.Id != postID || p.ChannelId != dmOf(ben) || len(cardIn(t, p).Actions) != 3 {
		t.Errorf("updated card %+v", p)
	}
	posts = only(calls, "POST /posts")
	if len(posts) != 1 || posts[0].post(t).ChannelId != dmOf(ana) {
		t.Fatalf("reporter notice %v", routes(calls))
	}
	contains(t, posts[0].post(t).Message, "has been acknowledged")

	// Resolve opens the dialog, signed for Ben and this case.
	resolve := button(t, upd, "resolve")
	resp = w.click(ben, resolve, postID)
	if resp.EphemeralText != "" || resp.Update != nil {
		t.Errorf("resolve click answered %+v", resp)
	}
	open := openedDialog(t, w.api.take())
	if open.URL != publicURL+"/mattermost/dialogs" || !strings.HasPrefix(open.TriggerId, "trig-q4n8-") ||
		open.Dialog.CallbackId != "resolve" || !strings.HasPrefix(open.Dialog.State, "CASE-1|") {
		t.Fatalf("dialog %+v", open)
	}
	if err := open.IsValid(); err != nil || len(open.Dialog.Title) > 24 {
		t.Fatalf("dialog invalid: %v (%q)", err, open.Dialog.Title)
	}
	state := open.Dialog.State

	// An empty note is a field error; a made-up outcome too.
	errs := dialogErrors(t, w.submit(ben, "resolve", state, map[string]any{"outcome": "violation_confirmed", "note": "   "}))
	contains(t, errs.Errors["note"], "Please add a note")
	errs = dialogErrors(t, w.submit(ben, "resolve", state, map[string]any{"outcome": "maybe", "note": "Checked."}))
	contains(t, errs.Errors["outcome"], `"maybe" isn't an outcome`)
	if w.get(1).Status != cases.StatusAcknowledged {
		t.Fatal("a refused submission resolved the case")
	}
	// Cancelling does nothing.
	rec := w.postJSON(DialogPath, model.SubmitDialogRequest{CallbackId: "resolve", State: state, UserId: ben, Cancelled: true})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || len(w.api.take()) != 0 {
		t.Fatalf("cancel answered %d %q", rec.Code, rec.Body)
	}

	// A good submission closes the dialog; the result comes by DM.
	rec = w.submit(ben, "resolve", state, map[string]any{"outcome": "violation_confirmed", "note": "Post removed; counselled."})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("submission answer %d %s", rec.Code, rec.Body)
	}
	posts = only(w.api.take(), "POST /posts")
	if len(posts) != 1 || posts[0].post(t).ChannelId != dmOf(ben) {
		t.Fatalf("result DM %+v", posts)
	}
	contains(t, posts[0].post(t).Message, "CASE-1 is resolved: violation confirmed")
	if c := w.get(1); c.Status != cases.StatusResolved || c.ResolutionNote != "Post removed; counselled." {
		t.Fatalf("resolved %+v", c)
	}

	// The same dialog cannot be submitted again.
	errs = dialogErrors(t, w.submit(ben, "resolve", state, map[string]any{"outcome": "duplicate", "note": "Again."}))
	contains(t, errs.Error, "already submitted")

	w.deliver()
	puts = only(w.api.take(), "PUT /posts/{id}")
	if len(puts) != 1 || len(cardIn(t, puts[0].post(t)).Actions) != 0 {
		t.Fatalf("resolved card still has buttons: %+v", puts)
	}
	if c := w.get(1); c.Outcome != cases.OutcomeViolationConfirmed {
		t.Fatalf("outcome %s", c.Outcome)
	}
}

// TestCommandToken: a wrong or missing token is a 401 and nothing runs; the
// token is accepted in the form or in the Authorization header, and every
// configured token is accepted.
func TestCommandToken(t *testing.T) {
	w := newWorld(t)
	text := "https://example.com/p/1 a detainee photo"
	for name, tc := range map[string]struct {
		form   string
		header string
	}{
		"missing":             {},
		"wrong form token":    {form: "tok-one-9f8e7"},
		"wrong header token":  {header: "Token nope"},
		"bearer is not token": {header: "Bearer " + token1},
		"token of another":    {form: token1 + "x"},
	} {
		form := w.commandForm(ana, text)
		if tc.form != "" {
			form.Set("token", tc.form)
		}
		h := http.Header{}
		if tc.header != "" {
			h.Set("Authorization", tc.header)
		}
		if rec := w.postForm(form, h); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	if _, err := w.store.Case(context.Background(), 1); err == nil {
		t.Fatal("a refused command filed a case")
	}
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("a refused command reached Mattermost: %v", routes(calls))
	}

	// In the header, with the second token.
	h := http.Header{}
	h.Set("Authorization", "Token "+token2)
	contains(t, ephemeralText(t, w.postForm(w.commandForm(ana, text), h)), "CASE-1", "Notified:")
	// In the form.
	contains(t, ephemeralText(t, w.command(ana, text)), "CASE-2", "Notified:")
}

func TestSlashCommandOddities(t *testing.T) {
	w := newWorld(t)
	form := w.commandForm(ana, "hi")
	form.Set("token", token1)
	form.Del("user_id")
	if rec := w.postForm(form, nil); rec.Code != http.StatusBadRequest {
		t.Errorf("no user: %d", rec.Code)
	}
	contains(t, ephemeralText(t, w.command(ana, "help")), "```", "/report mine")
	// A stranger to the directory is told so.
	contains(t, ephemeralText(t, w.command(stranger, "mine")), "You aren't in the reporting directory")
	// Maria is not linked in the directory: found by e-mail, then linked.
	w.api.addUser(maria, "maria.santos", "Maria.Santos@example.gov")
	contains(t, ephemeralText(t, w.command(maria, "mine")), "You haven't filed any reports")
	if calls := only(w.api.take(), "GET /users/{id}"); len(calls) != 2 {
		t.Errorf("user look-ups %d", len(calls))
	}
	ephemeralText(t, w.command(maria, "mine"))
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("a linked person was looked up again: %v", routes(calls))
	}
}

func TestEmptyCommandOpensTheReportDialog(t *testing.T) {
	w := newWorld(t)
	if text := ephemeralText(t, w.command(ana, "  ")); text != "" {
		t.Fatalf("answer %q", text)
	}
	open := openedDialog(t, w.api.take())
	if open.Dialog.CallbackId != "report" || open.URL != publicURL+"/mattermost/dialogs" || !strings.HasPrefix(open.TriggerId, "trig-8h3k-") {
		t.Fatalf("dialog %+v", open)
	}
	if err := open.IsValid(); err != nil {
		t.Fatal(err)
	}

	// When Mattermost will not open it, the person is told at once.
	w.api.setFail("POST /actions/dialogs/open", func(rw http.ResponseWriter, r *http.Request) {
		appError(rw, http.StatusBadRequest, "trigger ID expired")
	})
	contains(t, ephemeralText(t, w.command(ana, "")), "Mattermost didn't open the form")
}
