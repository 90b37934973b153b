package slack

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

func newSignedRequest(path, body, ts, sig string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", form)
	if ts != "" {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		req.Header.Set("X-Slack-Signature", sig)
	}
	return req
}

func serve(w *world, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	w.mux.ServeHTTP(rec, req)
	w.a.Wait()
	return rec
}
