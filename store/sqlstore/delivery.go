package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/reportbot/reportbot/cases"
)

var _ cases.Outbox = (*Store)(nil)

// outboxRow is one row of the outbox table.
type outboxRow struct {
	ID            int64         `db:"id"`
	CaseID        sql.NullInt64 `db:"case_id"`
	Kind          string        `db:"kind"`
	RecipientID   sql.NullInt64 `db:"recipient_id"`
	Channel       string        `db:"channel"`
	Text          string        `db:"text"`
	Status        string        `db:"status"`
	Attempts      int           `db:"attempts"`
	NextAttemptAt int64         `db:"next_attempt_at"`
	CreatedAt     int64         `db:"created_at"`
	SentAt        sql.NullInt64 `db:"sent_at"`
	LastError     string        `db:"last_error"`
}

func (r outboxRow) toMessage() cases.Message {
	return cases.Message{
		ID: r.ID, CaseID: cases.ID(r.CaseID.Int64), Kind: cases.MessageKind(r.Kind), RecipientID: r.RecipientID.Int64,
		Channel: r.Channel, Text: r.Text, Status: cases.DeliveryStatus(r.Status), Attempts: r.Attempts,
		NextAttemptAt: time.UnixMilli(r.NextAttemptAt).UTC(), CreatedAt: time.UnixMilli(r.CreatedAt).UTC(),
		SentAt: fromMillis(r.SentAt), LastError: r.LastError,
	}
}

// DueMessages returns pending messages due by now, oldest first. (Issue 6
// replaces this read with a claim that replicas can share.)
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]cases.Message, error) {
	var rows []outboxRow
	err := s.r.SelectContext(ctx, &rows, s.rebind(`SELECT id, case_id, kind, recipient_id, channel, text, status,
		attempts, next_attempt_at, created_at, sent_at, last_error FROM outbox
		WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
		string(cases.DeliveryPending), now.UnixMilli(), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]cases.Message, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

// MarkSent records a delivered message.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1 WHERE id = ?`),
		string(cases.DeliverySent), at.UnixMilli(), id)
	return mapErr(err)
}

// MarkFailed records a failed attempt and when to try again, or that the
// message is dead.
func (s *Store) MarkFailed(ctx context.Context, id int64, attempts int, next time.Time, lastErr string, dead bool) error {
	status := cases.DeliveryPending
	if dead {
		status = cases.DeliveryDead
	}
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`),
		string(status), attempts, next.UnixMilli(), lastErr, id)
	return mapErr(err)
}
