package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
)

// benchDialects runs bench on SQLite and, when TEST_DATABASE_URL is set, on
// PostgreSQL (required under CI=true, skipped otherwise).
func benchDialects(b *testing.B, bench func(b *testing.B, be backend)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, sqliteBackend) })
	b.Run("postgres", func(b *testing.B) { bench(b, postgresBackend(b)) })
}

// BenchmarkFileCase measures filing as the service does it: one
// transaction with the case, its first event and one outbox message.
func BenchmarkFileCase(b *testing.B) {
	benchDialects(b, func(b *testing.B, be backend) {
		s := be.open(b)
		p := seedPeople(b, s)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			c := newCase(p["Ana"], p["Ben"], T0.Add(time.Duration(i)*time.Second))
			c.Categories = []cases.Category{{ID: "4-2.f", Title: "Personal use", Score: 0.9, Evidence: []string{"detainee"}}}
			c.RoutingReasons = []string{"reporter's supervisor"}
			if err := s.InTx(ctx, func(tx cases.Tx) error { return fileCase(ctx, tx, &c) }); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkSummary100k measures the compliance summary over 100,000 cases.
func BenchmarkSummary100k(b *testing.B) {
	benchDialects(b, func(b *testing.B, be backend) {
		s := be.open(b)
		p := seedPeople(b, s)
		now := T0.Add(365 * 24 * time.Hour)
		seedCases(b, s, 100_000, p["Ana"], p["Ben"], now)
		ctx := context.Background()
		var sum cases.Summary
		for b.Loop() {
			var err error
			if sum, err = s.Summary(ctx, time.Time{}, now); err != nil {
				b.Fatal(err)
			}
		}
		if sum.Total != 100_000 || sum.MedianSecondsToAcknowledge == nil {
			b.Fatalf("summary: total %d", sum.Total)
		}
	})
}

// seedCases bulk-inserts n cases spread over the year before now, in
// multi-row INSERTs of 500 in one transaction: a realistic mix of statuses,
// categories, units and durations, the same on every run.
func seedCases(b *testing.B, s *Store, n int, reporter, assignee int64, now time.Time) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	cats := []string{"4-2.f", "4-2.g", "4-2.h", "4-2.i", "4-4.a", "4-4.b", "4-4.c", "4-4.d",
		"4-4.e", "4-4.f", "4-4.g", "4-4.h", "4-4.i", "4-4.j.i", "4-4.j.ii", "4-5"}
	outcomes := []string{"violation_confirmed", "no_violation", "referred", "duplicate"}
	const cols = `status, reporter_id, assignee_id, unit, categories, top_category, outcome,
		created_at, updated_at, ack_due_at, resolve_due_at, acknowledged_at, resolved_at, withdrawn_at`
	const perRow = 14
	const batch = 500
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", perRow), ", ") + ")"
	ms := func(t time.Time) int64 { return t.UnixMilli() }
	err := s.inTx(context.Background(), func(tx *sqlx.Tx) error {
		for done := 0; done < n; done += batch {
			k := min(batch, n-done)
			args := make([]any, 0, k*perRow)
			for range k {
				created := now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
				cat := ""
				if rng.IntN(10) > 0 {
					cat = cats[rng.IntN(len(cats))]
				}
				catsJSON := "[]"
				if cat != "" {
					catsJSON = fmt.Sprintf(`[{"id":%q,"title":"","score":0.9}]`, cat)
				}
				var status string
				var outcome, acked, resolved, withdrawn any
				ack := created.Add(time.Duration(rng.Int64N(int64(48 * time.Hour))))
				switch r := rng.IntN(100); {
				case r < 20:
					status = "open"
				case r < 35:
					status, acked = "acknowledged", ms(ack)
				case r < 90:
					status, acked = "resolved", ms(ack)
					resolved = ms(ack.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour)))))
					outcome = outcomes[rng.IntN(len(outcomes))]
				default:
					status, withdrawn = "withdrawn", ms(created.Add(time.Hour))
				}
				args = append(args, status, reporter, assignee, fmt.Sprintf("Unit %d", rng.IntN(12)),
					catsJSON, cat, outcome, ms(created), ms(created),
					ms(created.Add(4*time.Hour)), ms(created.Add(72*time.Hour)), acked, resolved, withdrawn)
			}
			q := `INSERT INTO cases (` + cols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
			if _, err := tx.ExecContext(context.Background(), s.rebind(q), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seeding: %v", err)
	}
}
