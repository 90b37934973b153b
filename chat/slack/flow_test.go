package slack

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// TestReportAcknowledgeResolve is the whole path on Slack: a signed slash
// command files a report, the supervisor gets the card by DM, clicks on it,
// and the card and the reporter follow.
func TestReportAcknowledgeResolve(t *testing.T) {
	w := newWorld(t)

	// Ana files a report; the answer is immediate and private.
	rec := w.command("U0ANA", "<https://www.instagram.com/p/abc?igsh=xyz|instagram.com/p/abc> she posted a picture of a detainee in the intake area")
	text := ephemeralText(t, rec)
	contains(t, text, "CASE-1", "Notified: Ben Okafor", "§4-2.f")
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("the answer made Web API calls: %+v", calls)
	}
	if c := w.get(1); c.Link != "https://www.instagram.com/p/abc" || c.Status != cases.StatusOpen {
		t.Fatalf("filed %+v", c)
	}

	// The outbox sends Ben the card by DM.
	if errs := w.deliver(); len(errs) > 0 {
		t.Fatal(errs)
	}
	calls := w.api.take()
	if open := only(calls, "conversations.open"); len(open) != 1 || open[0].Arg("users") != "U0BEN" {
		t.Fatalf("conversations.open %+v", open)
	}
	posts := only(calls, "chat.postMessage")
	if len(posts) != 1 || posts[0].Arg("channel") != "D0BEN" {
		t.Fatalf("posts %+v", posts)
	}
	card := blocksText(t, posts[0].Arg("blocks"))
	contains(t, card, "CASE-1", "Ana Lopez", "detainee", "Acknowledge by")
	contains(t, posts[0].Arg("blocks"), `"action_id":"acknowledge"`, `"value":"CASE-1"`)
	contains(t, posts[0].Arg("text"), "New report CASE-1")
	if posts[0].Arg("unfurl_links") != "false" {
		t.Errorf("reported links are unfurled: %v", posts[0].Form)
	}

	// Ana, the reporter, may not acknowledge: a private refusal, nothing changes.
	if rec := w.click("U0ANA", "acknowledge", "CASE-1"); rec.Code != http.StatusOK {
		t.Fatalf("click answer %d", rec.Code)
	}
	eph := only(w.api.take(), "chat.postEphemeral")
	if len(eph) != 1 || eph[0].Arg("user") != "U0ANA" {
		t.Fatalf("refusal %+v", eph)
	}
	contains(t, eph[0].Arg("text"), "can't acknowledge CASE-1")
	if c := w.get(1); c.Status != cases.StatusOpen || c.Version != 1 {
		t.Fatalf("a refused click changed the case: %+v", c)
	}

	// Ben acknowledges.
	w.clock.Advance(90 * time.Minute)
	w.click("U0BEN", "acknowledge", "CASE-1")
	eph = only(w.api.take(), "chat.postEphemeral")
	if len(eph) != 1 || eph[0].Arg("channel") != "D0BEN" {
		t.Fatalf("ack answer %+v", eph)
	}
	contains(t, eph[0].Arg("text"), "You acknowledged CASE-1")
	if c := w.get(1); c.Status != cases.StatusAcknowledged {
		t.Fatalf("status %s", c.Status)
	}

	// The card is updated in place; Ana hears by DM.
	if errs := w.deliver(); len(errs) > 0 {
		t.Fatal(errs)
	}
	calls = w.api.take()
	upd := only(calls, "chat.update")
	if len(upd) != 1 || upd[0].Arg("channel") != "D0BEN" || upd[0].Arg("ts") != "1700000000.000001" {
		t.Fatalf("card update %+v", upd)
	}
	contains(t, blocksText(t, upd[0].Arg("blocks")), "acknowledged by Ben Okafor", "Resolve by")
	if strings.Contains(upd[0].Arg("blocks"), `"action_id":"acknowledge"`) {
		t.Error("the acknowledged card still offers Acknowledge")
	}
	posts = only(calls, "chat.postMessage")
	if len(posts) != 1 || posts[0].Arg("channel") != "D0ANA" {
		t.Fatalf("reporter notice %+v", posts)
	}
	contains(t, posts[0].Arg("text"), "has been acknowledged")

	// A second click: already acknowledged, nothing changes.
	w.click("U0BEN", "acknowledge", "CASE-1")
	eph = only(w.api.take(), "chat.postEphemeral")
	if len(eph) != 1 {
		t.Fatalf("double click %+v", eph)
	}
	contains(t, eph[0].Arg("text"), "already acknowledged")

	// Resolve opens the modal; an empty note is a field error.
	w.click("U0BEN", "resolve", "CASE-1")
	views := only(w.api.take(), "views.open")
	if len(views) != 1 || !strings.HasPrefix(views[0].Arg("trigger_id"), "trig-U0BEN-") {
		t.Fatalf("views.open %+v", views)
	}
	view, _ := views[0].JSON["view"].(map[string]any)
	if view["callback_id"] != "resolve" || view["private_metadata"] != "CASE-1" {
		t.Fatalf("modal %v", view)
	}
	rec = w.submit("U0BEN", "resolve", "CASE-1", map[string]map[string]any{
		"outcome": {"type": "static_select", "selected_option": map[string]any{"value": "violation_confirmed"}},
		"note":    {"type": "plain_text_input", "value": "   "},
	})
	errs := viewErrorsOf(t, rec)
	contains(t, errs["note"], "Please add a note")
	if w.get(1).Status != cases.StatusAcknowledged {
		t.Fatal("an empty note resolved the case")
	}
	rec = w.submit("U0BEN", "resolve", "CASE-1", map[string]map[string]any{
		"outcome": {"type": "static_select", "selected_option": map[string]any{"value": "maybe"}},
		"note":    {"type": "plain_text_input", "value": "Checked."},
	})
	contains(t, viewErrorsOf(t, rec)["outcome"], `"maybe" isn't an outcome`)

	// A good submission closes the modal and the result comes by DM.
	rec = w.submit("U0BEN", "resolve", "CASE-1", map[string]map[string]any{
		"outcome": {"type": "static_select", "selected_option": map[string]any{"value": "violation_confirmed"}},
		"note":    {"type": "plain_text_input", "value": "Post removed; counselled."},
	})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("submission answer %d %s", rec.Code, rec.Body)
	}
	posts = only(w.api.take(), "chat.postMessage")
	if len(posts) != 1 || posts[0].Arg("channel") != "D0BEN" {
		t.Fatalf("result DM %+v", posts)
	}
	contains(t, posts[0].Arg("text"), "CASE-1 is resolved: violation confirmed")
	if c := w.get(1); c.Status != cases.StatusResolved || c.ResolutionNote != "Post removed; counselled." {
		t.Fatalf("resolved %+v", c)
	}
	w.deliver()
	upd = only(w.api.take(), "chat.update")
	if len(upd) != 1 || strings.Contains(upd[0].Arg("blocks"), `"type":"actions"`) {
		t.Fatalf("resolved card still has buttons: %+v", upd)
	}
}

func viewErrorsOf(t *testing.T, rec interface {
	Result() *http.Response
}) map[string]string {
	t.Helper()
	res := rec.Result()
	var v struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || v.ResponseAction != "errors" {
		t.Fatalf("not a field error answer (%d): %v %+v", res.StatusCode, err, v)
	}
	return v.Errors
}

func TestForgedClickIsRefused(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command("U0ANA", "https://example.com/p/1 a detainee photo"))
	body := url.Values{"payload": {`{"type":"block_actions","user":{"id":"U0BEN"},"actions":[{"action_id":"acknowledge","value":"CASE-1"}]}`}}.Encode()
	for name, sig := range map[string]string{
		"wrong secret": Signature("not-the-secret", strconv.FormatInt(start.Unix(), 10), []byte(body)),
		"no signature": "",
	} {
		req := newSignedRequest("/slack/interactions", body, strconv.FormatInt(start.Unix(), 10), sig)
		rec := serve(w, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
	if c := w.get(1); c.Status != cases.StatusOpen {
		t.Fatalf("a forged click changed the case: %s", c.Status)
	}
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("a forged click reached Slack: %+v", calls)
	}
}
