package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
)

// Case reads one case; CaseNotFound when there is none.
func (s *Store) Case(ctx context.Context, id cases.ID) (cases.Case, error) {
	return s.getCase(ctx, s.r, id)
}

// Events returns a case's history, oldest first (ids grow with time of
// writing, so id order is the order things happened in); CaseNotFound when
// there is no such case.
func (s *Store) Events(ctx context.Context, id cases.ID) ([]cases.Event, error) {
	var rows []eventRow
	err := sqlx.SelectContext(ctx, s.r, &rows, s.rebind(`SELECT id, case_id, at, actor_id, kind, detail
		FROM case_events WHERE case_id = ? ORDER BY id`), int64(id))
	if err != nil {
		return nil, mapErr(err)
	}
	if len(rows) == 0 {
		// Every filed case has an event; tell "no case" from "no history".
		if _, err := s.getCase(ctx, s.r, id); err != nil {
			return nil, err
		}
		return nil, nil
	}
	out := make([]cases.Event, 0, len(rows))
	for _, r := range rows {
		e, err := r.toEvent()
		if err != nil {
			return nil, fault.Wrap(fmt.Errorf("sqlstore: %w", err), fault.InternalError)
		}
		out = append(out, e)
	}
	return out, nil
}

// CasesByReporter returns a reporter's cases, newest first; limit <= 0 means
// all of them.
func (s *Store) CasesByReporter(ctx context.Context, reporterID int64, limit int) ([]cases.Case, error) {
	return s.selectCases(ctx, `reporter_id = ? ORDER BY created_at DESC, id DESC`, limit, reporterID)
}

// CasesByAssignee returns the open and acknowledged cases routed to a
// person, oldest first; limit <= 0 means all of them.
func (s *Store) CasesByAssignee(ctx context.Context, assigneeID int64, limit int) ([]cases.Case, error) {
	return s.selectCases(ctx, `assignee_id = ? AND status IN (?, ?) ORDER BY created_at, id`, limit,
		assigneeID, string(cases.StatusOpen), string(cases.StatusAcknowledged))
}

// RelatedByLink returns the cases of a link key filed since the given time,
// oldest first, leaving out except. Cases without a link are related to
// nothing, so an empty key finds nothing.
func (s *Store) RelatedByLink(ctx context.Context, linkKey string, since time.Time, except cases.ID) ([]cases.Case, error) {
	if linkKey == "" {
		return nil, nil
	}
	return s.selectCases(ctx, `link_key = ? AND created_at >= ? AND id <> ? ORDER BY created_at, id`, 0,
		linkKey, sinceMillis(since), int64(except))
}

// CasesSince returns every case filed at or after since (zero: all), oldest
// first.
func (s *Store) CasesSince(ctx context.Context, since time.Time) ([]cases.Case, error) {
	return s.selectCases(ctx, `created_at >= ? ORDER BY created_at, id`, 0, sinceMillis(since))
}

// selectCases reads the cases matching where (which ends in its ORDER BY).
func (s *Store) selectCases(ctx context.Context, where string, limit int, args ...any) ([]cases.Case, error) {
	q := `SELECT ` + caseColumns + ` FROM cases WHERE ` + where
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
