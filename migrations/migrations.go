// Package migrations holds the database schema as SQL migrations, one folder
// per dialect (postgres/, sqlite/), in goose's format. The files are embedded
// so that `bot serve` and `bot migrate` need nothing beside the binary; this is
// a Go package only so that embed can reach them.
//
// Apply and Pending use goose's Provider API with this package's files alone:
// no goose globals, no registered Go migrations, no logging to stdout.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// The dialects this package has migrations for.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Apply runs every pending migration for dialect ("postgres" or "sqlite") on
// db. It is safe to call on an up-to-date database, and on PostgreSQL from
// several processes at once: they take turns under an advisory lock.
func Apply(ctx context.Context, db *sql.DB, dialect string) error {
	p, err := provider(db, dialect)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}

// Pending counts the migrations for dialect not yet applied to db; /readyz
// reports not ready while it is above zero.
func Pending(ctx context.Context, db *sql.DB, dialect string) (int, error) {
	p, err := provider(db, dialect)
	if err != nil {
		return 0, err
	}
	status, err := p.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	n := 0
	for _, s := range status {
		if s.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}

func provider(db *sql.DB, dialect string) (*goose.Provider, error) {
	var gd goose.Dialect
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithLogger(goose.NopLogger()),
	}
	switch dialect {
	case Postgres:
		gd = goose.DialectPostgres
		opts = append(opts, goose.WithSessionLocker(pgLocker{}))
	case SQLite:
		// SQLite needs no lock: the store writes through one connection, and
		// other processes wait on SQLite's own file lock (busy_timeout).
		gd = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("migrations: unknown dialect %q (want %q or %q)", dialect, Postgres, SQLite)
	}
	sub, err := fs.Sub(files, dialect)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(gd, db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// pgLocker serialises migrations between processes (replicas starting at
// once) with a session advisory lock. Unlike goose's own PostgreSQL locker,
// which polls every 5 seconds, it waits in pg_advisory_lock and so goes on the
// moment the other process is done. The key includes the current schema, so
// databases with one schema per test run do not wait on each other.
type pgLocker struct{}

const pgLockKey = `hashtext('reportbot migrations ' || coalesce(current_schema(), ''))`

func (pgLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+pgLockKey+`)`); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	return nil
}

func (pgLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock(`+pgLockKey+`)`); err != nil {
		return fmt.Errorf("migration unlock: %w", err)
	}
	return nil
}
