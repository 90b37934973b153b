package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakePlatform contributes routes the way an adapter does.
type fakePlatform struct {
	name   string
	routes map[string]http.Handler
}

func (p fakePlatform) Name() string                    { return p.name }
func (p fakePlatform) Routes() map[string]http.Handler { return p.routes }

// readyFunc is a Readier from a function.
type readyFunc func(ctx context.Context) error

func (f readyFunc) Ready(ctx context.Context) error { return f(ctx) }

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// echo reads the whole body and answers its length; a body over the limit
// is answered 413, as adapters do.
func echo(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	io.WriteString(w, "read "+strings.Repeat("x", min(len(b), 3)))
}

func newTestServer(t *testing.T, ready Readier) (*Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := fakePlatform{name: "fake", routes: map[string]http.Handler{
		"POST /fake/echo": http.HandlerFunc(echo),
		"GET /fake/panic": http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
	}}
	if ready == nil {
		ready = readyFunc(func(context.Context) error { return nil })
	}
	return New(Config{Store: ready, Platforms: []Platform{p}, Log: log}), logs
}

func do(h http.Handler, method, target string, body io.Reader) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, body))
	return rec
}

func TestRoutes(t *testing.T) {
	s, _ := newTestServer(t, nil)
	tests := []struct {
		name, method, target, body string
		code                       int
		want                       string // in the body
	}{
		{"liveness", "GET", "/healthz", "", 200, "ok"},
		{"liveness HEAD", "HEAD", "/healthz", "", 200, ""},
		{"readiness", "GET", "/readyz", "", 200, "ok"},
		{"metrics", "GET", "/metrics", "", 200, "# TYPE http_requests_total counter"},
		{"platform route", "POST", "/fake/echo", "hello", 200, "read xxx"},
		{"platform route, wrong method", "GET", "/fake/echo", "", 405, ""},
		{"health, wrong method", "POST", "/healthz", "", 405, ""},
		{"unknown path", "GET", "/nope", "", 404, ""},
		{"unknown platform path", "POST", "/slack/commands", "", 404, ""},
		{"panic recovered", "GET", "/fake/panic", "", 500, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(s.Handler(), tt.method, tt.target, strings.NewReader(tt.body))
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d (body %q)", rec.Code, tt.code, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("body %q lacks %q", rec.Body, tt.want)
			}
			if tt.code == 405 && rec.Header().Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

func TestReadiness(t *testing.T) {
	tests := []struct {
		name  string
		ready readyFunc
		hung  bool
		code  int
		want  string
	}{
		{"ready", func(context.Context) error { return nil }, false, 200, "ok\n"},
		{"database down", func(context.Context) error {
			return errors.New("dial postgres://bot:hunter2@db:5432/x:\nconnection refused")
		}, false, 503, "not ready: dial postgres://***@db:5432/x: connection refused\n"},
		{"migrations pending", func(context.Context) error {
			return errors.New("sqlstore: 1 migration(s) pending; run `bot migrate`")
		}, false, 503, "not ready: sqlstore: 1 migration(s) pending; run `bot migrate`\n"},
		{"no answer in time", func(ctx context.Context) error {
			<-ctx.Done() // a hung database: only the probe's deadline ends it
			return ctx.Err()
		}, true, 503, "not ready: the database did not answer within 1ns\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newTestServer(t, tt.ready)
			if tt.hung {
				s.readyTimeout = time.Nanosecond // the 2 s limit, without the wait
			}
			rec := do(s.Handler(), "GET", "/readyz", nil)
			if rec.Code != tt.code || rec.Body.String() != tt.want {
				t.Fatalf("got %d %q, want %d %q", rec.Code, rec.Body, tt.code, tt.want)
			}
			if strings.Contains(logs.String(), "hunter2") {
				t.Errorf("the log shows a password:\n%s", logs)
			}
		})
	}
}
