package cases

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/links"
	"github.com/reportbot/reportbot/policy/pii"
	"github.com/reportbot/reportbot/routing"
)

// Limits on what people type (INTERFACES.md: descriptions are at most
// 4,000 characters).
const (
	MaxDescription = 4000
	MaxNote        = 2000
	// RelatedWindow is how far back reports of the same link are linked.
	RelatedWindow = 30 * 24 * time.Hour
)

// People is what the service reads of the directory.
type People interface {
	routing.People
	PersonByEmail(ctx context.Context, email string) (directory.Person, error)
}

// Service files cases and moves them through their states. It is safe for
// concurrent use.
type Service struct {
	store     Store
	people    People
	now       func() time.Time
	deadlines routing.Deadlines
	log       *slog.Logger
	routes    routeConfig // ROUTING_FILE and delegations (routingrules.go)
}

// NewService wires a service. now is the clock (tests move it by hand).
func NewService(store Store, people People, now func() time.Time, deadlines routing.Deadlines, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, people: people, now: now, deadlines: deadlines, log: log}
}

// Report is what a person files.
type Report struct {
	Reporter directory.Person
	// Subject is the person the report is about, nil when none was named.
	Subject *directory.Person
	// Link is the raw address typed, "" for none.
	Link string
	// Description is the reporter's own words, before redaction.
	Description string
	// Categories and RulebookVersion are the classifier's judgement of the
	// description; an empty version means the report was not classified.
	Categories      []Category
	RulebookVersion string
}

// Filed is the result of filing.
type Filed struct {
	Case     Case
	Assignee directory.Person
	// Related are earlier reports of the same link in the last 30 days.
	Related []Case
}

// CleanText makes typed text safe to store and show: valid UTF-8, no
// control characters but newlines and tabs, no bidirectional overrides
// (which can make text read differently from what it is), trimmed. Text
// that is only invisible characters becomes empty.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if strings.TrimFunc(s, invisible) == "" {
		return ""
	}
	return s
}

// invisible reports characters that show nothing: spaces, format characters
// (zero-width space, joiners) and combining marks on their own.
func invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me) || r == '\u3164' || r == '\u115F'
}

// File checks a report, routes it, and stores the case, its first event and
// the assignee's message in one transaction.
func (s *Service) File(ctx context.Context, r Report) (Filed, error) {
	desc := CleanText(r.Description)
	if n := utf8.RuneCountInString(desc); n > MaxDescription {
		return Filed{}, fault.E(fault.DescriptionLong, n, MaxDescription)
	}
	var link links.Link
	if raw := strings.TrimSpace(r.Link); raw != "" {
		var err error
		if link, err = links.Parse(raw); err != nil {
			return Filed{}, fault.E(fault.BadLink, clip(raw, 80))
		}
	}
	if desc == "" && link.URL == "" {
		return Filed{}, fault.E(fault.EmptyReport)
	}
	if !r.Reporter.Active {
		return Filed{}, fault.E(fault.UnknownPerson, r.Reporter.Email)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	assignment, err := routing.Route(ctx, s.people, r.Reporter, r.Subject, s.routeOptions(now)...)
	if err != nil {
		return Filed{}, err
	}
	findings := pii.Detect(desc)
	redacted := pii.Redact(desc, findings)
	c := Case{
		Status:          StatusOpen,
		ReporterID:      r.Reporter.ID,
		Link:            link.URL,
		LinkKey:         link.Key,
		Description:     redacted,
		RedactedKinds:   kinds(findings),
		Categories:      keepVisibleEvidence(r.Categories, redacted),
		RulebookVersion: r.RulebookVersion,
		AssigneeID:      assignment.Assignee.ID,
		Unit:            r.Reporter.Unit,
		RoutingReasons:  assignment.Reasons,
		CreatedAt:       now,
		UpdatedAt:       now,
	}
	s.setDue(&c, now)
	if r.Subject != nil {
		c.SubjectID = r.Subject.ID
	}
	s.schedule(&c, now)
	extras, err := s.extraRecipients(ctx, c, assignment.Assignee)
	if err != nil {
		return Filed{}, err
	}
	var related []Case
	if link.Key != "" {
		if related, err = s.store.RelatedByLink(ctx, link.Key, now.Add(-RelatedWindow), 0); err != nil {
			return Filed{}, err
		}
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.InsertCase(ctx, &c); err != nil {
			return err
		}
		detail := map[string]string{"assignee": assignment.Assignee.Email, "routing": strings.Join(assignment.Reasons, "; ")}
		if len(related) > 0 {
			detail["related"] = refs(related)
		}
		if err := tx.AppendEvent(ctx, &Event{CaseID: c.ID, At: now, ActorID: r.Reporter.ID, Kind: EventFiled, Detail: detail}); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, &Message{
			CaseID: c.ID, Kind: MsgAssigneeCase, RecipientID: assignment.Assignee.ID,
			Text:   fmt.Sprintf("New report %s needs your follow-up (IHSC Directive 01-22 §4-7).", c.ID),
			Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now,
		}); err != nil {
			return err
		}
		for i := range extras { // the routing rules' extra recipients, told at once
			m := extras[i]
			m.CaseID, m.Text = c.ID, s.extraText(c, assignment.Assignee)
			if err := tx.Enqueue(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Filed{}, err
	}
	s.log.Info("case filed", "case", c.ID.String(), "assignee", assignment.Assignee.ID, "category", c.TopCategory())
	return Filed{Case: c, Assignee: assignment.Assignee, Related: related}, nil
}

// keepVisibleEvidence drops evidence words that redaction removed: the
// stored case must not keep PII by another door.
func keepVisibleEvidence(cats []Category, redacted string) []Category {
	out := make([]Category, len(cats))
	for i, c := range cats {
		out[i] = c
		out[i].Evidence = nil
		for _, e := range c.Evidence {
			if strings.Contains(redacted, e) {
				out[i].Evidence = append(out[i].Evidence, e)
			}
		}
	}
	return out
}

func kinds(findings []pii.Finding) []string {
	var out []string
	seen := map[pii.Kind]bool{}
	for _, f := range findings {
		if !seen[f.Kind] {
			seen[f.Kind] = true
			out = append(out, string(f.Kind))
		}
	}
	return out
}

func refs(cs []Case) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.ID.String()
	}
	return strings.Join(parts, ", ")
}

// clip shortens s for quoting back in an error sentence.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
