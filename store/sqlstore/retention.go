package sqlstore

// Retention under the records schedule (migration 00006): closed cases are
// disposed of, and sent copies of messages are purged. The retention
// package decides when; this file only does it, each batch in one
// transaction.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/migrations"
)

// Disposal is what is kept of a disposed case: its number, category, unit,
// status, outcome and dates — no people and no words.
type Disposal struct {
	CaseID      cases.ID
	TopCategory string
	Unit        string
	Status      cases.Status // resolved or withdrawn
	Outcome     cases.Outcome
	CreatedAt   time.Time
	ClosedAt    time.Time
	DisposedAt  time.Time
}

// caseTables are the tables other than cases that hold a case's rows
// (case_id). A disposal deletes from each of them; the conformance suite
// checks the list against the schema, so a new table cannot be forgotten.
var caseTables = []string{"message_refs", "outbox", "case_events"}

// closedBefore selects closed cases whose closing is before a cutoff (given
// twice). The statuses are literals, not parameters, so that the partial
// indexes of 00006 apply. A reopened case is open and never matches.
const closedBefore = `((status = 'resolved' AND resolved_at < ?) OR (status = 'withdrawn' AND withdrawn_at < ?))`

// closedBeforeSQLite is the same choice on SQLite, which without statistics
// would rather read every closed case through a status index: each half
// names its partial index.
const closedBeforeSQLite = `SELECT id FROM (
	SELECT id FROM cases INDEXED BY cases_resolved_at WHERE status = 'resolved' AND resolved_at < ?
	UNION ALL
	SELECT id FROM cases INDEXED BY cases_withdrawn_at WHERE status = 'withdrawn' AND withdrawn_at < ?
) ORDER BY id LIMIT ?`

// DisposeClosedBefore disposes of up to limit resolved or withdrawn cases
// closed before cutoff, lowest numbers first, in one transaction: for each,
// a disposals row stamped now, then its card references, outbox messages
// and history, then the case. It returns how many it disposed of; fewer than
// limit means none are left (on PostgreSQL, but for cases another
// transaction holds, which the next pass takes).
func (s *Store) DisposeClosedBefore(ctx context.Context, cutoff, now time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, fault.Wrap(fmt.Errorf("sqlstore: DisposeClosedBefore needs a positive limit (got %d)", limit), fault.InternalError)
	}
	n := 0
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		// Locks the chosen cases, so that a reopen cannot slip in between
		// the choice and the delete; replicas skip each other's.
		q := `SELECT id FROM cases WHERE ` + closedBefore + ` ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`
		if s.dialect == migrations.SQLite {
			q = closedBeforeSQLite // the single writer needs no lock
		}
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, s.rebind(q), cutoff.UnixMilli(), cutoff.UnixMilli(), limit); err != nil {
			return mapErr(err)
		}
		if len(ids) == 0 {
			return nil
		}
		// The disposals row comes first: the case_events trigger allows a
		// DELETE only for a case that has one.
		if err := s.execIn(ctx, tx, `INSERT INTO disposals (case_id, top_category, unit, status, outcome, created_at, closed_at, disposed_at)
			SELECT id, top_category, unit, status, outcome, created_at,
				CASE WHEN status = 'resolved' THEN resolved_at ELSE withdrawn_at END, ?
			FROM cases WHERE id IN (?)`, now.UnixMilli(), ids); err != nil {
			return err
		}
		for _, table := range caseTables {
			if err := s.execIn(ctx, tx, `DELETE FROM `+table+` WHERE case_id IN (?)`, ids); err != nil {
				return err
			}
		}
		if err := s.execIn(ctx, tx, `DELETE FROM cases WHERE id IN (?)`, ids); err != nil {
			return err
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.compact(ctx)
	}
	return n, nil
}

