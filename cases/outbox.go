package cases

import (
	"context"
	"time"
)

// MessageKind names a message the bot owes someone.
type MessageKind string

const (
	// MsgAssigneeCase is the case card sent to whoever must act on it, and
	// refreshed in place as the case changes.
	MsgAssigneeCase MessageKind = "assignee_case"
	// MsgReporterNotice tells the reporter what happened to their report
	// (acknowledged, resolved with its outcome, escalated, withdrawn).
	MsgReporterNotice MessageKind = "reporter_notice"
	// MsgCaseUpdate asks the adapter to refresh a case card already sent.
	MsgCaseUpdate MessageKind = "case_update"
	// MsgCompliance goes to the compliance channel or leads.
	MsgCompliance MessageKind = "compliance"
	// MsgReminder nudges an assignee about a case that waits on them.
	MsgReminder MessageKind = "reminder"
)

// DeliveryStatus is where an outbox message stands.
type DeliveryStatus string

const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryDead    DeliveryStatus = "dead" // gave up; compliance is told
)

// Message is a row of the outbox: written in the same transaction as the
// change that owes it, sent later by the delivery worker.
type Message struct {
	ID     int64
	CaseID ID
	Kind   MessageKind
	// RecipientID is the person to message, 0 when Channel is set.
	RecipientID int64
	// Channel is a platform channel ("slack:C123"), for compliance notices.
	Channel string
	// Text is a plain summary for platforms and logs; adapters render the
	// case card from the case itself.
	Text          string
	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        time.Time
	LastError     string
}

// Outbox is the delivery side of the store: the worker reads messages that
// are due and records what became of them.
type Outbox interface {
	// DueMessages returns pending messages whose next attempt is due, oldest
	// first.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// MarkSent records a delivered message.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkFailed records a failed attempt: when to try again, or that the
	// message is dead.
	MarkFailed(ctx context.Context, id int64, attempts int, next time.Time, lastErr string, dead bool) error
}

// MessageRef is where a platform posted a case's card for one person, so
// that later changes update the card in place rather than post a new one.
type MessageRef struct {
	CaseID   ID
	PersonID int64
	Platform string
	// Channel and MessageID are the platform's own (Slack: channel and ts;
	// Mattermost: channel and post ID).
	Channel, MessageID string
}

// MessageRefs keeps message references.
type MessageRefs interface {
	// SaveMessageRef records or replaces the card of r's case, person and
	// platform.
	SaveMessageRef(ctx context.Context, r MessageRef, at time.Time) error
	// MessageRef finds the card of a case for a person on a platform; false
	// when none was recorded.
	MessageRef(ctx context.Context, caseID ID, personID int64, platform string) (MessageRef, bool, error)
}
