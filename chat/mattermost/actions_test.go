package mattermost

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
)

// fileAndDeliver files a report as Ana and delivers Ben's card; it returns
// the card's attachment and post ID.
func fileAndDeliver(t *testing.T, w *world, text string) (*model.MessageAttachment, string) {
	t.Helper()
	ephemeralText(t, w.command(ana, text))
	if errs := w.deliver(); len(errs) > 0 {
		t.Fatal(errs)
	}
	posts := only(w.api.take(), "POST /posts")
	if len(posts) != 1 {
		t.Fatalf("card posts %d", len(posts))
	}
	return cardIn(t, posts[0].post(t)), "post" + strings.Repeat("0", 21) + "1"
}

// TestForgedClicksAreRefused: a context that was not signed for this case,
// action and recipient is answered "This button is not valid." and changes
// nothing.
func TestForgedClicksAreRefused(t *testing.T) {
	w := newWorld(t)
	card, postID := fileAndDeliver(t, w, "https://example.com/p/1 a detainee photo")
	ephemeralText(t, w.command(ana, "https://example.com/p/2 another detainee photo"))
	w.api.take()
	good := roundTrip(t, button(t, card, "acknowledge").Integration.Context)
	anaPerson, _ := w.store.PersonByEmail(context.Background(), "ana.lopez@example.gov")
	with := func(k string, v any) map[string]any {
		c := maps.Clone(good)
		c[k] = v
		return c
	}
	sig := good[ctxSig].(string)
	flipped := string(sig[0]^1) + sig[1:]
	forged := map[string]map[string]any{
		"no context":            nil,
		"empty context":         {},
		"bad signature":         with(ctxSig, flipped),
		"no signature":          with(ctxSig, ""),
		"signature not base64":  with(ctxSig, "!!!"),
		"another case":          with(ctxCase, "CASE-2"),
		"another action":        with(ctxAction, "resolve"),
		"tampered recipient":    with(ctxRecipient, "1"),
		"recipient as a number": with(ctxRecipient, float64(2)),
		"signature of a form":   with(ctxSig, testSigner.state("resolve", "CASE-1", ben, start)),
		"signed by another key": signer{key: []byte("another-key-another-key-another-k")}.buttonContext("CASE-1", "acknowledge", 2),
	}
	for name, ctx := range forged {
		for _, user := range []string{ben, ana} {
			resp := w.clickContext(user, ctx, postID)
			if resp.EphemeralText != invalidButton || resp.Update != nil {
				t.Errorf("%s as %s: %+v", name, user[:4], resp)
			}
		}
	}
	// A context signed for Ana's own person, clicked by Ana, passes the
	// signature; the handler then refuses her (she may not acknowledge).
	resp := w.clickContext(ana, testSigner.buttonContext("CASE-1", "acknowledge", anaPerson.ID), postID)
	contains(t, resp.EphemeralText, "can't acknowledge CASE-1")
	for _, id := range []cases.ID{1, 2} {
		if c := w.get(id); c.Status != cases.StatusOpen || c.Version != 1 {
			t.Fatalf("a forged click changed %s: %+v", id, c)
		}
	}
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("forged clicks reached Mattermost: %v", routes(calls))
	}

	// The genuine context still works.
	contains(t, w.clickContext(ben, good, postID).EphemeralText, "You acknowledged CASE-1")
	if w.get(2).Status != cases.StatusOpen {
		t.Error("CASE-2 moved")
	}
}

func TestClickByStrangerOrOnAGoneCase(t *testing.T) {
	w := newWorld(t)
	card, postID := fileAndDeliver(t, w, "https://example.com/p/1 a detainee photo")
	ack := button(t, card, "acknowledge")
	contains(t, w.click(stranger, ack, postID).EphemeralText, "You aren't in the reporting directory")
	// A case the store no longer has: the handler says so.
	resp := w.clickContext(ben, testSigner.buttonContext("CASE-99", "acknowledge", w.get(1).AssigneeID), postID)
	contains(t, resp.EphemeralText, "There is no CASE-99")
	if resp.Update != nil {
		t.Error("a card was rebuilt for a missing case")
	}
	if rec := w.postJSON(ActionPath, "not an object"); rec.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", rec.Code)
	}
}

