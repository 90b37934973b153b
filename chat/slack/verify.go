package slack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// MaxSkew is how far a request's timestamp may be from now, either way.
const MaxSkew = 5 * time.Minute

// DefaultMaxBody bounds a request body when Verify is given no limit. Slack
// payloads are a few kilobytes; a view submission with a long description
// stays well under this.
const DefaultMaxBody = 1 << 20

// Signature computes Slack's v0 signature of a request body sent at the given
// timestamp (the X-Slack-Request-Timestamp header, as sent).
func Signature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:"))
	mac.Write([]byte(timestamp))
	mac.Write([]byte(":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

var (
	errMissing   = errors.New("missing signature headers")
	errTimestamp = errors.New("bad or stale timestamp")
	errSignature = errors.New("bad signature")
)

// check verifies the headers against the body at now.
func check(secret string, h http.Header, body []byte, now time.Time) error {
	ts, sig := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return errMissing
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errTimestamp
	}
	// Compare in seconds so that an absurd timestamp cannot overflow a
	// time.Duration.
	if d := now.Unix() - sec; d > int64(MaxSkew/time.Second) || d < -int64(MaxSkew/time.Second) {
		return errTimestamp
	}
	if !hmac.Equal([]byte(sig), []byte(Signature(secret, ts, body))) {
		return errSignature
	}
	return nil
}

// replayWindow is how many recent signatures Verify remembers.
const replayWindow = 100_000

// Verify is middleware that lets through only requests signed by Slack with
// secret within MaxSkew of now(). It reads the raw body (at most maxBody
// bytes: larger is 413; zero or less means DefaultMaxBody), checks the
// timestamp and the signature in constant time, and gives the next handler
// the body back unread. Anything wrong is a 401 with a short plain body and
// nothing else runs. It does not stop a replay inside the window.
func Verify(secret string, maxBody int64, now func() time.Time) func(http.Handler) http.Handler {
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	if now == nil {
		now = time.Now
	}
	// A signature is valid for five minutes, so a captured request could be
	// sent again within them; each one is accepted once. Slack's own
	// retries and double clicks differ in body or timestamp, so they pass.
	// The set holds the last replayWindow signatures: at 100 requests a
	// second that is over a quarter of an hour.
	seen := newSeenSet(replayWindow)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
					return
				}
				http.Error(w, "cannot read the request", http.StatusBadRequest)
				return
			}
			if secret == "" || check(secret, r.Header, body, now()) != nil {
				http.Error(w, "invalid request signature", http.StatusUnauthorized)
				return
			}
			if !seen.add(r.Header.Get("X-Slack-Signature")) {
				http.Error(w, "request already received", http.StatusUnauthorized)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			next.ServeHTTP(w, r)
		})
	}
}
