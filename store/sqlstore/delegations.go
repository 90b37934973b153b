package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/routing"
)

// The store keeps out-of-office delegations (routing.DelegationStore): one
// row per person away, replaced when set again.
var _ routing.DelegationStore = (*Store)(nil)

type delegationRow struct {
	PersonID   int64 `db:"person_id"`
	DelegateID int64 `db:"delegate_id"`
	Until      int64 `db:"until"`
	CreatedAt  int64 `db:"created_at"`
}

// SetDelegation records that d.PersonID's cases go to d.DelegateID until
// d.Until, replacing any delegation the person had. CreatedAt defaults to
// the store's clock.
func (s *Store) SetDelegation(ctx context.Context, d routing.Delegation) error {
	return s.setDelegation(ctx, s.w, d)
}

// ClearDelegation ends a person's delegation; false when there was none
// (an expired one counts as none, and is removed all the same).
func (s *Store) ClearDelegation(ctx context.Context, personID int64) (bool, error) {
	return s.clearDelegation(ctx, s.w, personID)
}

// The transaction keeps delegations too, so that setting one and telling
// the delegate (an outbox message) commit together.
var _ routing.DelegationStore = (*txn)(nil)

// SetDelegation is Store.SetDelegation within the transaction.
func (t *txn) SetDelegation(ctx context.Context, d routing.Delegation) error {
	return t.s.setDelegation(ctx, t.tx, d)
}

// ClearDelegation is Store.ClearDelegation within the transaction.
func (t *txn) ClearDelegation(ctx context.Context, personID int64) (bool, error) {
	return t.s.clearDelegation(ctx, t.tx, personID)
}

// Delegation is Store.Delegation as of the transaction.
func (t *txn) Delegation(ctx context.Context, personID int64, now time.Time) (routing.Delegation, bool, error) {
	return t.s.delegation(ctx, t.tx, personID, now)
}

func (s *Store) setDelegation(ctx context.Context, q sqlx.ExecerContext, d routing.Delegation) error {
	if d.PersonID == 0 || d.DelegateID == 0 || d.PersonID == d.DelegateID || d.Until.IsZero() {
		return fault.Wrap(fmt.Errorf("sqlstore: SetDelegation: bad delegation %+v", d), fault.InternalError)
	}
	created := d.CreatedAt
	if created.IsZero() {
		created = s.now()
	}
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO delegations (person_id, delegate_id, until, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET
		delegate_id = excluded.delegate_id, until = excluded.until, created_at = excluded.created_at`),
		d.PersonID, d.DelegateID, d.Until.UnixMilli(), created.UnixMilli())
	return mapErr(err)
}

func (s *Store) clearDelegation(ctx context.Context, q sqlx.QueryerContext, personID int64) (bool, error) {
	var until int64
	err := q.QueryRowxContext(ctx, s.rebind(`DELETE FROM delegations WHERE person_id = ? RETURNING until`), personID).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, mapErr(err)
	}
	return until > s.now().UnixMilli(), nil
}

// Delegation returns a person's delegation active at now; false when there
// is none or it has ended.
func (s *Store) Delegation(ctx context.Context, personID int64, now time.Time) (routing.Delegation, bool, error) {
	return s.delegation(ctx, s.r, personID, now)
}

func (s *Store) delegation(ctx context.Context, q sqlx.QueryerContext, personID int64, now time.Time) (routing.Delegation, bool, error) {
	var row delegationRow
	err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT person_id, delegate_id, until, created_at
		FROM delegations WHERE person_id = ? AND until > ?`), personID, now.UnixMilli())
	if errors.Is(err, sql.ErrNoRows) {
		return routing.Delegation{}, false, nil
	}
	if err != nil {
		return routing.Delegation{}, false, mapErr(err)
	}
	return routing.Delegation{
		PersonID: row.PersonID, DelegateID: row.DelegateID,
		Until: time.UnixMilli(row.Until).UTC(), CreatedAt: time.UnixMilli(row.CreatedAt).UTC(),
	}, true, nil
}
