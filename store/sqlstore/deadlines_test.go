package sqlstore

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
)

func testDeadlineFieldsRoundTrip(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := newCase(p["Ana"], p["Ben"], T0)
	c.NextActionAt, c.EscalateAt, c.Reminders = T0.Add(4*time.Hour), T0.Add(24*time.Hour), 3
	in := insert(t, s, c)[0]
	got, err := s.Case(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.CreatedAt, want.UpdatedAt = T0.Truncate(time.Millisecond), T0.Truncate(time.Millisecond)
	want.AckDueAt, want.ResolveDueAt = c.AckDueAt.Truncate(time.Millisecond), c.ResolveDueAt.Truncate(time.Millisecond)
	want.NextActionAt, want.EscalateAt = c.NextActionAt.Truncate(time.Millisecond), c.EscalateAt.Truncate(time.Millisecond)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, want)
	}
	// An update writes them, and clears them (NULL) when zero.
	got.Status, got.NextActionAt, got.EscalateAt, got.Reminders = cases.StatusResolved, time.Time{}, time.Time{}, 4
	if err := s.InTx(ctx, func(tx cases.Tx) error { return tx.UpdateCase(ctx, &got, 1) }); err != nil {
		t.Fatal(err)
	}
	again, err := s.Case(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !again.NextActionAt.IsZero() || !again.EscalateAt.IsZero() || again.Reminders != 4 {
		t.Fatalf("after update: next %v escalate %v reminders %d", again.NextActionAt, again.EscalateAt, again.Reminders)
	}
	var nulls int
	if err := s.r.GetContext(ctx, &nulls, s.rebind(`SELECT COUNT(*) FROM cases
		WHERE id = ? AND next_action_at IS NULL AND escalate_at IS NULL`), int64(in.ID)); err != nil || nulls != 1 {
		t.Fatalf("stored NULLs: %d, %v", nulls, err)
	}
}

