package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/migrations"
)

// casesDueWhere is the deadline worker's scan. Closed cases have a NULL
// next_action_at, so the partial index cases_next_action (migration 00003)
// holds only cases with something owed, in the order asked for: a pass
// reads the rows it returns, not the table. The status test is a guard.
const casesDueWhere = ` WHERE next_action_at IS NOT NULL AND next_action_at <= ? AND status IN (?, ?)
	ORDER BY next_action_at, id`

// CasesDue returns the open and acknowledged cases whose next action is due
// at now, soonest first, at most limit (all when limit <= 0).
func (s *Store) CasesDue(ctx context.Context, now time.Time, limit int) ([]cases.Case, error) {
	from := ` FROM cases`
	if s.dialect == migrations.SQLite {
		// Without statistics SQLite takes status = ? for selective and
		// would read every open case through a status index, then sort.
		// PostgreSQL chooses by its statistics.
		from += ` INDEXED BY cases_next_action`
	}
	q := `SELECT ` + caseColumns + from + casesDueWhere
	args := []any{now.UnixMilli(), string(cases.StatusOpen), string(cases.StatusAcknowledged)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	var rows []caseRow
	if err := sqlx.SelectContext(ctx, s.r, &rows, s.rebind(q), args...); err != nil {
		return nil, mapErr(err)
	}
	out, err := caseRows(rows)
	if err != nil {
		return nil, fault.Wrap(fmt.Errorf("sqlstore: %w", err), fault.InternalError)
	}
	return out, nil
}
