package slack

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const jsonType = "application/json"

func TestURLVerification(t *testing.T) {
	w := newWorld(t)
	rec := w.post("/slack/events", jsonType, `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	var v map[string]string
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &v) != nil || v["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if rec := w.post("/slack/events", jsonType, `{"type":`); rec.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", rec.Code)
	}
}

func homeOpened(id, user string) string {
	return `{"type":"event_callback","event_id":"` + id + `","event":{"type":"app_home_opened","user":"` + user + `","tab":"home","channel":"D1"}}`
}

func TestAppHome(t *testing.T) {
	w := newWorld(t)
	ephemeralText(t, w.command("U0ANA", "https://example.com/p/1 a detainee photo <!channel>"))
	w.api.take()

	// Ana sees her report.
	if rec := w.post("/slack/events", jsonType, homeOpened("Ev1", "U0ANA")); rec.Code != http.StatusOK {
		t.Fatalf("%d", rec.Code)
	}
	pub := only(w.api.take(), "views.publish")
	if len(pub) != 1 || pub[0].Arg("user_id") != "U0ANA" {
		t.Fatalf("publish %+v", pub)
	}
	home := mustJSONRaw(t, pub[0].JSON["view"])
	contains(t, home, "Your reports", "CASE-1")
	if strings.Contains(home, "Waiting on you") || strings.Contains(home, "summary") {
		t.Errorf("Ana has no queue nor summary:\n%s", home)
	}

	// Slack retries the same event: answered, not published again.
	w.post("/slack/events", jsonType, homeOpened("Ev1", "U0ANA"))
	if pub := only(w.api.take(), "views.publish"); len(pub) != 0 {
		t.Errorf("a retry published again")
	}

	// Ben supervises: his queue. Carla is compliance: the summary too.
	w.post("/slack/events", jsonType, homeOpened("Ev2", "U0BEN"))
	contains(t, mustJSONRaw(t, only(w.api.take(), "views.publish")[0].JSON["view"]), "Waiting on you", "CASE-1")
	w.post("/slack/events", jsonType, homeOpened("Ev3", "U0CARLA"))
	contains(t, mustJSONRaw(t, only(w.api.take(), "views.publish")[0].JSON["view"]), "Compliance summary", "1 case")

	// Someone not in the directory is told so on their Home.
	w.post("/slack/events", jsonType, homeOpened("Ev4", "U0NOBODY"))
	contains(t, mustJSONRaw(t, only(w.api.take(), "views.publish")[0].JSON["view"]), "You aren't in the reporting directory")

	// The messages tab and other events publish nothing.
	w.post("/slack/events", jsonType, `{"type":"event_callback","event_id":"Ev5","event":{"type":"app_home_opened","user":"U0ANA","tab":"messages"}}`)
	w.post("/slack/events", jsonType, `{"type":"event_callback","event_id":"Ev6","event":{"type":"message","user":"U0ANA"}}`)
	if calls := w.api.take(); len(calls) != 0 {
		t.Errorf("calls %+v", calls)
	}
}

func TestSeenSetIsBounded(t *testing.T) {
	s := newSeenSet(3)
	for _, id := range []string{"a", "b", "c"} {
		if !s.add(id) {
			t.Fatalf("%s not new", id)
		}
	}
	if s.add("a") {
		t.Fatal("a is new again")
	}
	s.add("d") // forgets a, the oldest
	if !s.add("a") {
		t.Error("a still remembered beyond the bound")
	}
	// "a" came back in place of "b", the oldest then.
	if !s.add("b") {
		t.Error("b still remembered beyond the bound")
	}
}