func TestReassignAndEscalateDialogs(t *testing.T) {
	w := newWorld(t)
	card, postID := fileAndDeliver(t, w, "https://example.com/p/1 a detainee photo")

	w.click(ben, button(t, card, "reassign"), postID)
	open := openedDialog(t, w.api.take())
	if open.Dialog.CallbackId != "reassign" || open.IsValid() != nil {
		t.Fatalf("reassign dialog %+v", open.Dialog)
	}
	state := open.Dialog.State
	reason := "On leave this week."
	errs := dialogErrors(t, w.submit(ben, "reassign", state, map[string]any{"to": stranger, "reason": reason}))
	contains(t, errs.Errors["to"], "isn't in the directory")
	errs = dialogErrors(t, w.submit(ben, "reassign", state, map[string]any{"to": ben, "reason": reason}))
	contains(t, errs.Errors["to"], "already with Ben Okafor")
	errs = dialogErrors(t, w.submit(ben, "reassign", state, map[string]any{"to": carla, "reason": ""}))
	contains(t, errs.Errors["reason"], "Please give a reason to reassign CASE-1")
	errs = dialogErrors(t, w.submit(ben, "reassign", state, map[string]any{"to": carla, "reason": strings.Repeat("x", cases.MaxNote+1)}))
	contains(t, errs.Errors["reason"], "limited to 2000 characters")
	w.api.take()

	// The state is Ben's: Carla cannot submit it, nor can it serve another dialog.
	errs = dialogErrors(t, w.submit(carla, "reassign", state, map[string]any{"to": carla, "reason": reason}))
	contains(t, errs.Error, "not valid any more")
	errs = dialogErrors(t, w.submit(ben, "escalate", state, map[string]any{"reason": reason}))
	contains(t, errs.Error, "not valid any more")
	errs = dialogErrors(t, w.submit(ben, "reassign", strings.Replace(state, "CASE-1", "CASE-2", 1), map[string]any{"to": carla, "reason": reason}))
	contains(t, errs.Error, "not valid any more")
	// A day later it has expired.
	w.clock.Advance(stateTTL + time.Minute)
	errs = dialogErrors(t, w.submit(ben, "reassign", state, map[string]any{"to": carla, "reason": reason}))
	contains(t, errs.Error, "not valid any more")
	w.clock.Advance(-stateTTL - time.Minute)

	rec := w.submit(ben, "reassign", state, map[string]any{"to": carla, "reason": reason})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	posts := only(w.api.take(), "POST /posts")
	if len(posts) != 1 || posts[0].post(t).ChannelId != dmOf(ben) {
		t.Fatalf("result DM %+v", posts)
	}
	contains(t, posts[0].post(t).Message, "CASE-1 is now with Carla Diaz")
	carlaP, _ := w.store.PersonByEmail(context.Background(), "carla.diaz@example.gov")
	if w.get(1).AssigneeID != carlaP.ID {
		t.Fatal("not reassigned")
	}

	// Carla gets her own card, signed for her; Escalate asks for a reason.
	w.deliver()
	var carlaCard *model.MessageAttachment
	for _, c := range only(w.api.take(), "POST /posts") {
		if p := c.post(t); p.ChannelId == dmOf(carla) && len(p.Attachments()) == 1 {
			carlaCard = cardIn(t, p)
		}
	}
	if carlaCard == nil {
		t.Fatal("Carla got no card")
	}
	w.click(carla, button(t, carlaCard, "escalate"), "post"+strings.Repeat("0", 22))
	open = openedDialog(t, w.api.take())
	if open.Dialog.CallbackId != "escalate" || open.IsValid() != nil {
		t.Fatalf("escalate dialog %+v", open.Dialog)
	}
	rec = w.submit(carla, "escalate", open.Dialog.State, map[string]any{"reason": reason})
	if rec.Code != http.StatusOK {
		t.Fatal(rec.Code)
	}
	// Carla is at the top: the handler's answer says so, by DM.
	if posts := only(w.api.take(), "POST /posts"); len(posts) != 1 || posts[0].post(t).ChannelId != dmOf(carla) {
		t.Fatalf("escalate answer %+v", posts)
	}
	// Ben's old card, signed for Ben, does not let Carla act.
	contains(t, w.click(carla, button(t, card, "acknowledge"), postID).EphemeralText, "sent to someone else")
}

