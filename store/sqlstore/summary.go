package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/migrations"
)

// summaryCountsSQL counts every combination of status, top category, unit
// and outcome, with how many of each are overdue, in one pass over the cases
// filed since the bound: the groups are few, so Go adds them up.
//
// The GROUP BY is in the order of the covering index cases_summary, so SQLite
// walks the index and never sorts; outcome is grouped as is (NULL is one
// group) for the same reason.
const summaryCountsSQL = `SELECT status, top_category, unit, outcome, COUNT(*) AS n
	FROM cases WHERE created_at >= ?
	GROUP BY status, top_category, unit, outcome`

// summaryOverdueSQL counts the cases overdue now, whenever they were filed:
// an old case still waiting is the one a compliance lead most needs to see,
// so the period does not hide it. Each half is a range of one of the
// deadline indexes (cases_ack_due, cases_resolve_due).
const summaryOverdueSQL = `SELECT
	(SELECT COUNT(*) FROM cases WHERE status = ? AND ack_due_at < ?) +
	(SELECT COUNT(*) FROM cases WHERE status = ? AND resolve_due_at < ?)`

// Summary counts the cases filed since the given time (zero: all), as of now.
// Overdue counts, whenever filed, the open cases past their acknowledgement
// deadline and acknowledged cases past their resolution deadline. The medians are over the
// cases that have been acknowledged (resolved), in whole seconds rounded to
// the nearest, the mean of the middle two for an even count.
//
// Counts come from one GROUP BY; the medians fetch one column of durations
// and sort them in Go, which keeps one code path for both databases and is
// fast enough (see BenchmarkSummary100k). It all runs in one read-only
// transaction so the numbers agree with each other.
func (s *Store) Summary(ctx context.Context, since, now time.Time) (cases.Summary, error) {
	sum := cases.Summary{
		Since:      since,
		ByStatus:   map[cases.Status]int{},
		ByCategory: map[string]int{},
		ByUnit:     map[string]int{},
		ByOutcome:  map[cases.Outcome]int{},
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == migrations.Postgres {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for all three queries
	}
	tx, err := s.r.BeginTxx(ctx, opts)
	if err != nil {
		return cases.Summary{}, mapErr(err)
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to keep

	from, at := sinceMillis(since), now.UnixMilli()
	rows, err := tx.QueryContext(ctx, s.rebind(summaryCountsSQL), from)
	if err != nil {
		return cases.Summary{}, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var status, category, unit string
		var outcome sql.NullString
		var n int64
		if err := rows.Scan(&status, &category, &unit, &outcome, &n); err != nil {
			return cases.Summary{}, mapErr(err)
		}
		sum.Total += int(n)
		sum.ByStatus[cases.Status(status)] += int(n)
		sum.ByCategory[category] += int(n)
		sum.ByUnit[unit] += int(n)
		if outcome.String != "" {
			sum.ByOutcome[cases.Outcome(outcome.String)] += int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return cases.Summary{}, mapErr(err)
	}
	rows.Close() // before the next query: a PostgreSQL connection runs one at a time

	err = tx.QueryRowxContext(ctx, s.rebind(summaryOverdueSQL),
		string(cases.StatusOpen), at, string(cases.StatusAcknowledged), at).Scan(&sum.Overdue)
	if err != nil {
		return cases.Summary{}, mapErr(err)
	}

	sum.MedianSecondsToAcknowledge, sum.MedianSecondsToResolve, err = medians(ctx, tx, s.rebind(summaryDurationsSQL), from)
	if err != nil {
		return cases.Summary{}, err
	}
	return sum, nil
}

// summaryDurationsSQL fetches both durations in one pass over the covering
// index cases_created (one scan instead of two matters on PostgreSQL, where
// the scan is most of the cost).
const summaryDurationsSQL = `SELECT acknowledged_at - created_at, resolved_at - created_at
	FROM cases WHERE created_at >= ? AND (acknowledged_at IS NOT NULL OR resolved_at IS NOT NULL)`

// medians reads durations to acknowledge and to resolve, in milliseconds,
// and returns their medians in seconds, nil where there are none.
func medians(ctx context.Context, tx *sqlx.Tx, q string, args ...any) (ack, resolve *int64, err error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	var acks, resolves []int64
	for rows.Next() {
		var a, r sql.NullInt64
		if err := rows.Scan(&a, &r); err != nil {
			return nil, nil, mapErr(err)
		}
		if a.Valid {
			acks = append(acks, a.Int64)
		}
		if r.Valid {
			resolves = append(resolves, r.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, mapErr(err)
	}
	return medianSeconds(acks), medianSeconds(resolves), nil
}

// medianSeconds returns the median of durations in milliseconds, in seconds
// rounded to the nearest; nil for none. It sorts ms.
func medianSeconds(ms []int64) *int64 {
	if len(ms) == 0 {
		return nil
	}
	slices.Sort(ms)
	mid := len(ms) / 2
	m := ms[mid]
	if len(ms)%2 == 0 {
		m = ms[mid-1] + (ms[mid]-ms[mid-1])/2
	}
	sec := roundDiv(m, 1000)
	return &sec
}

// roundDiv divides, rounding half away from zero.
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (a + b/2) / b
}
