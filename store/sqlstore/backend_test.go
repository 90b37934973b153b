package sqlstore

import (
	"context"
	"testing"

	"github.com/reportbot/reportbot/store/storetest"
)

// A backend makes fresh, empty databases of one dialect for tests and
// benchmarks (storetest does the work, shared with other packages' tests).
type backend struct {
	name   string
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

var sqliteBackend = backend{name: storetest.SQLite.Name, newURL: storetest.SQLite.NewURL}

func postgresURL() string { return storetest.ServerURL() }

func postgresBackend(tb testing.TB) backend {
	tb.Helper()
	b := storetest.Postgres(tb)
	return backend{name: b.Name, newURL: b.NewURL}
}
