package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/routing"
)

// guard bounds every wait in the Socket Mode test. It only turns a hang
// into a failure; nothing waits for it to pass.
const guard = 10 * time.Second

// TestSocketModeRunOverWebSocket drives Adapter.Run against a fake Slack
// speaking the real Socket Mode wire protocol (apps.connections.open, the
// WebSocket, hello, envelopes, acks, ping, disconnect), where the other
// Socket Mode test calls socketEvent directly and so never exercises the
// connection, the acknowledgements or the shutdown.
func TestSocketModeRunOverWebSocket(t *testing.T) {
	w := newWorld(t)
	f := newFakeSocketSlack(t, w.api)
	svc := cases.NewService(w.store, w.store, w.clock.Now, routing.DefaultDeadlines(), nil)
	a, err := New(Config{
		SocketMode: true,
		Client:     slackapi.New("xoxb-test", slackapi.OptionAPIURL(f.srv.URL+"/"), slackapi.OptionAppLevelToken("xapp-1-test")),
		Handler:    commands.New(svc, w.store, w.store, sharedClassifier(t), w.clock.Now, nil),
		People:     w.store, Cases: w.store, Refs: w.store, Now: w.clock.Now, APITimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Routes()) != 0 {
		t.Error("Socket Mode serves HTTP endpoints")
	}

	ctx, cancel := context.WithCancel(context.Background())
	var runErr error
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		runErr = a.Run(ctx)
	}()
	t.Cleanup(func() { // on an early failure
		cancel()
		select {
		case <-runDone:
		case <-time.After(guard):
			t.Error("Run did not return at cleanup")
		}
	})

	conn := f.next(t)
	if n := f.opens.Load(); n != 1 {
		t.Fatalf("apps.connections.open called %d times, want 1", n)
	}

	// A slash command is answered in its acknowledgement.
	conn.send(t, envelope("e1", "slash_commands", map[string]any{
		"token": "x", "team_id": "T1", "team_domain": "acme", "channel_id": "C0GENERAL", "channel_name": "general",
		"user_id": "U0ANA", "user_name": "ana", "command": "/report", "api_app_id": "A1", "is_enterprise_install": "false",
		"text": "she posted a picture of a detainee on instagram", "trigger_id": "t1",
		"response_url": "https://hooks.slack.com/commands/T1/1/x",
	}))
	var reply struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(conn.ack(t, "e1"), &reply); err != nil {
		t.Fatalf("slash command ack payload: %v", err)
	}
	if reply.ResponseType != "ephemeral" || !strings.Contains(reply.Text, "CASE-1") {
		t.Fatalf("slash command ack: %+v", reply)
	}

	// The supervisor's Acknowledge button acts before the ack comes back.
	conn.send(t, envelope("e2", "interactive", map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U0BEN"}, "team": map[string]any{"id": "T1"}, "trigger_id": "t2",
		"container": map[string]any{"type": "message", "channel_id": "D0BEN", "message_ts": "1700000000.000001"},
		"channel":   map[string]any{"id": "D0BEN"},
		"actions":   []any{map[string]any{"action_id": "acknowledge", "block_id": "case_actions", "type": "button", "value": "CASE-1"}},
	}))
	if p := conn.ack(t, "e2"); len(p) != 0 {
		t.Errorf("button ack carries a payload: %s", p)
	}
	if c := w.get(1); c.Status != "acknowledged" {
		t.Fatalf("the button over the socket did not act: %s", c.Status)
	}

	// Opening App Home publishes it in the background.
	w.api.take()
	conn.send(t, envelope("e3", "events_api", map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": "Ev1", "event_time": 1700000000,
		"event": map[string]any{"type": "app_home_opened", "user": "U0ANA", "channel": "D0ANA", "tab": "home", "event_ts": "1700000000.000100"},
	}))
	conn.ack(t, "e3")
	select {
	case <-f.published:
	case <-time.After(guard):
		t.Fatal("views.publish was not called")
	}
	if pub := only(w.api.take(), "views.publish"); len(pub) != 1 || pub[0].Arg("user_id") != "U0ANA" {
		t.Fatalf("views.publish calls: %+v", pub)
	}

	// Slack's WebSocket pings are answered.
	conn.ping(t, "p1")
	select {
	case got := <-conn.pongs:
		if got != "p1" {
			t.Errorf("pong %q, want p1", got)
		}
	case <-time.After(guard):
		t.Fatal("no pong")
	}

	// A disconnect request makes the client drop the connection, open a
	// new one, and go on serving over it.
	conn.send(t, map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "applink-test"}})
	conn.waitGone(t)
	conn2 := f.next(t)
	if n := f.opens.Load(); n != 2 {
		t.Fatalf("apps.connections.open called %d times after the disconnect, want 2", n)
	}
	conn2.send(t, envelope("e4", "slash_commands", map[string]any{
		"team_id": "T1", "channel_id": "C0GENERAL", "user_id": "U0ANA", "command": "/report", "text": "mine", "trigger_id": "t4",
	}))
	if p := conn2.ack(t, "e4"); !strings.Contains(string(p), "CASE-1") {
		t.Errorf("ack after reconnecting: %s", p)
	}

	// Cancelling the context ends Run promptly and cleanly.
	cancel()
	select {
	case <-runDone:
	case <-time.After(guard):
		t.Fatal("Run did not return after cancel")
	}
	if runErr != nil {
		t.Errorf("Run returned %v, want nil", runErr)
	}
	conn2.waitGone(t)
	if n := f.opens.Load(); n != 2 {
		t.Errorf("apps.connections.open called %d times in all, want 2", n)
	}
	conn2.noMoreAcks(t)
	noGoroutines(t, "slack-go/slack/socketmode.")
}

