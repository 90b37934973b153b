package cases

import (
	"context"
	"errors"
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
	// MsgDelegation tells a person they were named someone's delegate, or
	// that the delegation ended. It belongs to no case.
	MsgDelegation MessageKind = "delegation"
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
	// ClaimedBy and ClaimedUntil are the delivery worker holding the
	// message and until when (Outbox.Claim); empty when nobody does.
	ClaimedBy    string
	ClaimedUntil time.Time
	// DeadLetterOf is, on a notice telling compliance that a message could
	// not be delivered, the ID of that message; 0 on every other message.
	// The store sets it when MarkFailed enqueues dead-letter notices; a
	// notice with it set never gets a notice of its own.
	DeadLetterOf int64
}

// ErrClaimLost is MarkSent's and MarkFailed's error when the message is no
// longer claimed by the owner that marks it: its lease ran out and another
// worker claimed it, or it was already marked. Nothing was changed.
var ErrClaimLost = errors.New("the message is no longer claimed by this worker (its lease ran out and another worker took it, or it was already marked)")

// Outbox is the delivery side of the store. Delivery workers, one or more
// per database, claim due messages for a lease, send them, and record what
// became of them; only the worker holding a claim may record a result.
type Outbox interface {
	// Claim takes up to limit pending messages due by now that nobody holds
	// (never claimed, released, or whose claim ended before now), oldest
	// first, and marks them held by owner until now+lease. Two owners
	// claiming at once never get the same message.
	Claim(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]Message, error)
	// Release gives back messages owner claimed and did not start, so that
	// another worker can take them at once. Messages owner no longer holds
	// are left alone.
	Release(ctx context.Context, owner string, ids []int64) error
	// DueMessages returns pending messages whose next attempt is due, oldest
	// first, without claiming them (a single-process reader such as the
	// console, which then marks them with owner "").
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// MarkSent records a delivered message and clears its claim. owner must
	// still hold the claim ("" for a message nobody holds): otherwise
	// ErrClaimLost and nothing changes.
	MarkSent(ctx context.Context, id int64, owner string, at time.Time) error
	// MarkFailed records a failed attempt and clears the claim: when to try
	// again, or that the message is dead. When dead, deadLetters (notices
	// to compliance) are enqueued in the same transaction, each with
	// DeadLetterOf set to id. The owner rule and ErrClaimLost are MarkSent's.
	MarkFailed(ctx context.Context, id int64, owner string, attempts int, next time.Time, lastErr string, dead bool, deadLetters ...Message) error
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
