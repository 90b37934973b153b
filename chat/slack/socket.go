package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/slack-go/slack/socketmode"
)

// Run serves the adapter until ctx ends. In Socket Mode it connects out to
// Slack and serves every request that arrives over the WebSocket with the
// same handlers as the HTTP endpoints; over HTTP it only waits. Either way
// it lets follow-ups started by earlier requests finish before returning,
// so the store is not closed under them.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.Wait()
	if !a.socketMode {
		<-ctx.Done()
		return nil
	}
	client := socketmode.New(a.api)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				if payload, ok := a.socketEvent(ctx, evt); ok {
					if err := client.AckCtx(ctx, evt.Request.EnvelopeID, payload); err != nil {
						a.log.Warn("slack socket mode: ack failed", "err", err)
					}
				}
			}
		}
	}()
	err := client.RunContext(ctx)
	<-done
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("slack socket mode: %w", err)
}

// socketEvent serves one Socket Mode event through the HTTP handler it
// corresponds to (without the signature check: the connection itself is
// authenticated by the app token) and returns the payload to acknowledge
// it with. ok is false for connection events, which need no answer; hello
// among them carries a request, but no envelope to acknowledge.
func (a *Adapter) socketEvent(ctx context.Context, evt socketmode.Event) (payload any, ok bool) {
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		switch evt.Type {
		case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
			a.log.Warn("slack socket mode", "event", string(evt.Type))
		case socketmode.EventTypeIncomingError:
			// slack-go reports one after each routine refresh (Slack's
			// "disconnect", then a read from the closed connection) and
			// reconnects by itself; a real outage shows as connection_error.
			a.log.Info("slack socket mode", "event", string(evt.Type))
		default:
			a.log.Debug("slack socket mode", "event", string(evt.Type))
		}
		return nil, false
	}
	var (
		req  *http.Request
		serv http.HandlerFunc
	)
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		form, err := formOf(evt.Request.Payload)
		if err != nil {
			a.log.Warn("slack socket mode: bad slash command", "err", err)
			return nil, true
		}
		req, serv = formRequest(ctx, "/slack/commands", form), a.serveCommand
	case socketmode.EventTypeInteractive:
		req, serv = formRequest(ctx, "/slack/interactions", url.Values{"payload": {string(evt.Request.Payload)}}), a.serveInteraction
	case socketmode.EventTypeEventsAPI:
		req = httptest.NewRequestWithContext(ctx, http.MethodPost, "/slack/events", bytes.NewReader(evt.Request.Payload))
		req.Header.Set("Content-Type", "application/json")
		serv = a.serveEvent
	default:
		return nil, true // acknowledge what we do not serve, so Slack stops retrying
	}
	rec := httptest.NewRecorder()
	serv(rec, req)
	body := bytes.TrimSpace(rec.Body.Bytes())
	if len(body) == 0 || !json.Valid(body) {
		return nil, true
	}
	return json.RawMessage(body), true
}

// formOf turns a Socket Mode slash command (a JSON object of strings) back
// into the form Slack would have POSTed.
func formOf(payload json.RawMessage) (url.Values, error) {
	var fields map[string]any
	if err := json.Unmarshal(payload, &fields); err != nil {
		return nil, err
	}
	form := url.Values{}
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			form.Set(k, v)
		case nil:
		default:
			form.Set(k, fmt.Sprint(v))
		}
	}
	return form, nil
}

func formRequest(ctx context.Context, path string, form url.Values) *http.Request {
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
