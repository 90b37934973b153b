package mattermost

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// botUser is the bot's own Mattermost user ID in the fake.
const botUser = "b0tb0tb0tb0tb0tb0tb0tb0tb0"

// apiCall is one REST call the fake saw: its route pattern (as registered,
// e.g. "POST /posts"), the path values and the JSON body.
type apiCall struct {
	Route string
	Path  string
	Body  []byte
}

// post decodes the call's body as a post.
func (c apiCall) post(t testing.TB) *model.Post {
	t.Helper()
	var p model.Post
	if err := json.Unmarshal(c.Body, &p); err != nil {
		t.Fatalf("%s: not a post: %v\n%s", c.Route, err, c.Body)
	}
	return &p
}

// fakeMattermost is the Mattermost REST API over httptest: the calls the
// adapter makes, answered from a small set of users, and recorded. Fail
// lets a test make a route answer as it likes (a 429, an error) instead.
type fakeMattermost struct {
	srv *httptest.Server

	mu    sync.Mutex
	calls []apiCall
	users map[string]*model.User // by ID
	fail  map[string]http.HandlerFunc
	seq   int
}

func newFakeMattermost(t testing.TB) *fakeMattermost {
	f := &fakeMattermost{users: map[string]*model.User{}, fail: map[string]http.HandlerFunc{}}
	f.users[botUser] = &model.User{Id: botUser, Username: "reportbot", IsBot: true}
	mux := http.NewServeMux()
	for route, h := range map[string]func(w http.ResponseWriter, r *http.Request, body []byte){
		"GET /users/me": func(w http.ResponseWriter, r *http.Request, _ []byte) {
			f.user(w, func(u *model.User) bool { return u.Id == botUser })
		},
		"GET /users/{id}": func(w http.ResponseWriter, r *http.Request, _ []byte) {
			f.user(w, func(u *model.User) bool { return u.Id == r.PathValue("id") })
		},
		"GET /users/email/{email}": func(w http.ResponseWriter, r *http.Request, _ []byte) {
			f.user(w, func(u *model.User) bool { return u.Email == r.PathValue("email") })
		},
		"GET /users/username/{name}": func(w http.ResponseWriter, r *http.Request, _ []byte) {
			f.user(w, func(u *model.User) bool { return u.Username == r.PathValue("name") })
		},
		"POST /channels/direct": f.direct,
		"POST /posts":           f.createPost,
		"PUT /posts/{id}":       f.createPost,
		"POST /posts/ephemeral": f.ephemeral,
		"POST /actions/dialogs/open": func(w http.ResponseWriter, r *http.Request, _ []byte) {
			writeJSONTest(w, map[string]string{"status": "OK"})
		},
		"POST /files": f.upload,
	} {
		mux.HandleFunc(strings.Replace(route, " ", " /api/v4", 1), f.record(route, h))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("fake Mattermost: unexpected %s %s", r.Method, r.URL.Path)
		appError(w, http.StatusNotImplemented, "not in the fake")
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// client is a Client4 on the fake, with a bot token.
func (f *fakeMattermost) client() *model.Client4 {
	c := model.NewAPIv4Client(f.srv.URL)
	c.SetToken("bot-token")
	return c
}

func (f *fakeMattermost) record(route string, h func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			body, _ = io.ReadAll(r.Body)
		}
		f.mu.Lock()
		f.calls = append(f.calls, apiCall{Route: route, Path: r.URL.Path, Body: body})
		fail := f.fail[route]
		f.mu.Unlock()
		if !strings.EqualFold(r.Header.Get("Authorization"), "Bearer bot-token") {
			appError(w, http.StatusUnauthorized, "no bot token")
			return
		}
		if fail != nil {
			fail(w, r)
			return
		}
		h(w, r, body)
	}
}

func writeJSONTest(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// appError answers as Mattermost does when something is wrong.
func appError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(model.AppError{Id: "fake.error", Message: msg, StatusCode: status})
}

func (f *fakeMattermost) user(w http.ResponseWriter, match func(*model.User) bool) {
	f.mu.Lock()
	var found *model.User
	for _, u := range f.users {
		if match(u) {
			c := *u
			found = &c
		}
	}
	f.mu.Unlock()
	if found == nil {
		appError(w, http.StatusNotFound, "user not found")
		return
	}
	writeJSONTest(w, found)
}

// dmOf is the fake's DM channel between the bot and a user.
func dmOf(user string) string { return "dm" + user[:24] }

func (f *fakeMattermost) direct(w http.ResponseWriter, r *http.Request, body []byte) {
	var ids []string
	if json.Unmarshal(body, &ids) != nil || len(ids) != 2 || ids[0] != botUser {
		appError(w, http.StatusBadRequest, "bad direct channel request")
		return
	}
	f.mu.Lock()
	_, ok := f.users[ids[1]]
	f.mu.Unlock()
	if !ok {
		appError(w, http.StatusNotFound, "user not found")
		return
	}
	writeJSONTest(w, &model.Channel{Id: dmOf(ids[1]), Type: model.ChannelTypeDirect})
}

func (f *fakeMattermost) nextPostID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return fmt.Sprintf("post%022d", f.seq)
}

func (f *fakeMattermost) createPost(w http.ResponseWriter, r *http.Request, body []byte) {
	var p model.Post
	if err := json.Unmarshal(body, &p); err != nil || p.ChannelId == "" {
		appError(w, http.StatusBadRequest, "bad post")
		return
	}
	if id := r.PathValue("id"); id != "" {
		if p.Id != id {
			appError(w, http.StatusBadRequest, "post id mismatch")
			return
		}
	} else {
		p.Id = f.nextPostID()
	}
	p.UserId = botUser
	writeJSONTest(w, &p)
}

func (f *fakeMattermost) ephemeral(w http.ResponseWriter, r *http.Request, body []byte) {
	var p model.PostEphemeral
	if err := json.Unmarshal(body, &p); err != nil || p.Post == nil {
		appError(w, http.StatusBadRequest, "bad ephemeral post")
		return
	}
	p.Post.Id = f.nextPostID()
	writeJSONTest(w, p.Post)
}

func (f *fakeMattermost) upload(w http.ResponseWriter, r *http.Request, _ []byte) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		appError(w, http.StatusBadRequest, "bad upload")
		return
	}
	name := ""
	if fh := r.MultipartForm.File["files"]; len(fh) == 1 {
		name = fh[0].Filename
	}
	writeJSONTest(w, &model.FileUploadResponse{FileInfos: []*model.FileInfo{{Id: "file" + strings.Repeat("0", 22), Name: name, ChannelId: r.FormValue("channel_id")}}})
}

// setFail makes route answer with h (nil restores the normal answer).
func (f *fakeMattermost) setFail(route string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[route] = h
}

// addUser makes a Mattermost account known to the fake.
func (f *fakeMattermost) addUser(id, username, email string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = &model.User{Id: id, Username: username, Email: email}
}

// take returns the calls seen since the last take, and forgets them.
func (f *fakeMattermost) take() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.calls
	f.calls = nil
	return out
}

// only filters calls by route.
func only(calls []apiCall, route string) []apiCall {
	var out []apiCall
	for _, c := range calls {
		if c.Route == route {
			out = append(out, c)
		}
	}
	return out
}