// envelope is a Socket Mode request as Slack sends it.
func envelope(id, typ string, payload any) map[string]any {
	return map[string]any{"envelope_id": id, "type": typ, "payload": payload, "accepts_response_payload": true}
}

// fakeSocketSlack is Slack's Socket Mode in front of the fake Web API:
// apps.connections.open hands out a WebSocket URL, the WebSocket speaks
// Socket Mode, and every other method goes through to the fake.
type fakeSocketSlack struct {
	srv       *httptest.Server
	opens     atomic.Int32
	conns     chan *sockConn
	published chan struct{} // a views.publish call went through
}

func newFakeSocketSlack(t *testing.T, api *fakeSlack) *fakeSocketSlack {
	t.Helper()
	f := &fakeSocketSlack{conns: make(chan *sockConn, 4), published: make(chan struct{}, 4)}
	target, err := url.Parse(api.srv.GetAPIURL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	mux := http.NewServeMux()
	mux.HandleFunc("/apps.connections.open", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer xapp-1-test" {
			fmt.Fprint(rw, `{"ok":false,"error":"not_authed"}`) // fatal to the client: Run fails
			return
		}
		n := f.opens.Add(1)
		fmt.Fprintf(rw, `{"ok":true,"url":"ws://%s/link?ticket=t%d&app_id=A1"}`, r.Host, n)
	})
	// The client presents itself as coming from api.slack.com.
	upgrader := websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return r.Header.Get("Origin") == "https://api.slack.com" }}
	mux.HandleFunc("/link", func(rw http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(rw, r, nil)
		if err != nil {
			return // Upgrade has answered
		}
		defer ws.Close()
		c := &sockConn{ws: ws, acks: make(chan sockAck, 64), pongs: make(chan string, 4), gone: make(chan struct{})}
		defer close(c.gone)
		ws.SetPongHandler(func(data string) error {
			select {
			case c.pongs <- data:
			default:
			}
			return nil
		})
		hello := `{"type":"hello","num_connections":1,"debug_info":{"host":"applink-test","build_number":1,"approximate_connection_time":18060},"connection_info":{"app_id":"A1"}}`
		if err := ws.WriteMessage(websocket.TextMessage, []byte(hello)); err != nil {
			return
		}
		f.conns <- c
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return // the client went away
			}
			var a sockAck
			json.Unmarshal(msg, &a) // what is not an ack fails ack, showing Raw
			a.Raw = msg
			c.acks <- a
		}
	})
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		proxy.ServeHTTP(rw, r)
		if r.URL.Path == "/views.publish" {
			f.published <- struct{}{}
		}
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// next is the next WebSocket connection the client opened, after hello.
func (f *fakeSocketSlack) next(t *testing.T) *sockConn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(guard):
		t.Fatal("the client did not connect")
		return nil
	}
}

// sockConn is the server end of one Socket Mode connection.
type sockConn struct {
	ws    *websocket.Conn
	wmu   sync.Mutex // gorilla allows one writer at a time
	acks  chan sockAck
	pongs chan string
	gone  chan struct{} // closed when the client has closed the connection
}

// sockAck is what the client sent back.
type sockAck struct {
	EnvelopeID *string         `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
	Raw        []byte          `json:"-"`
}

func (c *sockConn) send(t *testing.T, msg any) {
	t.Helper()
	b, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		t.Fatal(err)
	}
}

func (c *sockConn) ping(t *testing.T, data string) {
	t.Helper()
	if err := c.ws.WriteControl(websocket.PingMessage, []byte(data), time.Now().Add(guard)); err != nil {
		t.Fatal(err)
	}
}

// ack is the payload of the next message from the client, which must be
// the acknowledgement of envelope id.
func (c *sockConn) ack(t *testing.T, id string) json.RawMessage {
	t.Helper()
	select {
	case a := <-c.acks:
		if a.EnvelopeID == nil || *a.EnvelopeID != id {
			t.Fatalf("want the ack of %s, got %s", id, a.Raw)
		}
		return a.Payload
	case <-time.After(guard):
		t.Fatalf("envelope %s was not acknowledged", id)
		return nil
	}
}

// noMoreAcks checks that the client sent nothing it was not asked for.
func (c *sockConn) noMoreAcks(t *testing.T) {
	t.Helper()
	select {
	case a := <-c.acks:
		t.Errorf("unexpected message from the client: %s", a.Raw)
	default:
	}
}

func (c *sockConn) waitGone(t *testing.T) {
	t.Helper()
	select {
	case <-c.gone:
	case <-time.After(guard):
		t.Fatal("the client did not close the connection")
	}
}

// noGoroutines waits, within the guard, for every goroutine running code
// whose stack mentions fn to end. The Socket Mode client closes the
// connection before Run returns but lets its reader notice that on its own.
func noGoroutines(t *testing.T, fn string) {
	t.Helper()
	deadline := time.Now().Add(guard)
	buf := make([]byte, 1<<20)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, fn) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left running %s:\n%s", fn, stacks)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}
