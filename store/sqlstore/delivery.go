package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/migrations"
)

var _ cases.Outbox = (*Store)(nil)

// outboxRow is one row of the outbox table.
type outboxRow struct {
	ID            int64          `db:"id"`
	CaseID        sql.NullInt64  `db:"case_id"`
	Kind          string         `db:"kind"`
	RecipientID   sql.NullInt64  `db:"recipient_id"`
	Channel       string         `db:"channel"`
	Text          string         `db:"text"`
	Status        string         `db:"status"`
	Attempts      int            `db:"attempts"`
	NextAttemptAt int64          `db:"next_attempt_at"`
	CreatedAt     int64          `db:"created_at"`
	SentAt        sql.NullInt64  `db:"sent_at"`
	LastError     string         `db:"last_error"`
	ClaimedBy     sql.NullString `db:"claimed_by"`
	ClaimedUntil  sql.NullInt64  `db:"claimed_until"`
	DeadLetterOf  sql.NullInt64  `db:"dead_letter_of"`
}

// outboxColumns are outboxRow's columns, for SELECT and RETURNING.
const outboxColumns = `id, case_id, kind, recipient_id, channel, text, status, attempts,
	next_attempt_at, created_at, sent_at, last_error, claimed_by, claimed_until, dead_letter_of`

func (r outboxRow) toMessage() cases.Message {
	return cases.Message{
		ID: r.ID, CaseID: cases.ID(r.CaseID.Int64), Kind: cases.MessageKind(r.Kind), RecipientID: r.RecipientID.Int64,
		Channel: r.Channel, Text: r.Text, Status: cases.DeliveryStatus(r.Status), Attempts: r.Attempts,
		NextAttemptAt: time.UnixMilli(r.NextAttemptAt).UTC(), CreatedAt: time.UnixMilli(r.CreatedAt).UTC(),
		SentAt: fromMillis(r.SentAt), LastError: r.LastError,
		ClaimedBy: r.ClaimedBy.String, ClaimedUntil: fromMillis(r.ClaimedUntil), DeadLetterOf: r.DeadLetterOf.Int64,
	}
}

