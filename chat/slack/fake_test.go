package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
)

// apiCall is one Web API call the fake saw.
type apiCall struct {
	Method string
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls (views.*)
}

// Arg is a form argument, or a top-level JSON string.
func (c apiCall) Arg(name string) string {
	if c.Form != nil {
		return c.Form.Get(name)
	}
	s, _ := c.JSON[name].(string)
	return s
}

// fakeSlack is the Slack Web API over httptest: slacktest's server with the
// methods the adapter uses bound to recording handlers. Fail lets a test make
// a method answer as it likes (a 429, an error) instead.
type fakeSlack struct {
	srv *slacktest.Server

	mu     sync.Mutex
	calls  []apiCall
	emails map[string]string // user ID → e-mail, for users.info and users.lookupByEmail
	fail   map[string]http.HandlerFunc
	ts     int
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{emails: map[string]string{}, fail: map[string]http.HandlerFunc{}}
	methods := []string{
		"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.getPermalink",
		"conversations.open", "views.open", "views.publish",
		"users.info", "users.lookupByEmail",
		"files.getUploadURLExternal", "files.completeUploadExternal", "upload",
	}
	var binders []slacktest.Binder
	for _, m := range methods {
		binders = append(binders, func(c slacktest.Customize) { c.Handle("/"+m, f.handler(m)) })
	}
	f.srv = slacktest.NewTestServer(binders...)
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *fakeSlack) client() *slackapi.Client {
	return slackapi.New("xoxb-test", slackapi.OptionAPIURL(f.srv.GetAPIURL()))
}

func (f *fakeSlack) handler(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		call := apiCall{Method: method}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			json.Unmarshal(body, &call.JSON)
		} else {
			call.Form, _ = url.ParseQuery(string(body))
			for k, v := range r.URL.Query() { // GET methods (chat.getPermalink)
				call.Form[k] = v
			}
		}
		f.mu.Lock()
		f.calls = append(f.calls, call)
		fail := f.fail[method]
		f.ts++
		ts := fmt.Sprintf("1700000000.%06d", f.ts)
		f.mu.Unlock()
		if fail != nil {
			fail(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch method {
		case "chat.postMessage", "chat.update":
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, call.Arg("channel"), ts)
		case "chat.postEphemeral":
			fmt.Fprintf(w, `{"ok":true,"message_ts":%q}`, ts)
		case "chat.getPermalink":
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"permalink":"https://example.slack.com/archives/%s/p%s"}`,
				call.Arg("channel"), call.Arg("channel"), strings.ReplaceAll(call.Arg("message_ts"), ".", ""))
		case "conversations.open":
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, strings.TrimPrefix(call.Arg("users"), "U"))
		case "views.open", "views.publish":
			fmt.Fprint(w, `{"ok":true,"view":{"id":"V1"}}`)
		case "users.info":
			f.user(w, call.Arg("user"))
		case "users.lookupByEmail":
			f.mu.Lock()
			id := ""
			for u, e := range f.emails {
				if e == call.Arg("email") {
					id = u
				}
			}
			f.mu.Unlock()
			f.user(w, id)
		case "files.getUploadURLExternal":
			fmt.Fprintf(w, `{"ok":true,"upload_url":"%supload","file_id":"F1"}`, f.srv.GetAPIURL())
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	}
}

func (f *fakeSlack) user(w http.ResponseWriter, id string) {
	f.mu.Lock()
	email, ok := f.emails[id]
	f.mu.Unlock()
	if !ok {
		fmt.Fprint(w, `{"ok":false,"error":"user_not_found"}`)
		return
	}
	fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"name":"x","profile":{"email":%q}}}`, id, email)
}

// setFail makes method answer with h (nil restores the normal answer).
func (f *fakeSlack) setFail(method string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = h
}

func (f *fakeSlack) addUser(id, email string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.emails[id] = email
}

// take returns the calls seen since the last take, and forgets them.
func (f *fakeSlack) take() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.calls
	f.calls = nil
	return out
}

// only filters calls by method.
func only(calls []apiCall, method string) []apiCall {
	var out []apiCall
	for _, c := range calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}
