package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Platform is a chat platform adapter's HTTP side: the endpoints it serves,
// keyed by method and path patterns as http.ServeMux reads them
// ("POST /slack/commands"). An adapter that needs no endpoint (Slack in
// Socket Mode) returns none.
type Platform interface {
	Name() string
	Routes() map[string]http.Handler
}

// Readier reports whether the store can serve requests: the database
// answers and its migrations are applied.
type Readier interface {
	Ready(ctx context.Context) error
}

// Defaults.
const (
	DefaultAddr            = ":8080"
	DefaultShutdownTimeout = 20 * time.Second
	// MaxBodyBytes bounds every request body. Slack and Mattermost payloads
	// are a few KiB; a report is at most 8,000 characters.
	MaxBodyBytes = 1 << 20
	// readyTimeout bounds the readiness check, so a hung database makes the
	// probe fail rather than hang.
	readyTimeout = 2 * time.Second
)

// Config is what a Server needs. Only Store is required.
type Config struct {
	// Addr is the listen address (default ":8080").
	Addr string
	// Store answers GET /readyz.
	Store Readier
	// Platforms contribute their endpoints. Two routes with the same
	// pattern, or one without a method, are a programming error: New panics.
	Platforms []Platform
	// Log receives one line per request and the server's own events
	// (default: discard).
	Log *slog.Logger
	// Metrics are exposed on GET /metrics (default: a fresh set).
	Metrics *Metrics
	// ShutdownTimeout bounds how long in-flight requests may run after the
	// context is done (default 20 s); then connections are closed.
	ShutdownTimeout time.Duration
}

// Server is the HTTP server of `bot serve`.
type Server struct {
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
	handler http.Handler
	// readyTimeout is readyTimeout; tests shorten it.
	readyTimeout time.Duration
	// onShutdown, when set, is called as graceful shutdown begins (tests).
	onShutdown func()
}

// New builds the server and its routes. It does not listen yet.
func New(cfg Config) *Server {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	s := &Server{cfg: cfg, log: cfg.Log, metrics: cfg.Metrics, readyTimeout: readyTimeout}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", s.readyz())
	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Metrics.Registry, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(cfg.Log.Handler(), slog.LevelError),
	}))
	for _, p := range cfg.Platforms {
		for pattern, h := range p.Routes() {
			mustHaveMethod(p.Name(), pattern)
			mux.Handle(pattern, h)
		}
	}
	s.handler = s.observe(recoverPanics(s.log, limitBody(MaxBodyBytes, mux)))
	return s
}

// mustHaveMethod refuses a platform route that would answer every method.
func mustHaveMethod(platform, pattern string) {
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case ' ', '\t':
			return
		case '/':
			panic(fmt.Sprintf("server: platform %s route %q has no method (write \"POST %s\")", platform, pattern, pattern))
		}
	}
	panic(fmt.Sprintf("server: platform %s route %q is not a pattern", platform, pattern))
}

// Handler is every route with its middleware, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on Config.Addr and serves until ctx is done, then shuts down
// gracefully. It returns nil after a clean shutdown.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened; it closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler: s.handler,
		// Requests outlive a cancelled ctx until Shutdown gives up on them,
		// so that a SIGTERM does not abort a report half filed.
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if s.onShutdown != nil {
		srv.RegisterOnShutdown(s.onShutdown)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.log.Info("serving HTTP", slog.String("addr", ln.Addr().String()))

	select {
	case err := <-served:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down HTTP: finishing in-flight requests", slog.Duration("timeout", s.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close() // the timeout passed: drop what is left
		<-served
		return fmt.Errorf("shut down HTTP: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve HTTP: %w", err)
	}
	s.log.Info("HTTP stopped")
	return nil
}
