package slack

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
)

func TestEmptyCommandOpensTheReportForm(t *testing.T) {
	w := newWorld(t)
	rec := w.command("U0ANA", "  ")
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("answer %d %q", rec.Code, rec.Body)
	}
	views := only(w.api.take(), "views.open")
	if len(views) != 1 || !strings.HasPrefix(views[0].Arg("trigger_id"), "trig-U0ANA-") {
		t.Fatalf("views.open %+v", views)
	}
	view := views[0].JSON["view"].(map[string]any)
	if view["callback_id"] != "report" {
		t.Errorf("view %v", view)
	}

	// When Slack will not open it, the person is told at once.
	w.api.setFail("views.open", func(rw http.ResponseWriter, r *http.Request) {
		rw.Write([]byte(`{"ok":false,"error":"expired_trigger_id"}`))
	})
	contains(t, ephemeralText(t, w.command("U0ANA", "")), "Slack didn't open the form")
}

func TestReportFormSubmission(t *testing.T) {
	w := newWorld(t)
	desc := map[string]any{"type": "plain_text_input", "value": "He posted a detainee photo <!channel>"}

	// A bad link is shown under the link field; nothing is filed.
	errs := viewErrorsOf(t, w.submit("U0ANA", "report", "", map[string]map[string]any{
		"link": {"type": "plain_text_input", "value": "javascript:alert(1)"}, "description": desc,
	}))
	contains(t, errs["link"], "Links must be web addresses")
	// An empty report is shown under the description.
	errs = viewErrorsOf(t, w.submit("U0ANA", "report", "", map[string]map[string]any{
		"description": {"type": "plain_text_input", "value": " \u200b "},
	}))
	contains(t, errs["description"], "Please say what you saw")
	// A person concerned who is not in the directory, under that field.
	errs = viewErrorsOf(t, w.submit("U0ANA", "report", "", map[string]map[string]any{
		"description": desc, "subject": {"type": "users_select", "selected_user": "U0NOBODY"},
	}))
	contains(t, errs["subject"], "That person isn't in the directory")
	// A category that is not one of the modal's options (forged), under that field.
	errs = viewErrorsOf(t, w.submit("U0ANA", "report", "", map[string]map[string]any{
		"description": desc, "category": {"type": "static_select", "selected_option": map[string]any{"value": "4-9.z"}},
	}))
	contains(t, errs["category"], `"4-9.z" isn't one of the directive's paragraphs`)
	if _, err := w.store.Case(context.Background(), 1); err == nil {
		t.Fatal("a refused form filed a case")
	}
	w.api.take()

	// A good form: the modal closes, the case names David, Ana gets a DM.
	rec := w.submit("U0ANA", "report", "", map[string]map[string]any{
		"link": {"type": "plain_text_input", "value": "https://example.com/p/2"}, "description": desc,
		"subject":  {"type": "users_select", "selected_user": "U0DAVID"},
		"category": {"type": "static_select", "selected_option": map[string]any{"value": "4-4.i"}},
	})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	c := w.get(1)
	david, _ := w.store.PersonByEmail(context.Background(), "david.cho@example.gov")
	if c.SubjectID != david.ID || c.Link != "https://example.com/p/2" {
		t.Errorf("case %+v", c)
	}
	if c.TopCategory() != "4-4.i" || !c.Categories[0].Named {
		t.Errorf("the reporter's category is not first: %+v", c.Categories)
	}
	posts := only(w.api.take(), "chat.postMessage")
	if len(posts) != 1 || posts[0].Arg("channel") != "D0ANA" {
		t.Fatalf("DM %+v", posts)
	}
	contains(t, posts[0].Arg("text"), "Your report is CASE-1")
}