// PurgeSentOutbox deletes up to limit outbox messages that were sent before
// the given time, and returns how many. Sent messages are copies of what the
// platform already holds, not records; pending and dead ones stay (dead
// letters are for compliance to see). Nothing refers to a sent message:
// dead_letter_of names dead ones only.
func (s *Store) PurgeSentOutbox(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, fault.Wrap(fmt.Errorf("sqlstore: PurgeSentOutbox needs a positive limit (got %d)", limit), fault.InternalError)
	}
	res, err := s.w.ExecContext(ctx, s.rebind(`DELETE FROM outbox WHERE id IN (
		SELECT id FROM outbox WHERE status = ? AND sent_at < ? ORDER BY id LIMIT ?)`),
		string(cases.DeliverySent), before.UnixMilli(), limit)
	if err != nil {
		return 0, mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, mapErr(err)
	}
	if n > 0 {
		s.compact(ctx)
	}
	return int(n), nil
}

// Disposal returns what is kept of a disposed case; false when the case was
// never disposed of (it exists, or never did).
func (s *Store) Disposal(ctx context.Context, id cases.ID) (Disposal, bool, error) {
	return s.disposal(ctx, s.r, id)
}

func (s *Store) disposal(ctx context.Context, q sqlx.QueryerContext, id cases.ID) (Disposal, bool, error) {
	var r struct {
		CaseID      int64          `db:"case_id"`
		TopCategory string         `db:"top_category"`
		Unit        string         `db:"unit"`
		Status      string         `db:"status"`
		Outcome     sql.NullString `db:"outcome"`
		CreatedAt   int64          `db:"created_at"`
		ClosedAt    int64          `db:"closed_at"`
		DisposedAt  int64          `db:"disposed_at"`
	}
	err := sqlx.GetContext(ctx, q, &r, s.rebind(`SELECT case_id, top_category, unit, status, outcome,
		created_at, closed_at, disposed_at FROM disposals WHERE case_id = ?`), int64(id))
	if errors.Is(err, sql.ErrNoRows) {
		return Disposal{}, false, nil
	}
	if err != nil {
		return Disposal{}, false, mapErr(err)
	}
	return Disposal{
		CaseID: cases.ID(r.CaseID), TopCategory: r.TopCategory, Unit: r.Unit,
		Status: cases.Status(r.Status), Outcome: cases.Outcome(r.Outcome.String),
		CreatedAt:  time.UnixMilli(r.CreatedAt).UTC(),
		ClosedAt:   time.UnixMilli(r.ClosedAt).UTC(),
		DisposedAt: time.UnixMilli(r.DisposedAt).UTC(),
	}, true, nil
}

// caseGone is the error for a case that is not in the cases table:
// CaseDisposed, with the day, when it was disposed of, else CaseNotFound.
func (s *Store) caseGone(ctx context.Context, q sqlx.QueryerContext, id cases.ID) error {
	d, ok, err := s.disposal(ctx, q, id)
	switch {
	case err != nil:
		return err
	case ok:
		return fault.E(fault.CaseDisposed, id.String(), d.DisposedAt.Format("2 Jan 2006"))
	}
	return fault.E(fault.CaseNotFound, id.String())
}

// compact, after a delete on an SQLite file, checkpoints the write-ahead
// log and truncates it, so that older copies of the deleted pages do not
// linger there (the writer's secure_delete, set in open.go, zeroes them in
// the database file itself). It is best effort: the delete has committed,
// and a checkpoint that readers hold up now is done by a later one.
// PostgreSQL reclaims dead rows by (auto)vacuum.
func (s *Store) compact(ctx context.Context) {
	if s.dialect == migrations.SQLite && s.r != s.w {
		_, _ = s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
}

// execIn runs a statement whose "IN (?)" takes a list.
func (s *Store) execIn(ctx context.Context, tx *sqlx.Tx, query string, args ...any) error {
	q, args, err := sqlx.In(query, args...)
	if err != nil {
		return fault.Wrap(fmt.Errorf("sqlstore: %w", err), fault.InternalError)
	}
	_, err = tx.ExecContext(ctx, s.rebind(q), args...)
	return mapErr(err)
}