func toMessages(rows []outboxRow) []cases.Message {
	out := make([]cases.Message, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	// RETURNING promises no order: oldest first, as the claim chose them.
	slices.SortFunc(out, func(a, b cases.Message) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out
}

// DueMessages returns pending messages due by now, oldest first, claimed or
// not, without claiming them: for a single process (the console, tests).
// Replicas use Claim.
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]cases.Message, error) {
	var rows []outboxRow
	err := s.r.SelectContext(ctx, &rows, s.rebind(`SELECT `+outboxColumns+` FROM outbox
		WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
		string(cases.DeliveryPending), now.UnixMilli(), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	return toMessages(rows), nil
}

// The claim: one statement that picks the due rows nobody holds and marks
// them held. On PostgreSQL the inner SELECT locks the rows it picks and skips
// rows another claim has locked (FOR UPDATE SKIP LOCKED), so concurrent
// claims take disjoint rows without waiting on each other; a row whose claim
// another transaction just committed is re-checked against the WHERE clause
// before it is taken. On SQLite the statement runs in an immediate
// transaction on the single writer, so claims simply take turns.
const (
	claimSelect = `SELECT id FROM outbox
		WHERE status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
		ORDER BY next_attempt_at, id LIMIT ?`
	claimSQL = `UPDATE outbox SET claimed_by = ?, claimed_until = ?
		WHERE id IN (` + claimSelect + `%s) RETURNING ` + outboxColumns
)

// Claim takes up to limit due messages that nobody holds and marks them held
// by owner until now+lease (cases.Outbox).
func (s *Store) Claim(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]cases.Message, error) {
	if owner == "" || lease <= 0 || limit <= 0 {
		return nil, fault.Wrap(fmt.Errorf("sqlstore: Claim needs an owner, a positive lease and a positive limit (got %q, %s, %d)", owner, lease, limit), fault.InternalError)
	}
	args := []any{owner, now.Add(lease).UnixMilli(), string(cases.DeliveryPending), now.UnixMilli(), now.UnixMilli(), limit}
	var rows []outboxRow
	if s.dialect == migrations.Postgres {
		q := s.rebind(fmt.Sprintf(claimSQL, " FOR UPDATE SKIP LOCKED"))
		if err := s.w.SelectContext(ctx, &rows, q, args...); err != nil {
			return nil, mapErr(err)
		}
		return toMessages(rows), nil
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		return mapErr(tx.SelectContext(ctx, &rows, s.rebind(fmt.Sprintf(claimSQL, "")), args...))
	})
	if err != nil {
		return nil, err
	}
	return toMessages(rows), nil
}

// Release clears owner's claims on the given pending messages (cases.Outbox).
func (s *Store) Release(ctx context.Context, owner string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	q, args, err := sqlx.In(`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL
		WHERE claimed_by = ? AND status = ? AND id IN (?)`, owner, string(cases.DeliveryPending), ids)
	if err != nil {
		return fault.Wrap(fmt.Errorf("sqlstore: %w", err), fault.InternalError)
	}
	_, err = s.w.ExecContext(ctx, s.rebind(q), args...)
	return mapErr(err)
}

// heldBy is the condition that owner may mark a pending row: it holds the
// claim, or for owner "" nobody does.
func heldBy(owner string) (string, []any) {
	if owner == "" {
		return `status = ? AND claimed_by IS NULL`, []any{string(cases.DeliveryPending)}
	}
	return `status = ? AND claimed_by = ?`, []any{string(cases.DeliveryPending), owner}
}

// MarkSent records a delivered message and clears its claim, if owner holds
// it; cases.ErrClaimLost otherwise.
func (s *Store) MarkSent(ctx context.Context, id int64, owner string, at time.Time) error {
	cond, condArgs := heldBy(owner)
	res, err := s.w.ExecContext(ctx, s.rebind(`UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1,
		claimed_by = NULL, claimed_until = NULL WHERE id = ? AND `+cond),
		append([]any{string(cases.DeliverySent), at.UnixMilli(), id}, condArgs...)...)
	return claimResult(res, err, id)
}

// MarkFailed records a failed attempt and clears the claim, if owner holds
// it (cases.ErrClaimLost otherwise); a dead message's notices are enqueued
// in the same transaction.
func (s *Store) MarkFailed(ctx context.Context, id int64, owner string, attempts int, next time.Time, lastErr string, dead bool, deadLetters ...cases.Message) error {
	status := cases.DeliveryPending
	if dead {
		status = cases.DeliveryDead
	}
	cond, condArgs := heldBy(owner)
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind(`UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,
			claimed_by = NULL, claimed_until = NULL WHERE id = ? AND `+cond),
			append([]any{string(status), attempts, next.UnixMilli(), lastErr, id}, condArgs...)...)
		if err := claimResult(res, err, id); err != nil || !dead {
			return err
		}
		for _, m := range deadLetters {
			if m.CreatedAt.IsZero() {
				return fault.Wrap(errors.New("sqlstore: a dead-letter notice needs CreatedAt"), fault.InternalError)
			}
			if m.NextAttemptAt.IsZero() {
				m.NextAttemptAt = m.CreatedAt
			}
			_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO outbox (case_id, kind, recipient_id, channel, text,
				status, attempts, next_attempt_at, created_at, last_error, dead_letter_of)
				VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, '', ?)`),
				nullID(int64(m.CaseID)), string(m.Kind), nullID(m.RecipientID), m.Channel, m.Text,
				string(cases.DeliveryPending), m.NextAttemptAt.UnixMilli(), m.CreatedAt.UnixMilli(), id)
			if err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// claimResult turns an UPDATE of one claimed row into nil, the store's
// error, or cases.ErrClaimLost when no row matched.
func claimResult(res sql.Result, err error, id int64) error {
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: message %d: %w", id, cases.ErrClaimLost)
	}
	return nil
}
