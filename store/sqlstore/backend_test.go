package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A backend makes fresh, empty databases of one dialect for tests and
// benchmarks.
type backend struct {
	name string
	// newURL returns the URL of a fresh database that is removed when tb ends.
	newURL func(tb testing.TB) string
}

// open opens a fresh database and closes it when tb ends.
func (b backend) open(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), b.newURL(tb))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

var sqliteBackend = backend{
	name: "sqlite",
	newURL: func(tb testing.TB) string {
		return "sqlite:" + filepath.Join(tb.TempDir(), "reportbot.db")
	},
}

// postgresURL is the server the PostgreSQL tests use.
func postgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return os.Getenv("DATABASE_URL")
}

// postgresBackend returns the PostgreSQL backend, or ends tb: a skip when
// there is no server to test against, except under CI=true, where PostgreSQL
// is required and its absence fails. A server that is named but cannot be
// reached always fails: a typo must not turn into a green run.
func postgresBackend(tb testing.TB) backend {
	tb.Helper()
	base := postgresURL()
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("PostgreSQL is required under CI=true: set TEST_DATABASE_URL")
		}
		tb.Skip("PostgreSQL tests skipped: set TEST_DATABASE_URL (e.g. postgres://USER:PASSWORD@127.0.0.1:5432/DB?sslmode=disable)")
	}
	db, err := sql.Open("postgres", base)
	if err != nil {
		tb.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		tb.Fatalf("TEST_DATABASE_URL is set but PostgreSQL cannot be reached: %v", err)
	}
	return backend{name: "postgres", newURL: func(tb testing.TB) string { return freshSchema(tb, base) }}
}

// freshSchema creates a uniquely named schema, returns base with its
// search_path set to it, and drops it when tb ends, so that test runs (and
// parallel tests) never see each other's tables.
func freshSchema(tb testing.TB, base string) string {
	tb.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := fmt.Sprintf("test_%d_%s", os.Getpid(), hex.EncodeToString(b[:]))
	admin, err := sql.Open("postgres", base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("options", "-csearch_path="+schema)
	u.RawQuery = q.Encode()
	return u.String()
}
