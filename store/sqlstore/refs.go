package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/reportbot/reportbot/cases"
)

var _ cases.MessageRefs = (*Store)(nil)

// SaveMessageRef records where a card was posted; a newer post replaces it.
func (s *Store) SaveMessageRef(ctx context.Context, r cases.MessageRef, at time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`INSERT INTO message_refs (case_id, person_id, platform, channel, message_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (case_id, person_id, platform)
		DO UPDATE SET channel = excluded.channel, message_id = excluded.message_id, updated_at = excluded.updated_at`),
		int64(r.CaseID), r.PersonID, r.Platform, r.Channel, r.MessageID, at.UnixMilli())
	return mapErr(err)
}

// MessageRef finds where a case's card was posted for a person.
func (s *Store) MessageRef(ctx context.Context, caseID cases.ID, personID int64, platform string) (cases.MessageRef, bool, error) {
	r := cases.MessageRef{CaseID: caseID, PersonID: personID, Platform: platform}
	err := s.r.QueryRowxContext(ctx, s.rebind(`SELECT channel, message_id FROM message_refs
		WHERE case_id = ? AND person_id = ? AND platform = ?`), int64(caseID), personID, platform).Scan(&r.Channel, &r.MessageID)
	if errors.Is(err, sql.ErrNoRows) {
		return cases.MessageRef{}, false, nil
	}
	if err != nil {
		return cases.MessageRef{}, false, mapErr(err)
	}
	return r, true, nil
}
