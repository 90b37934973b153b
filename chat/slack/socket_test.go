package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack/socketmode"
)

// TestSocketModeServesTheSameHandlers: a slash command, a button and an
// event arriving over the WebSocket get the answers the HTTP endpoints give,
// as acknowledgement payloads.
func TestSocketModeServesTheSameHandlers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	event := func(typ socketmode.EventType, payload string) socketmode.Event {
		return socketmode.Event{Type: typ, Request: &socketmode.Request{EnvelopeID: "env-1", Payload: json.RawMessage(payload)}}
	}

	payload, ok := w.a.socketEvent(ctx, event(socketmode.EventTypeSlashCommand,
		`{"command":"/report","user_id":"U0ANA","team_id":"T1","channel_id":"C1","trigger_id":"t1","text":"she posted a picture of a detainee on instagram"}`))
	w.a.Wait()
	raw, isJSON := payload.(json.RawMessage)
	if !ok || !isJSON || !strings.Contains(string(raw), "CASE-1") || !strings.Contains(string(raw), `"response_type":"ephemeral"`) {
		t.Fatalf("slash command ack %v %s", ok, raw)
	}

	b, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U0BEN"}, "trigger_id": "t2",
		"container": map[string]any{"type": "message", "channel_id": "D0BEN", "message_ts": "1.2"},
		"channel":   map[string]any{"id": "D0BEN"},
		"actions":   []any{map[string]any{"action_id": "acknowledge", "block_id": "case_actions", "type": "button", "value": "CASE-1"}},
	})
	if _, ok := w.a.socketEvent(ctx, event(socketmode.EventTypeInteractive, string(b))); !ok {
		t.Fatal("interaction not acknowledged")
	}
	w.a.Wait()
	if c := w.get(1); c.Status != "acknowledged" {
		t.Fatalf("the button over Socket Mode did not act: %s", c.Status)
	}

	if _, ok := w.a.socketEvent(ctx, event(socketmode.EventTypeEventsAPI,
		`{"type":"event_callback","event_id":"Ev1","event":{"type":"app_home_opened","user":"U0ANA","tab":"home"}}`)); !ok {
		t.Fatal("event not acknowledged")
	}
	w.a.Wait()
	if len(only(w.api.take(), "views.publish")) != 1 {
		t.Error("App Home was not published over Socket Mode")
	}

	// Connection events need no answer; a broken command is still acknowledged.
	if _, ok := w.a.socketEvent(ctx, socketmode.Event{Type: socketmode.EventTypeConnected}); ok {
		t.Error("a connection event was acknowledged")
	}
	if p, ok := w.a.socketEvent(ctx, event(socketmode.EventTypeSlashCommand, `[1,2`)); !ok || p != nil {
		t.Errorf("broken payload: %v %v", p, ok)
	}
}
