package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricsCountRequests(t *testing.T) {
	s, _ := newTestServer(t, nil)
	h := s.Handler()
	do(h, "GET", "/healthz", nil)
	do(h, "GET", "/healthz", nil)
	do(h, "POST", "/fake/echo", strings.NewReader("x"))
	do(h, "GET", "/fake/panic", nil)
	do(h, "GET", "/nope", nil)
	do(h, "GET", "/fake/echo", nil)
	s.metrics.ReportsFiled.WithLabelValues("slack", "4-2.f").Inc()
	s.metrics.MessageDead()
	s.metrics.MessageSent("slack", "assignee_case")
	s.metrics.MessageFailed("slack", "rate_limited")
	s.metrics.CaseActions.WithLabelValues("acknowledge", "ok").Inc()
	s.metrics.CasesDisposed(3)
	s.metrics.OutboxPurged(2)
	rec := do(h, "GET", "/metrics", nil)
	if rec.Code != 200 {
		t.Fatalf("metrics: %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q, want the text exposition format", ct)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`http_requests_total{code="200",method="GET",route="GET /healthz"} 2`,
		`http_requests_total{code="200",method="POST",route="POST /fake/echo"} 1`,
		`http_requests_total{code="500",method="GET",route="GET /fake/panic"} 1`,
		`http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`http_requests_total{code="405",method="GET",route="unmatched"} 1`,
		`http_request_duration_seconds_count{route="GET /healthz"} 2`,
		`reports_filed_total{category="4-2.f",platform="slack"} 1`,
		`outbox_dead_total 1`,
		`case_actions_total{action="acknowledge",result="ok"} 1`,
		`outbox_sent_total{kind="assignee_case",platform="slack"} 1`,
		`outbox_failed_total{platform="slack",reason="rate_limited"} 1`,
		`cases_disposed_total 3`,
		`outbox_purged_total 2`,
		`go_goroutines `,
		`process_start_time_seconds `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "/nope") {
		t.Error("an unmatched path became a label")
	}
}

// Each server has its own registry: two in one process do not collide.
func TestMetricsPerServer(t *testing.T) {
	a, _ := newTestServer(t, nil)
	b, _ := newTestServer(t, nil)
	do(a.Handler(), "GET", "/healthz", nil)
	body := do(b.Handler(), "GET", "/metrics", nil).Body.String()
	if strings.Contains(body, `route="GET /healthz"`) {
		t.Error("one server's requests show in another's metrics")
	}
}

func TestBodyLimit(t *testing.T) {
	s, _ := newTestServer(t, nil)
	big := strings.Repeat("a", MaxBodyBytes+1)
	tests := []struct {
		name string
		req  *http.Request
		code int
	}{
		{"declared length over the limit", httptest.NewRequest("POST", "/fake/echo", strings.NewReader(big)), 413},
		// No Content-Length: the handler's read fails at the limit.
		{"streamed body over the limit", httptest.NewRequest("POST", "/fake/echo", io.MultiReader(strings.NewReader(big))), 413},
		{"at the limit", httptest.NewRequest("POST", "/fake/echo", strings.NewReader(big[1:])), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, tt.req)
			if rec.Code != tt.code {
				t.Errorf("status %d, want %d", rec.Code, tt.code)
			}
		})
	}
}

func TestRequestLog(t *testing.T) {
	s, logs := newTestServer(t, nil)
	req := httptest.NewRequest("POST", "/fake/echo?token=query-secret", strings.NewReader("text=body-secret"))
	req.Header.Set("Authorization", "Token header-secret")
	s.Handler().ServeHTTP(httptest.NewRecorder(), req)
	do(s.Handler(), "GET", "/fake/panic", nil)
	out := logs.String()
	for _, want := range []string{
		`level=INFO msg="http request" method=POST route="POST /fake/echo" status=200 duration=`,
		`level=ERROR msg="handler panicked" method=GET route="GET /fake/panic" panic=boom stack=`,
		`level=ERROR msg="http request" method=GET route="GET /fake/panic" status=500`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret") {
		t.Errorf("the log shows a token or the body:\n%s", out)
	}
}

// A panic after the handler has answered cannot change the status; the
// server logs it and goes on.
func TestPanicAfterWrite(t *testing.T) {
	s := New(Config{Platforms: []Platform{fakePlatform{name: "fake", routes: map[string]http.Handler{
		"GET /half": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, "partial")
			panic("late")
		}),
	}}}})
	rec := do(s.Handler(), "GET", "/half", nil)
	if rec.Code != 200 || rec.Body.String() != "partial" {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

func TestPlatformRouteNeedsMethod(t *testing.T) {
	for _, pattern := range []string{"/slack/commands", "slack/commands"} {
		t.Run(pattern, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New accepted a route without a method")
				}
			}()
			New(Config{Platforms: []Platform{fakePlatform{name: "x", routes: map[string]http.Handler{pattern: http.NotFoundHandler()}}}})
		})
	}
}
