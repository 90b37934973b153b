package cases

import (
	"context"
	"time"
)

// Store keeps cases, their history and the outbox. Implementations return
// fault errors: CaseNotFound for a missing case, VersionConflict when an
// update's version is stale, StoreUnavailable when the database cannot be
// reached.
type Store interface {
	// InTx runs fn in one transaction; an error from fn rolls it back.
	InTx(ctx context.Context, fn func(Tx) error) error

	Case(ctx context.Context, id ID) (Case, error)
	// Events returns a case's history, oldest first.
	Events(ctx context.Context, id ID) ([]Event, error)
	// CasesByReporter returns a reporter's cases, newest first.
	CasesByReporter(ctx context.Context, reporterID int64, limit int) ([]Case, error)
	// CasesByAssignee returns the cases routed to a person that are still
	// open or acknowledged, oldest first.
	CasesByAssignee(ctx context.Context, assigneeID int64, limit int) ([]Case, error)
	// RelatedByLink returns cases of the same link key filed since the
	// given time, oldest first, without the case named by except.
	RelatedByLink(ctx context.Context, linkKey string, since time.Time, except ID) ([]Case, error)
	// CasesDue returns open and acknowledged cases whose NextActionAt is at
	// or before now, soonest first, at most limit of them (the deadline
	// worker's scan).
	CasesDue(ctx context.Context, now time.Time, limit int) ([]Case, error)
	// CasesSince returns every case filed since the given time, oldest first.
	CasesSince(ctx context.Context, since time.Time) ([]Case, error)
	// Summary counts the cases filed since the given time (zero: all).
	Summary(ctx context.Context, since, now time.Time) (Summary, error)
	// Ping reports whether the store is reachable and migrated.
	Ping(ctx context.Context) error
}

// Tx is the part of the store used inside one transaction.
type Tx interface {
	// Case reads a case as of this transaction.
	Case(ctx context.Context, id ID) (Case, error)
	// InsertCase stores a new case and sets its ID and Version (1).
	InsertCase(ctx context.Context, c *Case) error
	// UpdateCase writes c if the stored version is still read; it then
	// sets c.Version to read+1. Otherwise it returns VersionConflict.
	UpdateCase(ctx context.Context, c *Case, read int) error
	// AppendEvent adds to a case's history and sets e.ID.
	AppendEvent(ctx context.Context, e *Event) error
	// Enqueue adds a message to the outbox and sets m.ID.
	Enqueue(ctx context.Context, m *Message) error
}

// Summary is the compliance summary (INTERFACES.md, `bot summary`).
type Summary struct {
	Since      time.Time
	Total      int
	ByStatus   map[Status]int
	ByCategory map[string]int // top category of each case; "" for none
	ByUnit     map[string]int
	ByOutcome  map[Outcome]int
	// Overdue counts open cases past their acknowledgement deadline and
	// acknowledged cases past their resolution deadline, now, whenever they
	// were filed (Since does not bound it).
	Overdue int
	// Medians in seconds, nil when nothing was acknowledged or resolved.
	MedianSecondsToAcknowledge *int64
	MedianSecondsToResolve     *int64
}
