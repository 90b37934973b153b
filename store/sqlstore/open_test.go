package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
)

func TestOpenRejectsUnknownURLs(t *testing.T) {
	for _, u := range []string{"", "mysql://root:secret@db/x", "reportbot.db", "sqlite:", "file:x.db"} {
		s, err := Open(context.Background(), u)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q): no error", u)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q): error shows the password: %v", u, err)
		}
		if !strings.Contains(err.Error(), "postgres://") || !strings.Contains(err.Error(), "sqlite:PATH") {
			t.Errorf("Open(%q): error does not name the accepted forms: %v", u, err)
		}
	}
}

// An unreachable PostgreSQL is StoreUnavailable, and promptly: nothing
// listens on port 1.
func TestOpenUnreachablePostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	s, err := Open(ctx, "postgres://reportbot:reportbot@127.0.0.1:1/reportbot?sslmode=disable&connect_timeout=5")
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	if !fault.Is(err, fault.StoreUnavailable) {
		t.Fatalf("error %v, want StoreUnavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// In-memory SQLite keeps its data on its one connection.
func TestOpenSQLiteMemory(t *testing.T) {
	for _, u := range []string{"sqlite::memory:", "sqlite:file:memtest?mode=memory&cache=shared"} {
		t.Run(u, func(t *testing.T) {
			s, err := Open(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			p := seedPeople(t, s)
			c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
			if _, err := s.Case(context.Background(), c.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.Ready(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestMapErr(t *testing.T) {
	already := fault.E(fault.CaseNotFound, "CASE-1")
	tests := []struct {
		err  error
		want fault.Reason
	}{
		{driver.ErrBadConn, fault.StoreUnavailable},
		{fmt.Errorf("query: %w", context.DeadlineExceeded), fault.StoreUnavailable},
		{context.Canceled, fault.StoreUnavailable},
		{errors.New("sql: database is closed"), fault.StoreUnavailable},
		{errors.New("syntax error at or near"), fault.InternalError},
		{already, fault.CaseNotFound},
	}
	for _, tt := range tests {
		got := mapErr(tt.err)
		if !fault.Is(got, tt.want) {
			t.Errorf("mapErr(%v) = %v, want %s", tt.err, got, tt.want)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("mapErr(%v) lost its cause", tt.err)
		}
	}
	if mapErr(nil) != nil {
		t.Error("mapErr(nil) != nil")
	}
}

func TestMedianRounding(t *testing.T) {
	tests := []struct{ a, b, want int64 }{{1499, 1000, 1}, {1500, 1000, 2}, {-1500, 1000, -2}, {0, 1000, 0}}
	for _, tt := range tests {
		if got := roundDiv(tt.a, tt.b); got != tt.want {
			t.Errorf("roundDiv(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// Inserting without the times the schema needs is a clear error, not a
// constraint violation from the driver.
func TestInsertNeedsTimes(t *testing.T) {
	s := sqliteBackend.open(t)
	err := s.InTx(context.Background(), func(tx cases.Tx) error {
		return tx.InsertCase(context.Background(), &cases.Case{Status: cases.StatusOpen, ReporterID: 1})
	})
	if err == nil || !strings.Contains(err.Error(), "CreatedAt") {
		t.Errorf("InsertCase without CreatedAt: %v", err)
	}
}
