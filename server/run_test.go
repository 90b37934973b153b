package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// An in-flight request finishes after the context is cancelled, and Serve
// returns nil once it has.
func TestGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		if r.Context().Err() != nil {
			t.Error("the request's context was cancelled by the shutdown")
		}
		io.WriteString(w, "done")
	})
	s := New(Config{Platforms: []Platform{fakePlatform{name: "slow", routes: map[string]http.Handler{"POST /slow": slow}}}})
	shuttingDown := make(chan struct{})
	s.onShutdown = func() { close(shuttingDown) }

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	type reply struct {
		code int
		body string
		err  error
	}
	replied := make(chan reply, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/slow", "text/plain", strings.NewReader("x"))
		if err != nil {
			replied <- reply{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		replied <- reply{resp.StatusCode, string(b), err}
	}()

	<-started
	cancel()
	<-shuttingDown // Shutdown has begun and is waiting for the request
	select {
	case err := <-served:
		t.Fatalf("Serve returned before the in-flight request finished: %v", err)
	default:
	}
	close(release)
	r := <-replied
	if r.err != nil || r.code != 200 || r.body != "done" {
		t.Fatalf("in-flight request: %+v", r)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v, want nil after a clean shutdown", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New(Config{Addr: "127.0.0.1:0"}).Run(ctx); err != nil {
		t.Errorf("Run: %v, want nil", err)
	}
	// A port already taken fails at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = New(Config{Addr: ln.Addr().String()}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "listen on "+ln.Addr().String()) {
		t.Errorf("Run on a taken port: %v", err)
	}
}
