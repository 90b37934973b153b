package mattermost

import (
	"bytes"
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

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/policy"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/sqlstore"
	"github.com/reportbot/reportbot/store/storetest"
)

// Settings of the adapter under test.
const (
	publicURL    = "https://bot.example.gov"
	actionSecret = "0123456789abcdef0123456789abcdef-test"
	token1       = "tok-one-9f8e7d"
	token2       = "tok-two-1a2b3c"
)

// Mattermost user IDs of the sample directory (testdata/directory/sample.csv).
const (
	ana   = "8h3kq1xw7bfz9rj5t2ycm6ndpa"
	ben   = "q4n8z2vk6tmh1xw9cjr3bfyd5e"
	carla = "w7c2p9xk4nbz6tq1hjr8fmy3ga"
	david = "ipb2lhwfordul91dbqt0mlh7du"
	// maria.santos has no Mattermost ID in the directory: she is found by
	// e-mail once the fake knows this account.
	maria = "mariasantos000000000000000"
	// stranger has a Mattermost account but is not in the directory.
	stranger = "str4ngerstr4ngerstr4nger00"
)

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

// world is the Mattermost integration on a fresh SQLite store with the
// sample directory, talking to a fake Mattermost API.
type world struct {
	t     testing.TB
	store *sqlstore.Store
	clock *clock
	api   *fakeMattermost
	a     *Adapter
	mux   *http.ServeMux
	seq   int
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
	api := newFakeMattermost(t)
	for id, name := range map[string]string{ana: "ana.lopez", ben: "ben.okafor", carla: "carla.diaz", david: "david.cho"} {
		api.addUser(id, name, name+"@example.gov")
	}
	api.addUser(stranger, "stranger", "stranger@elsewhere.example")
	a, err := New(Config{
		Client: api.client(), CommandTokens: []string{token1, token2}, PublicURL: publicURL + "/", ActionSecret: actionSecret,
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

// nextID is a fresh trigger ID for user.
func (w *world) nextID(user string) string {
	w.seq++
	return "trig-" + user[:4] + "-" + strconv.Itoa(w.seq)
}

// serve sends a request to the adapter and waits for its follow-ups.
func (w *world) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	w.mux.ServeHTTP(rec, req)
	w.a.Wait()
	return rec
}

// postForm sends a slash command form with the given headers.
func (w *world) postForm(form url.Values, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return w.serve(req)
}

// commandForm is the form Mattermost posts for /report text by user.
func (w *world) commandForm(user, text string) url.Values {
	return url.Values{
		"channel_id": {"town5quare5quare5quare5qua"}, "channel_name": {"town-square"}, "command": {"/report"},
		"team_id": {"team1team1team1team1team1t"}, "team_domain": {"ihsc"}, "text": {text},
		"trigger_id": {w.nextID(user)}, "user_id": {user}, "user_name": {"someone"},
		"response_url": {"https://chat.example.gov/hooks/commands/x"},
	}
}

// command runs /report text as user, with the token in the form.
func (w *world) command(user, text string) *httptest.ResponseRecorder {
	w.t.Helper()
	form := w.commandForm(user, text)
	form.Set("token", token1)
	return w.postForm(form, nil)
}

// postJSON sends a JSON request to one of the adapter's endpoints.
func (w *world) postJSON(path string, v any) *httptest.ResponseRecorder {
	w.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		w.t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return w.serve(req)
}

// click presses a button as user: ctx is the button's context as the
// Mattermost server keeps it (JSON round trip, as on the wire).
func (w *world) click(user string, action *model.PostAction, postID string) model.PostActionIntegrationResponse {
	w.t.Helper()
	var ctx map[string]any
	if action != nil && action.Integration != nil {
		ctx = action.Integration.Context
	}
	return w.clickContext(user, ctx, postID)
}

func (w *world) clickContext(user string, ctx map[string]any, postID string) model.PostActionIntegrationResponse {
	w.t.Helper()
	rec := w.postJSON(ActionPath, model.PostActionIntegrationRequest{
		UserId: user, UserName: "x", ChannelId: dmOf(user), TeamId: "", PostId: postID,
		TriggerId: w.nextID(user), Type: model.PostActionTypeButton, Context: ctx,
	})
	return actionAnswer(w.t, rec)
}

func actionAnswer(t testing.TB, rec *httptest.ResponseRecorder) model.PostActionIntegrationResponse {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("action answer %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var resp model.PostActionIntegrationResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// submit submits a dialog as user.
func (w *world) submit(user, callbackID, state string, submission map[string]any) *httptest.ResponseRecorder {
	w.t.Helper()
	return w.postJSON(DialogPath, model.SubmitDialogRequest{
		Type: "dialog_submission", CallbackId: callbackID, State: state, UserId: user,
		ChannelId: dmOf(user), Submission: submission,
	})
}

// dialogErrors decodes a submission answer that keeps the dialog open.
func dialogErrors(t testing.TB, rec *httptest.ResponseRecorder) model.SubmitDialogResponse {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("dialog answer %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var resp model.SubmitDialogResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Error == "" && len(resp.Errors) == 0 {
		t.Fatalf("no errors in %s", rec.Body)
	}
	return resp
}

// openedDialog is the one dialog opened since the last take.
func openedDialog(t testing.TB, calls []apiCall) model.OpenDialogRequest {
	t.Helper()
	opens := only(calls, "POST /actions/dialogs/open")
	if len(opens) != 1 {
		t.Fatalf("dialogs opened: %d in %v", len(opens), routes(calls))
	}
	var req model.OpenDialogRequest
	if err := json.Unmarshal(opens[0].Body, &req); err != nil {
		t.Fatal(err)
	}
	return req
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

// ephemeralText decodes an inline answer to a slash command.
func ephemeralText(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("answer %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var m model.CommandResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.ResponseType != model.CommandResponseTypeEphemeral || !m.SkipSlackParsing {
		t.Errorf("response_type %q skip_slack_parsing %v", m.ResponseType, m.SkipSlackParsing)
	}
	return m.Text
}

// cardIn is the card attachment of a posted card.
func cardIn(t testing.TB, p *model.Post) *model.MessageAttachment {
	t.Helper()
	atts := p.Attachments()
	if len(atts) != 1 {
		t.Fatalf("post has %d attachments: %+v", len(atts), p.GetProps())
	}
	return atts[0]
}

// button finds a card's button by action ID.
func button(t testing.TB, att *model.MessageAttachment, id string) *model.PostAction {
	t.Helper()
	for _, a := range att.Actions {
		if a.Id == id {
			return a
		}
	}
	t.Fatalf("no %q button among %d", id, len(att.Actions))
	return nil
}

// attachmentText is every text a person sees in an attachment, joined.
func attachmentText(att *model.MessageAttachment) string {
	parts := []string{att.Title, att.Text, att.Footer}
	for _, f := range att.Fields {
		parts = append(parts, f.Title, f.Value.(string))
	}
	return strings.Join(parts, "\n")
}

func routes(calls []apiCall) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Route)
	}
	return out
}

func contains(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
}