func TestReassignAndEscalateForms(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command("U0ANA", "https://example.com/p/1 a detainee photo"))
	w.api.take()

	w.click("U0BEN", "reassign", "CASE-1")
	if v := only(w.api.take(), "views.open"); len(v) != 1 || v[0].JSON["view"].(map[string]any)["callback_id"] != "reassign" {
		t.Fatalf("reassign modal %+v", v)
	}
	reason := map[string]any{"type": "plain_text_input", "value": "On leave this week."}
	errs := viewErrorsOf(t, w.submit("U0BEN", "reassign", "CASE-1", map[string]map[string]any{
		"to": {"type": "users_select", "selected_user": "U0STRANGER"}, "reason": reason,
	}))
	contains(t, errs["to"], "isn't in the directory")
	errs = viewErrorsOf(t, w.submit("U0BEN", "reassign", "CASE-1", map[string]map[string]any{
		"to": {"type": "users_select", "selected_user": "U0BEN"}, "reason": reason,
	}))
	contains(t, errs["to"], "already with Ben Okafor")
	errs = viewErrorsOf(t, w.submit("U0BEN", "reassign", "CASE-1", map[string]map[string]any{
		"to": {"type": "users_select", "selected_user": "U0CARLA"}, "reason": {"type": "plain_text_input", "value": ""},
	}))
	contains(t, errs["reason"], "Please give a reason to reassign CASE-1")
	w.api.take()
	rec := w.submit("U0BEN", "reassign", "CASE-1", map[string]map[string]any{
		"to": {"type": "users_select", "selected_user": "U0CARLA"}, "reason": reason,
	})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	contains(t, only(w.api.take(), "chat.postMessage")[0].Arg("text"), "CASE-1 is now with Carla Diaz")
	carla, _ := w.store.PersonByEmail(context.Background(), "carla.diaz@example.gov")
	if w.get(1).AssigneeID != carla.ID {
		t.Fatal("not reassigned")
	}

	// Escalate asks for a reason, then escalates.
	w.click("U0CARLA", "escalate", "CASE-1")
	if v := only(w.api.take(), "views.open"); len(v) != 1 || v[0].JSON["view"].(map[string]any)["callback_id"] != "escalate" {
		t.Fatalf("escalate modal %+v", v)
	}
	rec = w.submit("U0CARLA", "escalate", "CASE-1", map[string]map[string]any{"reason": reason})
	if rec.Code != http.StatusOK {
		t.Fatal(rec.Code)
	}
	// Carla is at the top: the handler's answer says so, by DM.
	if posts := only(w.api.take(), "chat.postMessage"); len(posts) != 1 || posts[0].Arg("channel") != "D0CARLA" {
		t.Fatalf("escalate answer %+v", posts)
	}
}

func TestReportMessageShortcut(t *testing.T) {
	w := newWorld(t)
	rec := w.interact(map[string]any{
		"type": "message_action", "callback_id": ReportMessageCallback, "trigger_id": "trig-1",
		"user": map[string]any{"id": "U0ANA"}, "channel": map[string]any{"id": "C0GENERAL"},
		"message_ts": "1700000001.000100",
		"message": map[string]any{"type": "message", "user": "U0DAVID", "ts": "1700000001.000100",
			"text": "look at this detainee &lt;3 <https://example.com/x|example.com/x> <!here>"},
	})
	if rec.Code != http.StatusOK {
		t.Fatal(rec.Code)
	}
	calls := w.api.take()
	if p := only(calls, "chat.getPermalink"); len(p) != 1 || p[0].Arg("channel") != "C0GENERAL" || p[0].Arg("message_ts") != "1700000001.000100" {
		t.Fatalf("permalink %+v", p)
	}
	views := only(calls, "views.open")
	if len(views) != 1 {
		t.Fatalf("views.open %+v", calls)
	}
	view := mustJSONRaw(t, views[0].JSON["view"])
	contains(t, view, `"initial_value":"https://example.slack.com/archives/C0GENERAL/p1700000001000100"`,
		`"initial_value":"look at this detainee <3 https://example.com/x @here"`, `"initial_user":"U0DAVID"`)

	// A stranger is told privately, and no form opens.
	w.interact(map[string]any{
		"type": "message_action", "callback_id": ReportMessageCallback, "trigger_id": "trig-2",
		"user": map[string]any{"id": "U0NOBODY"}, "channel": map[string]any{"id": "C0GENERAL"},
		"message": map[string]any{"type": "message", "user": "U0DAVID", "ts": "1", "text": "x"},
	})
	calls = w.api.take()
	if len(only(calls, "views.open")) != 0 || len(only(calls, "chat.postEphemeral")) != 1 {
		t.Fatalf("stranger %+v", calls)
	}
}

func TestInjectedDescriptionIsEscapedInTheCard(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command("U0ANA", "https://example.com/p/1 detainee photo &lt;!channel&gt; <!channel> <@U0CARLA> <https://evil.example|click> &amp; *bold*"))
	w.deliver()
	post := only(w.api.take(), "chat.postMessage")[0]
	for _, field := range []string{"blocks", "text"} {
		got := post.Arg(field)
		for _, bad := range []string{"<!", "<@", "<http"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s has %q: %s", field, bad, got)
			}
		}
	}
	contains(t, blocksText(t, post.Arg("blocks")), "&lt;!channel&gt;", "@channel", "https://evil.example", "&amp; *bold*")
}

