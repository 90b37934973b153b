// Package storetest makes fresh, empty databases for tests of any package:
// an SQLite file in a temporary directory, or a PostgreSQL schema of its own
// on the server named by TEST_DATABASE_URL. PostgreSQL tests skip when no
// server is named — except under CI=true, where they fail — and always fail
// when a named server cannot be reached, so a typo never turns green.
package storetest

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

	_ "github.com/lib/pq" // the PostgreSQL driver, for creating schemas
)

// Backend makes fresh databases of one dialect.
type Backend struct {
	Name string
	// NewURL returns the DATABASE_URL of a fresh database that is removed
	// when tb ends.
	NewURL func(tb testing.TB) string
}

// SQLite is the embedded backend; it is always available.
var SQLite = Backend{
	Name: "sqlite",
	NewURL: func(tb testing.TB) string {
		return "sqlite:" + filepath.Join(tb.TempDir(), "reportbot.db")
	},
}

// ServerURL is the PostgreSQL server tests use: TEST_DATABASE_URL, else
// DATABASE_URL.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return os.Getenv("DATABASE_URL")
}

// Postgres returns the PostgreSQL backend, or ends tb: a skip when there is
// no server to test against, a failure under CI=true or when the named
// server cannot be reached.
func Postgres(tb testing.TB) Backend {
	tb.Helper()
	base := ServerURL()
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
	return Backend{Name: "postgres", NewURL: func(tb testing.TB) string { return freshSchema(tb, base) }}
}

// Each runs fn as a subtest on every backend: SQLite, then PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Run(SQLite.Name, func(t *testing.T) { fn(t, SQLite) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
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
