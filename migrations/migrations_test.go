package migrations_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/reportbot/reportbot/migrations"
)

func TestApplyAndPendingSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := migrations.Pending(ctx, db, migrations.SQLite); err != nil || n < 1 {
		t.Fatalf("Pending on an empty database = %d, %v; want at least 1", n, err)
	}
	for range 2 { // the second run has nothing to do
		if err := migrations.Apply(ctx, db, migrations.SQLite); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	if n, err := migrations.Pending(ctx, db, migrations.SQLite); err != nil || n != 0 {
		t.Fatalf("Pending after Apply = %d, %v; want 0", n, err)
	}
	for _, table := range []string{"people", "cases", "case_events", "outbox"} {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}

func TestUnknownDialect(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrations.Apply(context.Background(), db, "mysql"); err == nil {
		t.Error("Apply(mysql): no error")
	}
	if _, err := migrations.Pending(context.Background(), db, "mysql"); err == nil {
		t.Error("Pending(mysql): no error")
	}
}