func testCasesDue(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	now := T0.Add(48 * time.Hour)
	mk := func(status cases.Status, next time.Duration) cases.Case {
		c := newCase(p["Ana"], p["Ben"], T0)
		c.Status = status
		if next != 0 {
			c.NextActionAt = now.Add(next)
		}
		return c
	}
	cs := insert(t, s,
		mk(cases.StatusOpen, -time.Hour),           // 1: due
		mk(cases.StatusOpen, time.Millisecond),     // 2: not yet
		mk(cases.StatusAcknowledged, -3*time.Hour), // 3: due, first
		mk(cases.StatusOpen, 0),                    // 4: nothing scheduled
		mk(cases.StatusResolved, -5*time.Hour),     // 5: closed (never scheduled in practice)
		mk(cases.StatusWithdrawn, -5*time.Hour),    // 6: closed
		mk(cases.StatusOpen, 0),                    // 7: exactly now, set below
	)
	cs[6].NextActionAt = now
	if err := s.InTx(ctx, func(tx cases.Tx) error { return tx.UpdateCase(ctx, &cs[6], 1) }); err != nil {
		t.Fatal(err)
	}
	due, err := s.CasesDue(ctx, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(due), []cases.ID{cs[2].ID, cs[0].ID, cs[6].ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("CasesDue = %v, want %v", got, want)
	}
	if due[0].Status != cases.StatusAcknowledged || !due[0].NextActionAt.Equal(now.Add(-3*time.Hour).Truncate(time.Millisecond)) {
		t.Errorf("first due case: %+v", due[0])
	}
	due, err = s.CasesDue(ctx, now, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(due), []cases.ID{cs[2].ID, cs[0].ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("CasesDue limit 2 = %v, want %v", got, want)
	}
	if due, err := s.CasesDue(ctx, T0, 10); err != nil || len(due) != 0 {
		t.Fatalf("CasesDue before anything is due = %v, %v", ids(due), err)
	}
}

// testCasesDueUsesIndex checks that the scan reads the partial index
// cases_next_action in order, with no sort, once the table has a realistic
// mix (on PostgreSQL the plan depends on statistics).
func testCasesDueUsesIndex(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	year := 365 * 24 * time.Hour
	seedDueCases(t, s, 5000, p["Ana"], p["Ben"], T0, year)
	q := `SELECT ` + caseColumns + ` FROM cases`
	explain := `EXPLAIN `
	if s.Dialect() == "sqlite" {
		q += ` INDEXED BY cases_next_action`
		explain = `EXPLAIN QUERY PLAN `
	}
	q += casesDueWhere + ` LIMIT ?`
	rows, err := s.r.QueryxContext(ctx, s.rebind(explain+q), T0.Add(year/2).UnixMilli(), "open", "acknowledged", 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		cols, err := rows.SliceScan()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			switch v := c.(type) {
			case string:
				plan = append(plan, v)
			case []byte:
				plan = append(plan, string(v))
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "cases_next_action") || strings.Contains(text, "TEMP B-TREE") || strings.Contains(text, "Sort") {
		t.Fatalf("plan does not read cases_next_action in order:\n%s", text)
	}
}

// BenchmarkCasesDue1M measures one pass of the deadline worker's scan,
// CasesDue(now, 1000), over 1,000,000 open cases whose next actions are
// spread over a year (half of them due). Seeding takes a while and is not
// timed.
func BenchmarkCasesDue1M(b *testing.B) {
	benchDialects(b, func(b *testing.B, be backend) {
		s := be.open(b)
		p := seedPeople(b, s)
		const n = 1_000_000
		year := 365 * 24 * time.Hour
		seedDueCases(b, s, n, p["Ana"], p["Ben"], T0, year)
		now := T0.Add(year / 2)
		var due []cases.Case
		for b.Loop() {
			var err error
			if due, err = s.CasesDue(context.Background(), now, 1000); err != nil {
				b.Fatal(err)
			}
		}
		if len(due) != 1000 || !due[0].NextActionAt.Before(due[999].NextActionAt) {
			b.Fatalf("CasesDue returned %d cases", len(due))
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/pass")
	})
}

// seedDueCases inserts n open cases in batches of 100,000, each one
// statement generated in the database (a recursive CTE on SQLite,
// generate_series on PostgreSQL), with next_action_at spread evenly but
// shuffled over span from base; then it updates the planner's statistics.
func seedDueCases(b testing.TB, s *Store, n int, reporter, assignee int64, base time.Time, span time.Duration) {
	b.Helper()
	const batch = 100_000
	desc := strings.Repeat("a colleague posted a picture of the intake area on a public account; ", 2)
	// i * a large odd constant mod span visits the span in a scrambled order.
	cols := `(status, reporter_id, assignee_id, description, unit, created_at, updated_at,
		ack_due_at, resolve_due_at, next_action_at, escalate_at)`
	sel := `SELECT 'open', CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), 'Krome', t, t,
		t + 14400000, t + 864000000, t, t + 86400000
		FROM (SELECT CAST(? AS BIGINT) + (i * 2654435761) % CAST(? AS BIGINT) AS t FROM `
	ctx := context.Background()
	for from := 1; from <= n; from += batch {
		to := min(from+batch-1, n)
		var q string
		if s.Dialect() == "postgres" {
			q = `INSERT INTO cases ` + cols + ` ` + sel + `generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) AS g(i)) AS x`
		} else {
			q = `INSERT INTO cases ` + cols + ` WITH RECURSIVE g(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM g WHERE i < ?) ` +
				sel + `g) AS x`
		}
		args := []any{reporter, assignee, desc, base.UnixMilli(), span.Milliseconds(), from, to}
		if s.Dialect() != "postgres" {
			// The CTE's bounds come first in the text.
			args = append([]any{from, to}, args[:5]...)
		}
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			_, err := tx.ExecContext(ctx, s.rebind(q), args...)
			return err
		})
		if err != nil {
			b.Fatalf("seeding: %v", err)
		}
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatalf("analyze: %v", err)
	}
}
