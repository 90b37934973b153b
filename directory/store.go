package directory

import (
	"context"
	"time"
)

// Store keeps the directory. Implementations return fault errors:
// PersonNotFound for a missing person, StoreUnavailable when the database
// cannot be reached.
type Store interface {
	// SyncPeople makes the stored directory match people, in one
	// transaction: people are created or updated by e-mail, supervisor links
	// are set from SupervisorEmail (people must be in an order where that
	// works, or the store resolves them after all are written), and stored
	// people not in the list are marked inactive. Their cases stay.
	SyncPeople(ctx context.Context, people []Person, now time.Time) (SyncResult, error)
	Person(ctx context.Context, id int64) (Person, error)
	PersonByEmail(ctx context.Context, email string) (Person, error)
	PersonByChatID(ctx context.Context, platform Platform, userID string) (Person, error)
	// People returns everyone, active or not, ordered by e-mail.
	People(ctx context.Context) ([]Person, error)
	// LinkChatID records a platform user ID found by e-mail, so the next
	// look-up needs no API call.
	LinkChatID(ctx context.Context, id int64, platform Platform, userID string) error
}

// SyncResult counts what a sync changed.
type SyncResult struct {
	Created, Updated, Unchanged, Deactivated int
}
