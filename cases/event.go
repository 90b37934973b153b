package cases

import "time"

// EventKind names what happened to a case.
type EventKind string

const (
	EventFiled        EventKind = "filed"
	EventAcknowledged EventKind = "acknowledged"
	EventResolved     EventKind = "resolved"
	EventReassigned   EventKind = "reassigned"
	EventEscalated    EventKind = "escalated"
	EventWithdrawn    EventKind = "withdrawn"
	EventReopened     EventKind = "reopened"
	EventReminded     EventKind = "reminded"
	EventLinked       EventKind = "linked" // a related report of the same link
)

// Event is one entry of a case's history. Events are only ever appended.
type Event struct {
	ID     int64
	CaseID ID
	At     time.Time
	// ActorID is the person who acted, 0 for the bot itself.
	ActorID int64
	Kind    EventKind
	// Detail holds what a person needs to read the entry: the outcome and
	// note, the new assignee and the reason, and so on.
	Detail map[string]string
}