func TestReportDialogSubmission(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command(ana, ""))
	state := openedDialog(t, w.api.take()).Dialog.State
	desc := "He posted a detainee photo @channel <!channel>"

	// A bad link is shown under the link field; nothing is filed.
	errs := dialogErrors(t, w.submit(ana, "report", state, map[string]any{"link": "javascript:alert(1)", "description": desc}))
	contains(t, errs.Errors["link"], "Links must be web addresses")
	// An empty report is shown under the description; so is one too long.
	errs = dialogErrors(t, w.submit(ana, "report", state, map[string]any{"description": " \u200b "}))
	contains(t, errs.Errors["description"], "Please say what you saw")
	errs = dialogErrors(t, w.submit(ana, "report", state, map[string]any{"description": strings.Repeat("a", cases.MaxDescription+1)}))
	contains(t, errs.Errors["description"], "limit is 4000")
	// A person concerned who is not in the directory, under that field.
	errs = dialogErrors(t, w.submit(ana, "report", state, map[string]any{"description": desc, "subject": stranger}))
	contains(t, errs.Errors["subject"], "That person isn't in the directory")
	// A category that is not one of the dialog's options (forged), under that field.
	errs = dialogErrors(t, w.submit(ana, "report", state, map[string]any{"description": desc, "category": "4-9.z"}))
	contains(t, errs.Errors["category"], `"4-9.z" isn't one of the directive's paragraphs`)
	if _, err := w.store.Case(context.Background(), 1); err == nil {
		t.Fatal("a refused form filed a case")
	}
	w.api.take()

	// A good form: the dialog closes, the case names David, Ana gets a DM.
	rec := w.submit(ana, "report", state, map[string]any{
		"link": "https://example.com/p/2", "description": desc, "subject": david, "category": "4-4.i",
	})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	c := w.get(1)
	davidP, _ := w.store.PersonByEmail(context.Background(), "david.cho@example.gov")
	if c.SubjectID != davidP.ID || c.Link != "https://example.com/p/2" {
		t.Errorf("case %+v", c)
	}
	if c.TopCategory() != "4-4.i" || !c.Categories[0].Named {
		t.Errorf("the reporter's category is not first: %+v", c.Categories)
	}
	posts := only(w.api.take(), "POST /posts")
	if len(posts) != 1 || posts[0].post(t).ChannelId != dmOf(ana) {
		t.Fatalf("DM %+v", posts)
	}
	contains(t, posts[0].post(t).Message, "Your report is CASE-1")

	// A state made up without the key files nothing.
	errs = dialogErrors(t, w.submit(ana, "report", "|1795424400|abcd|c2lnbmF0dXJl", map[string]any{"description": desc}))
	contains(t, errs.Error, "not valid any more")
	if rec := w.postJSON(DialogPath, []int{1}); rec.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", rec.Code)
	}
	// A dialog that is not ours is answered and ignored.
	if rec := w.submit(ana, "something", "", nil); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("unknown callback: %d %s", rec.Code, rec.Body)
	}
}

// TestMentionNamesTheSubject: "@username" in the description resolves
// through Mattermost to the person, who becomes the case's subject; the
// look-up is remembered.
func TestMentionNamesTheSubject(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command(ana, "a detainee photo posted by @David.Cho, still up"))
	calls := w.api.take()
	if look := only(calls, "GET /users/username/{name}"); len(look) != 1 || look[0].Path != "/api/v4/users/username/david.cho" {
		t.Fatalf("look-ups %v", routes(calls))
	}
	davidP, _ := w.store.PersonByEmail(context.Background(), "david.cho@example.gov")
	if w.get(1).SubjectID != davidP.ID {
		t.Fatalf("subject %d", w.get(1).SubjectID)
	}
	ephemeralText(t, w.command(ana, "another detainee photo by @david.cho"))
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("the mention was looked up again: %v", routes(calls))
	}
	// An unknown username and @channel name nobody.
	ephemeralText(t, w.command(ana, "a detainee photo by @nobody.here and @channel"))
	if w.get(3).SubjectID != 0 {
		t.Error("a subject from nowhere")
	}
	if look := only(w.api.take(), "GET /users/username/{name}"); len(look) != 1 {
		t.Errorf("look-ups %d", len(look))
	}
}

// TestCardMentionsNobody: a report quoting every mention syntax reaches the
// supervisor's card neutralised.
func TestCardMentionsNobody(t *testing.T) {
	w := newWorld(t)
	card, _ := fileAndDeliver(t, w, "https://example.com/p/1 detainee photo @channel @all @here @someone <!channel> <@abc>")
	b, _ := json.Marshal(card)
	var decoded any
	json.Unmarshal(b, &decoded)
	noPing(t, "card", attachmentText(card))
	contains(t, card.Text, "@"+zwj+"channel @"+zwj+"all @"+zwj+"here @"+zwj+"someone <"+zwj+"!channel> <"+zwj+"@"+zwj+"abc>")
	// And the reporter's own answer when they look at the case.
	w.deliver()
	noPing(t, "case answer", ephemeralText(t, w.command(ana, "case CASE-1")))
}

