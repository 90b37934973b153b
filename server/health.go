package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
)

// healthz is liveness: the process answers. It checks no dependency, so an
// orchestrator does not restart the bot because the database is down.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// readyz is readiness: the store answers within readyTimeout and its
// migrations are applied. Failures are logged when readiness changes, not on
// every probe.
func (s *Server) readyz() http.Handler {
	var failing atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		err := s.checkReady(r.Context())
		if err == nil {
			if failing.Swap(false) {
				s.log.Info("ready again")
			}
			io.WriteString(w, "ok\n")
			return
		}
		if !failing.Swap(true) {
			s.log.Warn("not ready", slog.String("err", readyReason(err)))
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready: "+readyReason(err)+"\n")
	})
}

func (s *Server) checkReady(ctx context.Context) error {
	if s.cfg.Store == nil {
		return errors.New("no store configured")
	}
	ctx, cancel := context.WithTimeout(ctx, s.readyTimeout)
	defer cancel()
	err := s.cfg.Store.Ready(ctx)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errors.New("the database did not answer within " + s.readyTimeout.String())
	}
	return err
}

// readyReason makes an error safe to show to an unauthenticated prober: one
// line, bounded, with any URL credentials removed. Store errors never carry
// the database password, but a URL in a driver error might.
func readyReason(err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	msg = hideCredentials(msg)
	const limit = 200
	if len(msg) > limit {
		msg = strings.ToValidUTF8(msg[:limit], "") + "…"
	}
	return msg
}

// hideCredentials replaces the user:password of every URL in msg
// ("postgres://bot:pw@db/x" becomes "postgres://***@db/x").
func hideCredentials(msg string) string {
	var b strings.Builder
	for {
		i := strings.Index(msg, "://")
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i+3])
		msg = msg[i+3:]
		end := strings.IndexAny(msg, "/ ")
		if end < 0 {
			end = len(msg)
		}
		if at := strings.LastIndexByte(msg[:end], '@'); at >= 0 {
			b.WriteString("***")
			msg = msg[at:]
		}
	}
}
