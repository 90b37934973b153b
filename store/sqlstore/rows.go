package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// Times are stored as unix milliseconds UTC; the zero time.Time is NULL.

func millis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMilli(n.Int64).UTC()
}

// sinceMillis is the lower bound for "filed since t": the zero time means
// since ever.
func sinceMillis(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixMilli()
}

// nullID stores a person or case reference; 0 means none.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// jsonList stores a slice as a JSON array; nil and empty are "[]".
func jsonList[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// parseList reads what jsonList wrote; an empty array reads as nil.
func parseList[T any](s string) ([]T, error) {
	if s == "" || s == "[]" || s == "null" {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return v, nil
}

// caseColumns is every column of cases, in caseRow's order.
const caseColumns = `id, status, reporter_id, subject_id, link, link_key, description,
	redacted_kinds, categories, top_category, rulebook_version, assignee_id, unit,
	routing_reasons, escalation_level, outcome, resolution_note, version,
	created_at, updated_at, ack_due_at, resolve_due_at, acknowledged_at, resolved_at, withdrawn_at,
	next_action_at, reminders, escalate_at`

// caseRow is a row of cases as scanned by sqlx.
type caseRow struct {
	ID              int64          `db:"id"`
	Status          string         `db:"status"`
	ReporterID      int64          `db:"reporter_id"`
	SubjectID       sql.NullInt64  `db:"subject_id"`
	Link            string         `db:"link"`
	LinkKey         string         `db:"link_key"`
	Description     string         `db:"description"`
	RedactedKinds   string         `db:"redacted_kinds"`
	Categories      string         `db:"categories"`
	TopCategory     string         `db:"top_category"`
	RulebookVersion string         `db:"rulebook_version"`
	AssigneeID      sql.NullInt64  `db:"assignee_id"`
	Unit            string         `db:"unit"`
	RoutingReasons  string         `db:"routing_reasons"`
	EscalationLevel int            `db:"escalation_level"`
	Outcome         sql.NullString `db:"outcome"`
	ResolutionNote  sql.NullString `db:"resolution_note"`
	Version         int            `db:"version"`
	CreatedAt       sql.NullInt64  `db:"created_at"`
	UpdatedAt       sql.NullInt64  `db:"updated_at"`
	AckDueAt        sql.NullInt64  `db:"ack_due_at"`
	ResolveDueAt    sql.NullInt64  `db:"resolve_due_at"`
	AcknowledgedAt  sql.NullInt64  `db:"acknowledged_at"`
	ResolvedAt      sql.NullInt64  `db:"resolved_at"`
	WithdrawnAt     sql.NullInt64  `db:"withdrawn_at"`
	NextActionAt    sql.NullInt64  `db:"next_action_at"`
	Reminders       int            `db:"reminders"`
	EscalateAt      sql.NullInt64  `db:"escalate_at"`
}

func (r caseRow) toCase() (cases.Case, error) {
	kinds, err := parseList[string](r.RedactedKinds)
	if err != nil {
		return cases.Case{}, fmt.Errorf("case %d: redacted_kinds: %w", r.ID, err)
	}
	cats, err := parseList[cases.Category](r.Categories)
	if err != nil {
		return cases.Case{}, fmt.Errorf("case %d: categories: %w", r.ID, err)
	}
	reasons, err := parseList[string](r.RoutingReasons)
	if err != nil {
		return cases.Case{}, fmt.Errorf("case %d: routing_reasons: %w", r.ID, err)
	}
	return cases.Case{
		ID:              cases.ID(r.ID),
		Status:          cases.Status(r.Status),
		ReporterID:      r.ReporterID,
		SubjectID:       r.SubjectID.Int64,
		Link:            r.Link,
		LinkKey:         r.LinkKey,
		Description:     r.Description,
		RedactedKinds:   kinds,
		Categories:      cats,
		RulebookVersion: r.RulebookVersion,
		AssigneeID:      r.AssigneeID.Int64,
		Unit:            r.Unit,
		RoutingReasons:  reasons,
		EscalationLevel: r.EscalationLevel,
		Outcome:         cases.Outcome(r.Outcome.String),
		ResolutionNote:  r.ResolutionNote.String,
		Version:         r.Version,
		CreatedAt:       fromMillis(r.CreatedAt),
		UpdatedAt:       fromMillis(r.UpdatedAt),
		AckDueAt:        fromMillis(r.AckDueAt),
		ResolveDueAt:    fromMillis(r.ResolveDueAt),
		AcknowledgedAt:  fromMillis(r.AcknowledgedAt),
		ResolvedAt:      fromMillis(r.ResolvedAt),
		WithdrawnAt:     fromMillis(r.WithdrawnAt),
		NextActionAt:    fromMillis(r.NextActionAt),
		Reminders:       r.Reminders,
		EscalateAt:      fromMillis(r.EscalateAt),
	}, nil
}

// caseValues are the values of every column but id and version, in
// caseColumns' order, for INSERT and UPDATE.
func caseValues(c *cases.Case) ([]any, error) {
	kinds, err := jsonList(c.RedactedKinds)
	if err != nil {
		return nil, err
	}
	cats, err := jsonList(c.Categories)
	if err != nil {
		return nil, err
	}
	reasons, err := jsonList(c.RoutingReasons)
	if err != nil {
		return nil, err
	}
	return []any{
		string(c.Status), c.ReporterID, nullID(c.SubjectID), c.Link, c.LinkKey, c.Description,
		kinds, cats, c.TopCategory(), c.RulebookVersion, nullID(c.AssigneeID), c.Unit,
		reasons, c.EscalationLevel, nullString(string(c.Outcome)), nullString(c.ResolutionNote),
		millis(c.CreatedAt), millis(c.UpdatedAt), millis(c.AckDueAt), millis(c.ResolveDueAt),
		millis(c.AcknowledgedAt), millis(c.ResolvedAt), millis(c.WithdrawnAt),
		millis(c.NextActionAt), c.Reminders, millis(c.EscalateAt),
	}, nil
}

// caseRows converts scanned rows.
func caseRows(rows []caseRow) ([]cases.Case, error) {
	out := make([]cases.Case, 0, len(rows))
	for _, r := range rows {
		c, err := r.toCase()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// eventRow is a row of case_events.
type eventRow struct {
	ID      int64          `db:"id"`
	CaseID  int64          `db:"case_id"`
	At      sql.NullInt64  `db:"at"`
	ActorID sql.NullInt64  `db:"actor_id"`
	Kind    string         `db:"kind"`
	Detail  sql.NullString `db:"detail"`
}

func (r eventRow) toEvent() (cases.Event, error) {
	e := cases.Event{
		ID:      r.ID,
		CaseID:  cases.ID(r.CaseID),
		At:      fromMillis(r.At),
		ActorID: r.ActorID.Int64,
		Kind:    cases.EventKind(r.Kind),
	}
	if r.Detail.Valid && r.Detail.String != "" {
		if err := json.Unmarshal([]byte(r.Detail.String), &e.Detail); err != nil {
			return cases.Event{}, fmt.Errorf("event %d: detail: %w", r.ID, err)
		}
	}
	return e, nil
}