func TestClickOnAnUnknownCaseOrByAStranger(t *testing.T) {
	w := newWorld(t)
	w.click("U0BEN", "acknowledge", "CASE-99")
	contains(t, only(w.api.take(), "chat.postEphemeral")[0].Arg("text"), "There is no CASE-99")
	w.click("U0BEN", "acknowledge", "nonsense")
	contains(t, only(w.api.take(), "chat.postEphemeral")[0].Arg("text"), "isn't a case reference")
	w.click("U0NOBODY", "acknowledge", "CASE-1")
	contains(t, only(w.api.take(), "chat.postEphemeral")[0].Arg("text"), "You aren't in the reporting directory")
	// A click that is not a case button is ignored.
	w.click("U0BEN", "something_else", "CASE-1")
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("calls %+v", calls)
	}
	// When the ephemeral cannot be posted, the answer comes by DM.
	w.api.setFail("chat.postEphemeral", func(rw http.ResponseWriter, r *http.Request) {
		rw.Write([]byte(`{"ok":false,"error":"channel_not_found"}`))
	})
	w.click("U0BEN", "acknowledge", "CASE-99")
	if posts := only(w.api.take(), "chat.postMessage"); len(posts) != 1 || posts[0].Arg("channel") != "D0BEN" {
		t.Errorf("fallback DM %+v", posts)
	}
}

// FuzzInteraction: any form body that passes the signature check is
// answered 200 or 400, never a panic, never a 5xx.
func FuzzInteraction(f *testing.F) {
	seeds := []string{
		`{"type":"block_actions","user":{"id":"U0BEN"},"actions":[{"action_id":"acknowledge","value":"CASE-1"}]}`,
		`{"type":"block_actions","user":{"id":"U0BEN"},"actions":[null]}`,
		`{"type":"block_actions","actions":[{"action_id":"resolve","value":"CASE-1"}],"container":{"type":"message"}}`,
		`{"type":"view_submission","user":{"id":"U0ANA"},"view":{"callback_id":"report","state":{"values":{"description":null}}}}`,
		`{"type":"view_submission","user":{"id":"U0BEN"},"view":{"callback_id":"resolve","private_metadata":"CASE-1","state":{"values":{"outcome":{"outcome":{"selected_option":{"value":"duplicate"}}},"note":{"note":{"value":"x"}}}}}}`,
		`{"type":"view_submission","user":{"id":"U0BEN"},"view":{"callback_id":"reassign","private_metadata":"CASE-1"}}`,
		`{"type":"message_action","callback_id":"report_message","user":{"id":"U0ANA"},"message":{"text":"<<@"}}`,
		`{"type":"shortcut"}`, `{}`, `[]`, `null`, `{"type":1}`,
	}
	for _, s := range seeds {
		f.Add(url.Values{"payload": {s}}.Encode())
	}
	f.Add("payload=%")
	f.Add("")
	w := newWorld(f)
	ephemeralText(f, w.command("U0ANA", "https://example.com/p/1 a detainee photo"))
	f.Fuzz(func(t *testing.T, body string) {
		w := *w
		w.t = t
		// Every request is signed at a new second: the adapter refuses an
		// exact replay, and the fuzzer repeats inputs.
		w.clock.Advance(time.Second)
		rec := w.post("/slack/interactions", form, body)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		w.api.take()
		if c, err := w.store.Case(context.Background(), 1); err == nil && c.Status == cases.StatusWithdrawn && c.ReporterID == 0 {
			t.Fatal("impossible")
		}
	})
}

func TestExportIsUploadedToTheDM(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command("U0ANA", "https://example.com/p/1 a detainee photo"))
	w.api.take()
	contains(t, ephemeralText(t, w.command("U0CARLA", "export 30d")), "reportbot-cases-2026-11-23.csv", "direct messages")
	calls := w.api.take()
	if len(only(calls, "files.getUploadURLExternal")) != 1 || len(only(calls, "upload")) != 1 {
		t.Fatalf("upload calls %+v", calls)
	}
	done := only(calls, "files.completeUploadExternal")
	if len(done) != 1 || done[0].Arg("channel_id") != "D0CARLA" {
		t.Fatalf("complete %+v", done)
	}
}

func TestSlashCommandOddities(t *testing.T) {
	w := newWorld(t)
	if rec := w.post("/slack/commands", form, "ssl_check=1&token=x"); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("ssl_check: %d %q", rec.Code, rec.Body)
	}
	if rec := w.post("/slack/commands", form, "command=%2Freport&text=hi"); rec.Code != http.StatusBadRequest {
		t.Errorf("no user: %d", rec.Code)
	}
	if rec := w.post("/slack/commands", form, "user_id=U0ANA&text=%zz"); rec.Code != http.StatusBadRequest {
		t.Errorf("bad form: %d", rec.Code)
	}
	contains(t, ephemeralText(t, w.command("U0ANA", "help")), "/report mine")
}
