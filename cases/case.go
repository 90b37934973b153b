package cases

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Status is where a case stands (INTERFACES.md, "Cases").
type Status string

const (
	StatusOpen         Status = "open"         // filed; nobody has acted yet
	StatusAcknowledged Status = "acknowledged" // the assignee has taken it up
	StatusResolved     Status = "resolved"     // closed with an outcome and a note
	StatusWithdrawn    Status = "withdrawn"    // withdrawn by the reporter before resolution
)

// Statuses lists every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusOpen, StatusAcknowledged, StatusResolved, StatusWithdrawn}
}

// Closed reports whether nothing more is owed on a case in this status.
func (s Status) Closed() bool { return s == StatusResolved || s == StatusWithdrawn }

// Outcome is how a case was resolved.
type Outcome string

const (
	OutcomeViolationConfirmed Outcome = "violation_confirmed"
	OutcomeNoViolation        Outcome = "no_violation"
	OutcomeReferred           Outcome = "referred"
	OutcomeDuplicate          Outcome = "duplicate"
)

// Outcomes lists every outcome.
func Outcomes() []Outcome {
	return []Outcome{OutcomeViolationConfirmed, OutcomeNoViolation, OutcomeReferred, OutcomeDuplicate}
}

// ParseOutcome accepts an outcome's name in any case, with spaces or dashes
// for underscores.
func ParseOutcome(s string) (Outcome, bool) {
	s = strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.TrimSpace(s)))
	for _, o := range Outcomes() {
		if string(o) == s {
			return o, true
		}
	}
	return "", false
}

// ID is a case's number; people see it as CASE-<n>.
type ID int64

func (id ID) String() string { return "CASE-" + strconv.FormatInt(int64(id), 10) }

// ParseRef reads "CASE-12", "case-12", "case 12", "#12" or "12".
func ParseRef(s string) (ID, bool) {
	s = strings.TrimSpace(strings.ToUpper(s))
	s = strings.TrimPrefix(s, "#")
	if rest, ok := strings.CutPrefix(s, "CASE"); ok {
		s = strings.TrimLeft(rest, "-_ #")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || fmt.Sprint(n) != strings.TrimLeft(s, "+") {
		return 0, false
	}
	return ID(n), true
}

// Category is one directive paragraph the classifier put a report in.
type Category struct {
	ID    string  `json:"id"`
	Title string  `json:"title"`
	Score float64 `json:"score"`
	// Evidence holds the words that led to the category, as found in the
	// description (after redaction).
	Evidence []string `json:"evidence,omitempty"`
	// Named is true when the reporter chose this category on the report
	// form. A named category comes first: the reporter saw the posting,
	// the classifier only reads their description of it.
	Named bool `json:"named,omitempty"`
}

// Case is one report and everything done about it.
type Case struct {
	ID         ID
	Status     Status
	ReporterID int64
	// SubjectID is the person the report is about, 0 when none was named.
	SubjectID int64
	// Link is the reported address, normalised; LinkKey identifies the
	// same page however it was written, to find related reports.
	Link    string
	LinkKey string
	// Description is the reporter's words with PII redacted (memo principle
	// 5); RedactedKinds says what kinds were taken out.
	Description   string
	RedactedKinds []string
	// Categories are the classifier's findings, best first; empty when it
	// found none ("not classified" when RulebookVersion is empty).
	Categories      []Category
	RulebookVersion string
	AssigneeID      int64
	// Unit is the reporter's unit when the report was filed, for summaries.
	Unit string
	// RoutingReasons say why the assignee got the case, in order.
	RoutingReasons []string
	// EscalationLevel counts how often the case went up the chain.
	EscalationLevel int
	Outcome         Outcome
	ResolutionNote  string
	// Version increases with every change; an update names the version it
	// read, so two people pressing at once cannot both win.
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	AckDueAt       time.Time
	ResolveDueAt   time.Time
	AcknowledgedAt time.Time
	ResolvedAt     time.Time
	WithdrawnAt    time.Time
	// NextActionAt is when the deadline worker next looks at the case (a
	// reminder or an escalation falls due); zero when nothing is owed
	// (closed cases). EscalateAt is when an unacknowledged case goes one
	// level up; zero unless the case is open. Reminders counts the
	// reminders the bot has sent about the case. See schedule.
	NextActionAt time.Time
	EscalateAt   time.Time
	Reminders    int
}

// TopCategory is the best category's ID, or "" when there is none.
func (c Case) TopCategory() string {
	if len(c.Categories) == 0 {
		return ""
	}
	return c.Categories[0].ID
}
