package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/routing"
)

// routeConfig is what ROUTING_FILE and out-of-office delegation add to a
// service: set with UseRules, UseSeverities and UseDelegations.
type routeConfig struct {
	rules       *routing.Rules // nil: the service's fixed deadlines, nobody extra
	severityOf  func(categoryID string) string
	delegations routing.Delegations // nil: the store's, when it keeps them
	noDelegates bool
	// complianceChannel is COMPLIANCE_CHANNEL ("slack:C…"), "" for none.
	complianceChannel string
}

// UseComplianceChannel names the channel (COMPLIANCE_CHANNEL, e.g.
// "slack:C123") that escalation notices go to besides the compliance leads.
// Call it before the service is used.
func (s *Service) UseComplianceChannel(channel string) { s.routes.complianceChannel = channel }

// UseRules makes the service take time limits, extra recipients, working
// hours and the time zone from ROUTING_FILE's rules. Call it before the
// service is used.
func (s *Service) UseRules(r *routing.Rules) { s.routes.rules = r }

// UseSeverities tells the service a category's severity (the rulebook's),
// for the rules' per-severity limits and recipients.
func (s *Service) UseSeverities(f func(categoryID string) string) { s.routes.severityOf = f }

// UseDelegations sets where out-of-office delegations are read; nil turns
// delegation off. By default the store's are used when it keeps them.
func (s *Service) UseDelegations(d routing.Delegations) {
	s.routes.delegations, s.routes.noDelegates = d, d == nil
}

// Rules are the routing rules in use (the built-in defaults when none were
// set).
func (s *Service) Rules() *routing.Rules { return s.routes.rules }

// Location is the time zone of the rules (UTC by default).
func (s *Service) Location() *time.Location { return s.routes.rules.Location() }

func (s *Service) delegations() routing.Delegations {
	if s.routes.noDelegates {
		return nil
	}
	if s.routes.delegations != nil {
		return s.routes.delegations
	}
	d, _ := s.store.(routing.Delegations)
	return d
}

// routeOptions are routing's options as of now: delegations honoured.
func (s *Service) routeOptions(now time.Time) []routing.Option {
	d := s.delegations()
	if d == nil {
		return nil
	}
	return []routing.Option{routing.WithDelegations(d, now, s.Location())}
}

// severity is the severity of a case's top category, "" when unknown.
func (s *Service) severity(c Case) string {
	if s.routes.severityOf == nil || c.TopCategory() == "" {
		return ""
	}
	return s.routes.severityOf(c.TopCategory())
}

// DeadlinesFor is the time limits of a case: the rules' for its top
// category and severity when rules are set, else the service's deadlines.
func (s *Service) DeadlinesFor(c Case) routing.Deadlines {
	if s.routes.rules == nil {
		return s.deadlines
	}
	return s.routes.rules.DeadlinesFor(c.TopCategory(), s.severity(c))
}

// Due is when a limit of d from now falls due, moved into working hours
// when the rules set them.
func (s *Service) Due(now time.Time, d time.Duration) time.Time {
	return s.routes.rules.Due(now, d)
}

// setDue sets a case's acknowledgement and resolution deadlines from now.
func (s *Service) setDue(c *Case, now time.Time) {
	d := s.DeadlinesFor(*c)
	c.AckDueAt, c.ResolveDueAt = s.Due(now, d.Acknowledge), s.Due(now, d.Resolve)
}

// extraRecipients are the messages the rules owe on a new case, one to
// each extra recipient of its category and severity, without CaseID and
// Text (set by extraText once the case has its ID). They are resolved before
// the filing transaction. An e-mail the directory does not know (checked at
// start, so only after a later directory change) is logged and skipped: the
// case itself still reaches its assignee.
func (s *Service) extraRecipients(ctx context.Context, c Case, assignee directory.Person) ([]Message, error) {
	var out []Message
	for _, r := range s.routes.rules.ExtraRecipients(c.TopCategory(), s.severity(c)) {
		m := Message{Kind: MsgCompliance, Status: DeliveryPending, NextAttemptAt: c.CreatedAt, CreatedAt: c.CreatedAt}
		if r.Channel != "" {
			m.Channel = r.Channel
		} else {
			p, err := s.people.PersonByEmail(ctx, r.Email)
			if fault.Is(err, fault.PersonNotFound) || (err == nil && !p.Active) {
				s.log.Warn("routing rules name a recipient who is not in the directory", "recipient", r.Email)
				continue
			}
			if err != nil {
				return nil, err
			}
			if p.ID == assignee.ID || p.ID == c.SubjectID || p.ID == c.ReporterID {
				continue // the assignee has the card; the subject must not learn of it
			}
			m.RecipientID = p.ID
		}
		out = append(out, m)
	}
	return out, nil
}

// extraText is the notice to the rules' extra recipients.
func (s *Service) extraText(c Case, assignee directory.Person) string {
	cat := "not classified"
	if c.TopCategory() != "" {
		cat = "§" + c.TopCategory()
	}
	if sev := s.severity(c); sev != "" {
		cat += ", " + sev + " severity"
	}
	return fmt.Sprintf("New report %s (%s) was filed and is with %s. The routing rules copy you on these reports (IHSC Directive 01-22 §4-7).",
		c.ID, cat, assignee.Name)
}
