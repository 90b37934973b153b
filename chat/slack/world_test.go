package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/policy"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/sqlstore"
	"github.com/reportbot/reportbot/store/storetest"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// start is the fixed time tests begin at.
var start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// clock is a hand-moved test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var (
	classifierOnce sync.Once
	classifier     *policy.Classifier
)

func sharedClassifier(t testing.TB) *policy.Classifier {
	classifierOnce.Do(func() {
		c, err := policy.Default()
		if err != nil {
			t.Fatal(err)
		}
		classifier = c
	})
	return classifier
}

// world is the Slack app on a fresh SQLite store with the sample directory,
// talking to a fake Slack Web API.
type world struct {
	t     testing.TB
	store *sqlstore.Store
	clock *clock
	api   *fakeSlack
	a     *Adapter
	mux   *http.ServeMux
	// seq makes every request unique, as Slack's are (trigger IDs, action
	// timestamps): the adapter refuses an exact replay.
	seq int
}

// nextID is a fresh trigger ID for user.
func (w *world) nextID(user string) string {
	w.seq++
	return "trig-" + user + "-" + strconv.Itoa(w.seq)
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, storetest.SQLite.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f, err := os.Open(filepath.Join("..", "..", "testdata", "directory", "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := directory.Import(ctx, s, f, start); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: start}
	svc := cases.NewService(s, s, c.Now, routing.DefaultDeadlines(), nil)
	api := newFakeSlack(t)
	a, err := New(Config{
		SigningSecret: secret, Client: api.client(),
		Handler: commands.New(svc, s, s, sharedClassifier(t), c.Now, nil),
		People:  s, Cases: s, Refs: s, Now: c.Now, APITimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	for pattern, h := range a.Routes() {
		mux.Handle(pattern, h)
	}
	return &world{t: t, store: s, clock: c, api: api, a: a, mux: mux}
}

// post sends a signed request and waits for its follow-ups.
func (w *world) post(path, contentType, body string) *httptest.ResponseRecorder {
	w.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	ts := strconv.FormatInt(w.clock.Now().Unix(), 10)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", Signature(secret, ts, []byte(body)))
	rec := httptest.NewRecorder()
	w.mux.ServeHTTP(rec, req)
	w.a.Wait()
	return rec
}

const form = "application/x-www-form-urlencoded"

// command runs /report text as a Slack user.
func (w *world) command(user, text string) *httptest.ResponseRecorder {
	w.t.Helper()
	v := url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C0GENERAL"}, "user_id": {user},
		"command": {"/report"}, "text": {text}, "trigger_id": {w.nextID(user)},
		"response_url": {"https://hooks.slack.com/commands/T1/1/x"},
	}
	return w.post("/slack/commands", form, v.Encode())
}

// interact sends an interaction payload.
func (w *world) interact(payload any) *httptest.ResponseRecorder {
	w.t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.post("/slack/interactions", form, url.Values{"payload": {string(b)}}.Encode())
}

// click presses a case button on the card in user's DM.
func (w *world) click(user, action, ref string) *httptest.ResponseRecorder {
	w.t.Helper()
	return w.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": w.nextID(user),
		"container": map[string]any{"type": "message", "channel_id": "D" + strings.TrimPrefix(user, "U"), "message_ts": "1700000000.000001"},
		"channel":   map[string]any{"id": "D" + strings.TrimPrefix(user, "U")},
		"actions":   []any{map[string]any{"action_id": action, "block_id": "case_actions", "type": "button", "value": ref}},
	})
}

// submit submits a form as user; values maps a field to its input (text,
// selected option or selected user, by the field's kind).
func (w *world) submit(user, callbackID, state string, values map[string]map[string]any) *httptest.ResponseRecorder {
	w.t.Helper()
	st := map[string]any{}
	for name, v := range values {
		st[name] = map[string]any{name: v}
	}
	return w.interact(map[string]any{
		"type": "view_submission", "user": map[string]any{"id": user},
		"view": map[string]any{"id": "V1", "callback_id": callbackID, "private_metadata": state, "state": map[string]any{"values": st}},
	})
}

// deliver runs the outbox once through the adapter, as the delivery worker
// does, and returns the errors.
func (w *world) deliver() []error {
	w.t.Helper()
	ctx := context.Background()
	msgs, err := w.store.DueMessages(ctx, w.clock.Now(), 100)
	if err != nil {
		w.t.Fatal(err)
	}
	var errs []error
	for _, m := range msgs {
		if err := w.a.Deliver(ctx, m); err != nil {
			errs = append(errs, err)
			w.store.MarkFailed(ctx, m.ID, "", m.Attempts+1, w.clock.Now().Add(time.Hour), err.Error(), true)
			continue
		}
		w.store.MarkSent(ctx, m.ID, "", w.clock.Now())
	}
	return errs
}

func (w *world) get(id cases.ID) cases.Case {
	w.t.Helper()
	c, err := w.store.Case(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// ephemeralText decodes an inline answer.
func ephemeralText(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("answer %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var m struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.ResponseType != "ephemeral" {
		t.Errorf("response_type %q", m.ResponseType)
	}
	return m.Text
}

// blocksText is every text in a message's blocks (a form field "blocks" of a
// call, as JSON), joined.
func blocksText(t testing.TB, raw string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("blocks %q: %v", raw, err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok {
				b.WriteString(s + "\n")
			}
			for k, y := range x {
				if k != "text" {
					walk(y)
				} else if _, ok := y.(string); !ok {
					walk(y)
				}
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return b.String()
}

func contains(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
}
