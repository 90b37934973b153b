package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers "postgres"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/migrations"
)

var (
	_ cases.Store     = (*Store)(nil)
	_ directory.Store = (*Store)(nil)
)

// Store is a case and directory store over PostgreSQL or SQLite. It is safe
// for concurrent use.
type Store struct {
	dialect string // migrations.Postgres or migrations.SQLite
	bind    int    // sqlx bind type for Rebind
	// w takes transactions and writes; r takes reads outside transactions.
	// They are the same pool except for SQLite files (see the package doc).
	w, r *sqlx.DB
	// now stamps the rare write whose caller passes no time (LinkChatID).
	now func() time.Time
}

// The forms Open accepts, for its error message.
const acceptedForms = "postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=… (or postgresql://…) for PostgreSQL, " +
	"sqlite:PATH for an SQLite file, sqlite::memory: for a throwaway database"

// pingTimeout bounds the first connection when the caller's context has no
// deadline, so that a database behind a black hole fails start-up instead of
// hanging it.
const pingTimeout = 10 * time.Second

// Open connects to the database named by databaseURL and applies pending
// migrations. postgres:// and postgresql:// URLs use PostgreSQL; sqlite:PATH
// uses an SQLite file (sqlite::memory: and sqlite:file:NAME?mode=memory&cache=shared
// keep it in memory). A database that cannot be reached gives a fault
// StoreUnavailable error.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	switch {
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		return openPostgres(ctx, databaseURL)
	case strings.HasPrefix(databaseURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(databaseURL, "sqlite:"))
	case databaseURL == "":
		return nil, fmt.Errorf("sqlstore: no database URL; use %s", acceptedForms)
	default:
		return nil, fmt.Errorf("sqlstore: unsupported database URL %q; use %s", scheme(databaseURL), acceptedForms)
	}
}

// scheme returns the part of a URL before its first ':' and a marker, so an
// error can name a wrong URL without printing a password.
func scheme(u string) string {
	if i := strings.IndexByte(u, ':'); i >= 0 {
		return u[:i] + ":…"
	}
	if len(u) > 12 {
		return u[:12] + "…"
	}
	return u
}

func openPostgres(ctx context.Context, url string) (*Store, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	// Bounded, so that a busy bot cannot take every connection the server
	// has; idle ones are dropped so a quiet bot holds few.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(5)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{dialect: migrations.Postgres, bind: sqlx.DOLLAR, w: db, r: db, now: time.Now}
	if err := s.start(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	// Also accept sqlite://NAME and sqlite:///ABSOLUTE/NAME.
	if rest, ok := strings.CutPrefix(path, "//"); ok {
		path = rest
	}
	if path == "" {
		return nil, fmt.Errorf("sqlstore: sqlite: needs a path; use %s", acceptedForms)
	}
	memory := strings.Contains(path, ":memory:") || strings.Contains(path, "mode=memory")

	// The writer: one connection, so writers queue in database/sql instead of
	// failing with SQLITE_BUSY; BEGIN IMMEDIATE so that a transaction takes
	// the write lock up front and waits (busy_timeout) for another process
	// instead of failing when it first writes. WAL lets readers run beside it.
	// secure_delete: what a disposal deletes is zeroed, not left in free space (retention.go).
	params := []string{"_pragma=busy_timeout(5000)", "_pragma=foreign_keys(1)", "_pragma=secure_delete(1)", "_txlock=immediate"}
	if !memory {
		params = append(params, "_pragma=journal_mode(WAL)")
	}
	w, err := sqlx.Open("sqlite", withParams(path, params...))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	w.SetMaxOpenConns(1)
	// Never close the one connection: for an in-memory database it is the
	// database.
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{dialect: migrations.SQLite, bind: sqlx.QUESTION, w: w, r: w, now: time.Now}
	if err := s.start(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if memory {
		return s, nil
	}

	// Readers: several connections that cannot write, so a long summary does
	// not hold up filing and a read inside a transaction cannot deadlock on
	// the single writer.
	r, err := sqlx.Open("sqlite", withParams(path, "_pragma=busy_timeout(5000)", "_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, mapErr(err)
	}
	s.r = r
	return s, nil
}

// withParams appends query parameters to an SQLite name, plain or file: URI.
func withParams(name string, params ...string) string {
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	return name + sep + strings.Join(params, "&")
}

// start checks that the database answers, then migrates it.
func (s *Store) start(ctx context.Context) error {
	pctx := ctx
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, pingTimeout)
		defer cancel()
	}
	if err := s.w.PingContext(pctx); err != nil {
		return mapErr(err)
	}
	if err := migrations.Apply(ctx, s.w.DB, s.dialect); err != nil {
		return mapErr(err)
	}
	return nil
}

// Dialect is "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect }

// Close closes the database. Calls after Close fail.
func (s *Store) Close() error {
	var err error
	if s.r != s.w {
		err = s.r.Close()
	}
	return errors.Join(err, s.w.Close())
}

// Ready reports whether the database answers and every migration this binary
// knows has been applied (GET /readyz).
func (s *Store) Ready(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return mapErr(err)
	}
	if s.r != s.w {
		if err := s.r.PingContext(ctx); err != nil {
			return mapErr(err)
		}
	}
	n, err := migrations.Pending(ctx, s.r.DB, s.dialect)
	if err != nil {
		return mapErr(err)
	}
	if n > 0 {
		return fmt.Errorf("sqlstore: %d migration(s) pending; run `bot migrate`", n)
	}
	return nil
}

// Ping is Ready, for cases.Store.
func (s *Store) Ping(ctx context.Context) error { return s.Ready(ctx) }

// rebind turns '?' placeholders into the dialect's.
func (s *Store) rebind(q string) string { return sqlx.Rebind(s.bind, q) }
