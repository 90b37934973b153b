package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
)

// InTx runs fn in one transaction: it commits when fn returns nil and rolls
// back when fn returns an error (which InTx returns unchanged) or panics.
func (s *Store) InTx(ctx context.Context, fn func(cases.Tx) error) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return fn(&txn{s: s, tx: tx}) })
}

func (s *Store) inTx(ctx context.Context, fn func(*sqlx.Tx) error) error {
	tx, err := s.w.BeginTxx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback() // the error that made us roll back is the one to report
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err)
	}
	committed = true
	return nil
}

// txn is cases.Tx over one sqlx transaction.
type txn struct {
	s  *Store
	tx *sqlx.Tx
}

func (t *txn) Case(ctx context.Context, id cases.ID) (cases.Case, error) {
	return t.s.getCase(ctx, t.tx, id)
}

// insertCaseSQL lists every column but id (the database numbers the case).
var insertCaseSQL = `INSERT INTO cases (` + strings.TrimPrefix(caseColumns, "id, ") + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

func (t *txn) InsertCase(ctx context.Context, c *cases.Case) error {
	if c.CreatedAt.IsZero() {
		return fault.Wrap(errors.New("sqlstore: InsertCase needs CreatedAt"), fault.InternalError)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	vals, err := caseValues(c)
	if err != nil {
		return fault.Wrap(err, fault.InternalError)
	}
	// version goes between resolution_note and created_at.
	args := make([]any, 0, len(vals)+1)
	args = append(args, vals[:16]...)
	args = append(args, 1)
	args = append(args, vals[16:]...)
	var id int64
	if err := t.tx.QueryRowxContext(ctx, t.s.rebind(insertCaseSQL), args...).Scan(&id); err != nil {
		return mapErr(err)
	}
	c.ID = cases.ID(id)
	c.Version = 1
	return nil
}

const updateCaseSQL = `UPDATE cases SET status = ?, reporter_id = ?, subject_id = ?, link = ?,
	link_key = ?, description = ?, redacted_kinds = ?, categories = ?, top_category = ?,
	rulebook_version = ?, assignee_id = ?, unit = ?, routing_reasons = ?, escalation_level = ?,
	outcome = ?, resolution_note = ?, created_at = ?, updated_at = ?, ack_due_at = ?,
	resolve_due_at = ?, acknowledged_at = ?, resolved_at = ?, withdrawn_at = ?,
	next_action_at = ?, reminders = ?, escalate_at = ?,
	version = version + 1
	WHERE id = ? AND version = ?`

// UpdateCase writes every field of c but ID, if the stored version is still
// read. The version check is in the UPDATE itself, so of two transactions
// that read the same version exactly one changes the row: on PostgreSQL the
// second waits for the first's row lock and then finds the version moved on.
func (t *txn) UpdateCase(ctx context.Context, c *cases.Case, read int) error {
	vals, err := caseValues(c)
	if err != nil {
		return fault.Wrap(err, fault.InternalError)
	}
	res, err := t.tx.ExecContext(ctx, t.s.rebind(updateCaseSQL), append(vals, int64(c.ID), read)...)
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		var one int
		err := t.tx.QueryRowxContext(ctx, t.s.rebind(`SELECT 1 FROM cases WHERE id = ?`), int64(c.ID)).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fault.E(fault.CaseNotFound, c.ID.String())
		case err != nil:
			return mapErr(err)
		}
		return fault.E(fault.VersionConflict, c.ID.String())
	}
	c.Version = read + 1
	return nil
}

func (t *txn) AppendEvent(ctx context.Context, e *cases.Event) error {
	if e.At.IsZero() {
		return fault.Wrap(errors.New("sqlstore: AppendEvent needs At"), fault.InternalError)
	}
	var detail sql.NullString
	if len(e.Detail) > 0 {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return fault.Wrap(err, fault.InternalError)
		}
		detail = sql.NullString{String: string(b), Valid: true}
	}
	var id int64
	err := t.tx.QueryRowxContext(ctx, t.s.rebind(`INSERT INTO case_events (case_id, at, actor_id, kind, detail)
		VALUES (?, ?, ?, ?, ?) RETURNING id`),
		int64(e.CaseID), millis(e.At), nullID(e.ActorID), string(e.Kind), detail).Scan(&id)
	if err != nil {
		return mapErr(err)
	}
	e.ID = id
	return nil
}

// Enqueue adds m to the outbox. An empty Status is pending and a zero
// NextAttemptAt is CreatedAt (send at once); m is updated to match.
func (t *txn) Enqueue(ctx context.Context, m *cases.Message) error {
	if m.CreatedAt.IsZero() {
		return fault.Wrap(errors.New("sqlstore: Enqueue needs CreatedAt"), fault.InternalError)
	}
	if m.Status == "" {
		m.Status = cases.DeliveryPending
	}
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = m.CreatedAt
	}
	var id int64
	err := t.tx.QueryRowxContext(ctx, t.s.rebind(`INSERT INTO outbox (case_id, kind, recipient_id,
		channel, text, status, attempts, next_attempt_at, created_at, sent_at, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		nullID(int64(m.CaseID)), string(m.Kind), nullID(m.RecipientID), m.Channel, m.Text,
		string(m.Status), m.Attempts, millis(m.NextAttemptAt), millis(m.CreatedAt),
		millis(m.SentAt), m.LastError).Scan(&id)
	if err != nil {
		return mapErr(err)
	}
	m.ID = id
	return nil
}

// getCase reads one case through q: the read pool or a transaction.
func (s *Store) getCase(ctx context.Context, q sqlx.QueryerContext, id cases.ID) (cases.Case, error) {
	var row caseRow
	err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT `+caseColumns+` FROM cases WHERE id = ?`), int64(id))
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, s.caseGone(ctx, q, id) // CaseNotFound, or CaseDisposed (retention.go)
	}
	if err != nil {
		return cases.Case{}, mapErr(err)
	}
	c, err := row.toCase()
	if err != nil {
		return cases.Case{}, fault.Wrap(fmt.Errorf("sqlstore: %w", err), fault.InternalError)
	}
	return c, nil
}
