package slack

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
)

// Slack's documented example (docs.slack.dev, "Verifying requests from
// Slack"). Its token is xyzz0WbapA4vBCDEFasx0q6G: with any other body the
// documented signature does not come out.
const (
	exampleSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	exampleTS     = "1531420618"
	exampleBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	exampleSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

var exampleTime = time.Unix(1531420618, 0)

func TestSignatureMatchesSlacksExample(t *testing.T) {
	if got := Signature(exampleSecret, exampleTS, []byte(exampleBody)); got != exampleSig {
		t.Fatalf("got %s", got)
	}
}

// echo is the next handler: it answers with the body it was given.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.Write(b)
})

func verifyRequest(t testing.TB, now time.Time, maxBody int64, body, ts, sig string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	if ts != "" {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		req.Header.Set("X-Slack-Signature", sig)
	}
	rec := httptest.NewRecorder()
	Verify(exampleSecret, maxBody, func() time.Time { return now })(echo).ServeHTTP(rec, req)
	return rec
}

func TestVerify(t *testing.T) {
	tampered := []byte(exampleSig)
	tampered[10] ^= 1
	future := strconv.FormatInt(exampleTime.Add(6*time.Minute).Unix(), 10)
	tests := []struct {
		name          string
		now           time.Time
		body, ts, sig string
		maxBody       int64
		want          int
	}{
		{"slack's example", exampleTime, exampleBody, exampleTS, exampleSig, 0, http.StatusOK},
		{"4m59s later", exampleTime.Add(299 * time.Second), exampleBody, exampleTS, exampleSig, 0, http.StatusOK},
		{"tampered body", exampleTime, exampleBody + "&text=x", exampleTS, exampleSig, 0, http.StatusUnauthorized},
		{"tampered signature", exampleTime, exampleBody, exampleTS, string(tampered), 0, http.StatusUnauthorized},
		{"signature without v0=", exampleTime, exampleBody, exampleTS, exampleSig[3:], 0, http.StatusUnauthorized},
		{"upper-case hex", exampleTime, exampleBody, exampleTS, "v0=" + strings.ToUpper(exampleSig[3:]), 0, http.StatusUnauthorized},
		{"stale", exampleTime.Add(5*time.Minute + time.Second), exampleBody, exampleTS, exampleSig, 0, http.StatusUnauthorized},
		{"future", exampleTime, exampleBody, future, Signature(exampleSecret, future, []byte(exampleBody)), 0, http.StatusUnauthorized},
		{"no timestamp", exampleTime, exampleBody, "", exampleSig, 0, http.StatusUnauthorized},
		{"no signature", exampleTime, exampleBody, exampleTS, "", 0, http.StatusUnauthorized},
		{"non-numeric timestamp", exampleTime, exampleBody, "15314206l8", Signature(exampleSecret, "15314206l8", []byte(exampleBody)), 0, http.StatusUnauthorized},
		{"huge timestamp", exampleTime, exampleBody, "99999999999999999999", exampleSig, 0, http.StatusUnauthorized},
		{"oversize body", exampleTime, exampleBody, exampleTS, exampleSig, 100, http.StatusRequestEntityTooLarge},
		{"body at the limit", exampleTime, exampleBody, exampleTS, exampleSig, int64(len(exampleBody)), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := verifyRequest(t, tt.now, tt.maxBody, tt.body, tt.ts, tt.sig)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.want, rec.Body)
			}
			if tt.want == http.StatusOK && rec.Body.String() != tt.body {
				t.Errorf("the next handler got %q", rec.Body)
			}
			if tt.want == http.StatusUnauthorized && strings.Contains(rec.Body.String(), "token=") {
				t.Errorf("a refusal echoed the body")
			}
		})
	}
}

// TestVerifyAgreesWithSlackGo cross-checks the signature with slack-go's
// verifier (which reads the real clock, so the request is signed now).
func TestVerifyAgreesWithSlackGo(t *testing.T) {
	now := time.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	for _, body := range []string{exampleBody, "", "payload=%7B%7D", "ü\x00\xff"} {
		h := http.Header{}
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", Signature(exampleSecret, ts, []byte(body)))
		sv, err := slackapi.NewSecretsVerifier(h, exampleSecret)
		if err != nil {
			t.Fatal(err)
		}
		sv.Write([]byte(body))
		if err := sv.Ensure(); err != nil {
			t.Errorf("slack-go refuses our signature of %q: %v", body, err)
		}
		if err := check(exampleSecret, h, []byte(body), now); err != nil {
			t.Errorf("we refuse our own signature of %q: %v", body, err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(exampleBody), exampleTS, exampleSig, int64(0))
	f.Add([]byte(""), "", "", int64(3))
	f.Add([]byte("payload=x"), "-1", "v0=", int64(-400))
	f.Add([]byte("x"), "+1531420618", "v0=zz", int64(1<<40))
	f.Fuzz(func(t *testing.T, body []byte, ts, sig string, skew int64) {
		now := exampleTime.Add(time.Duration(skew%1000) * time.Second)
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		rec := httptest.NewRecorder()
		ran := false
		next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ran = true
			got, _ := io.ReadAll(r.Body)
			if !bytes.Equal(got, body) {
				t.Errorf("body not restored")
			}
		})
		Verify(exampleSecret, 1<<16, func() time.Time { return now })(next).ServeHTTP(rec, req)
		sec, err := strconv.ParseInt(ts, 10, 64)
		valid := err == nil && sig == Signature(exampleSecret, ts, body) && now.Unix()-sec <= 300 && sec-now.Unix() <= 300 && len(body) <= 1<<16
		if ran != valid {
			t.Fatalf("ran=%v valid=%v (status %d)", ran, valid, rec.Code)
		}
		if !ran && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("refused with %d", rec.Code)
		}
	})
}

// TestVerifyRefusesReplays: a captured request sent again inside the
// five-minute window is refused; a new request (new timestamp) passes.
func TestVerifyRefusesReplays(t *testing.T) {
	now := exampleTime
	h := Verify(exampleSecret, 0, func() time.Time { return now })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	send := func(ts string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newSignedRequest("/slack/commands", exampleBody, ts, Signature(exampleSecret, ts, []byte(exampleBody))))
		return rec.Code
	}
	if got := send(exampleTS); got != http.StatusOK {
		t.Fatalf("first request: %d", got)
	}
	if got := send(exampleTS); got != http.StatusUnauthorized {
		t.Fatalf("replay: %d, want 401", got)
	}
	now = now.Add(time.Second)
	if got := send(strconv.FormatInt(now.Unix(), 10)); got != http.StatusOK {
		t.Fatalf("a fresh request after a replay: %d", got)
	}
}