func TestExportIsUploadedToTheDM(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command(ana, "https://example.com/p/1 a detainee photo"))
	w.api.take()
	contains(t, ephemeralText(t, w.command(carla, "export 30d")), "reportbot-cases-2026-11-23.csv", "direct messages")
	calls := w.api.take()
	if len(only(calls, "POST /files")) != 1 {
		t.Fatalf("upload calls %v", routes(calls))
	}
	posts := only(calls, "POST /posts")
	if len(posts) != 1 {
		t.Fatalf("posts %v", routes(calls))
	}
	if p := posts[0].post(t); p.ChannelId != dmOf(carla) || len(p.FileIds) != 1 {
		t.Fatalf("file post %+v", p)
	}
}

// FuzzAction: any JSON body is answered 200 or 400, never a panic, never a
// 5xx, and a body without a valid signature changes nothing.
func FuzzAction(f *testing.F) {
	w := newWorld(f)
	ephemeralText(f, w.command(ana, "https://example.com/p/1 a detainee photo"))
	good, _ := json.Marshal(model.PostActionIntegrationRequest{UserId: ben, PostId: "p", TriggerId: "t",
		Context: testSigner.buttonContext("CASE-1", "resolve", w.get(1).AssigneeID)})
	seeds := []string{
		string(good),
		`{"user_id":"` + ben + `","context":{"case":"CASE-1","action":"acknowledge","recipient":"2","sig":"x"}}`,
		`{"user_id":"` + ben + `","context":{"case":1,"action":null,"recipient":2.5,"sig":[]}}`,
		`{"user_id":"","context":null}`, `{"context":{"sig":{}}}`, `{}`, `[]`, `null`, `"x"`, `{"user_id":1}`, ``,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := *w
		w.t = t
		req := httptest.NewRequest(http.MethodPost, ActionPath, strings.NewReader(body))
		rec := w.serve(req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		w.api.take()
		if c := w.get(1); c.Status != cases.StatusOpen {
			t.Fatalf("a fuzzed click moved the case to %s", c.Status)
		}
	})
}

// FuzzCommand: any form body, with or without a token, is answered 200,
// 400 or 401, never a panic.
func FuzzCommand(f *testing.F) {
	w := newWorld(f)
	for _, s := range []string{
		"token=" + token1 + "&user_id=" + ana + "&text=help",
		"token=" + token1 + "&user_id=" + ana + "&text=https%3A%2F%2Fexample.com+%40channel+%40david.cho",
		"token=" + token1 + "&user_id=" + ana + "&text=",
		"token=" + token1 + "&user_id=" + stranger + "&text=mine",
		"token=" + token1 + "&user_id=x&text=%zz",
		"token=nope&user_id=" + ana + "&text=help",
		"user_id=" + ana, "token=" + token1, "%", "", "token=" + token1 + "&token=x",
	} {
		f.Add(s, "")
		f.Add(s, "Token "+token2)
	}
	f.Fuzz(func(t *testing.T, body, auth string) {
		w := *w
		w.t = t
		req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := w.serve(req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if rec.Code == http.StatusOK && rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("200 without JSON for %q", body)
		}
		w.api.take()
	})
}

// FuzzDialog: any JSON body is answered 200 or 400, never a panic, and a
// state not signed by the adapter changes nothing.
func FuzzDialog(f *testing.F) {
	w := newWorld(f)
	ephemeralText(f, w.command(ana, "https://example.com/p/1 a detainee photo"))
	for _, s := range []string{
		`{"callback_id":"resolve","state":"CASE-1|1795424400|00|x","user_id":"` + ben + `","submission":{"outcome":"duplicate","note":"x"}}`,
		`{"callback_id":"report","state":"","user_id":"` + ana + `","submission":{"description":1,"subject":null}}`,
		`{"callback_id":"reassign","state":"||||","submission":{"to":["x"]}}`,
		`{"callback_id":"resolve","cancelled":true}`, `{"submission":"x"}`, `{}`, `null`, `[`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := *w
		w.t = t
		rec := w.serve(httptest.NewRequest(http.MethodPost, DialogPath, strings.NewReader(body)))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		w.api.take()
		if c := w.get(1); c.Status != cases.StatusOpen {
			t.Fatalf("a fuzzed submission moved the case to %s", c.Status)
		}
		if _, err := w.store.Case(context.Background(), 2); err == nil {
			t.Fatal("a fuzzed submission filed a case")
		}
	})
}
