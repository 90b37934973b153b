package cases

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/routing"
)

// change is one move of a case: what it needs, what it does, what it owes.
type change struct {
	verb string // as in "You can't <verb> CASE-n"
	// may says whether actor may make the move on c.
	may func(ctx context.Context, actor directory.Person, c Case) (bool, error)
	// from lists the statuses the move starts from; done is the past tense
	// for a repeat press ("acknowledged").
	from []Status
	done string
	// apply changes c and returns the event detail and the messages owed.
	apply func(ctx context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error)
}

// run makes a move: reads the case, checks who and what, and writes the
// change, its event and its messages in one transaction. The update names
// the version it read, so of two people pressing at once only one wins.
func (s *Service) run(ctx context.Context, id ID, actor directory.Person, ch change) (Case, error) {
	c, err := s.store.Case(ctx, id)
	if err != nil {
		return Case{}, err
	}
	ok, err := ch.may(ctx, actor, c)
	if err != nil {
		return Case{}, err
	}
	if !ok {
		if !s.mayView(ctx, actor, c) {
			return Case{}, fault.E(fault.NotYourCase, id.String())
		}
		return Case{}, fault.E(fault.NotAllowed, ch.verb, id.String())
	}
	if !statusIn(c.Status, ch.from) {
		if ch.done != "" && string(c.Status) == ch.done {
			return Case{}, fault.E(fault.AlreadyDone, id.String(), ch.done)
		}
		return Case{}, fault.E(fault.BadTransition, id.String(), c.Status, ch.done)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	read := c.Version
	kind, detail, msgs, err := ch.apply(ctx, &c, now)
	if err != nil {
		return Case{}, err
	}
	s.schedule(&c, now)
	if err := s.commit(ctx, &c, read, now, actor.ID, kind, detail, msgs); err != nil {
		return Case{}, err
	}
	s.log.Info("case changed", "case", c.ID.String(), "event", string(kind), "actor", actor.ID)
	return c, nil
}

// commit writes a changed case (if its stored version is still read), its
// event and the messages it owes in one transaction. actorID 0 is the bot.
func (s *Service) commit(ctx context.Context, c *Case, read int, now time.Time, actorID int64,
	kind EventKind, detail map[string]string, msgs []Message) error {
	c.UpdatedAt = now
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.UpdateCase(ctx, c, read); err != nil {
			return err
		}
		if err := tx.AppendEvent(ctx, &Event{CaseID: c.ID, At: now, ActorID: actorID, Kind: kind, Detail: detail}); err != nil {
			return err
		}
		for i := range msgs {
			m := msgs[i]
			m.CaseID, m.Status, m.NextAttemptAt, m.CreatedAt = c.ID, DeliveryPending, now, now
			if err := tx.Enqueue(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
}

func statusIn(s Status, list []Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Acknowledge records that the assignee (or someone above them, or
// compliance) has taken the case up.
func (s *Service) Acknowledge(ctx context.Context, id ID, actor directory.Person) (Case, error) {
	return s.run(ctx, id, actor, change{
		verb: "acknowledge", may: s.mayHandle, from: []Status{StatusOpen}, done: string(StatusAcknowledged),
		apply: func(_ context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error) {
			c.Status, c.AcknowledgedAt = StatusAcknowledged, now
			return EventAcknowledged, nil, []Message{
				{Kind: MsgCaseUpdate, RecipientID: c.AssigneeID, Text: fmt.Sprintf("%s acknowledged by %s.", c.ID, actor.Name)},
				{Kind: MsgReporterNotice, RecipientID: c.ReporterID, Text: fmt.Sprintf("Your report %s has been acknowledged and is being followed up.", c.ID)},
			}, nil
		},
	})
}

// Resolve closes the case with an outcome and a note. The reporter learns
// the outcome, not the note.
func (s *Service) Resolve(ctx context.Context, id ID, actor directory.Person, outcome Outcome, note string) (Case, error) {
	note = CleanText(note)
	if err := NoteError("resolve", id, note); err != nil {
		return Case{}, err
	}
	return s.run(ctx, id, actor, change{
		verb: "resolve", may: s.mayHandle, from: []Status{StatusOpen, StatusAcknowledged}, done: string(StatusResolved),
		apply: func(_ context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error) {
			c.Status, c.Outcome, c.ResolutionNote, c.ResolvedAt = StatusResolved, outcome, note, now
			if c.AcknowledgedAt.IsZero() {
				c.AcknowledgedAt = now // resolving acknowledges too
			}
			return EventResolved, map[string]string{"outcome": string(outcome), "note": note}, []Message{
				{Kind: MsgCaseUpdate, RecipientID: c.AssigneeID, Text: fmt.Sprintf("%s resolved by %s: %s.", c.ID, actor.Name, OutcomeText(outcome))},
				{Kind: MsgReporterNotice, RecipientID: c.ReporterID, Text: fmt.Sprintf("Your report %s has been resolved: %s. Thank you for reporting.", c.ID, OutcomeText(outcome))},
			}, nil
		},
	})
}

// Reassign gives the case to someone else, with a reason.
func (s *Service) Reassign(ctx context.Context, id ID, actor, to directory.Person, reason string) (Case, error) {
	reason = CleanText(reason)
	if err := NoteError("reassign", id, reason); err != nil {
		return Case{}, err
	}
	return s.run(ctx, id, actor, change{
		verb: "reassign", may: s.mayHandle, from: []Status{StatusOpen, StatusAcknowledged}, done: "",
		apply: func(_ context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error) {
			switch {
			case !to.Active:
				return "", nil, nil, fault.E(fault.PersonInactive, to.Email)
			case to.ID == c.AssigneeID:
				return "", nil, nil, fault.E(fault.SameAssignee, c.ID.String(), to.Name)
			case to.ID == c.SubjectID:
				return "", nil, nil, fault.E(fault.SelfAssign)
			}
			return s.moveTo(c, now, to, EventReassigned, reason, fmt.Sprintf("reassigned by %s: %s", actor.Name, reason))
		},
	})
}

// Escalate sends the case one level up from its assignee, or to compliance.
func (s *Service) Escalate(ctx context.Context, id ID, actor directory.Person, reason string) (Case, error) {
	reason = CleanText(reason)
	if err := NoteError("escalate", id, reason); err != nil {
		return Case{}, err
	}
	return s.run(ctx, id, actor, change{
		verb: "escalate", may: s.mayHandle, from: []Status{StatusOpen, StatusAcknowledged}, done: "",
		apply: func(ctx context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error) {
			next, err := s.nextUp(ctx, *c)
			if err != nil {
				return "", nil, nil, err
			}
			c.EscalationLevel++
			kind, detail, msgs, err := s.moveTo(c, now, next.Assignee, EventEscalated, reason,
				fmt.Sprintf("escalated by %s: %s; %s", actor.Name, reason, strings.Join(next.Reasons, "; ")))
			msgs = append(msgs, Message{Kind: MsgReporterNotice, RecipientID: c.ReporterID,
				Text: fmt.Sprintf("Your report %s has been escalated up the chain for follow-up.", c.ID)})
			return kind, detail, msgs, err
		},
	})
}

// nextUp finds who is above a case's assignee.
func (s *Service) nextUp(ctx context.Context, c Case) (routing.Assignment, error) {
	assignee, err := s.people.Person(ctx, c.AssigneeID)
	if err != nil {
		return routing.Assignment{}, err
	}
	var subject *directory.Person
	if c.SubjectID != 0 {
		if p, err := s.people.Person(ctx, c.SubjectID); err == nil {
			subject = &p
		}
	}
	return routing.Escalate(ctx, s.people, assignee, subject, s.routeOptions(s.now().UTC())...)
}

// moveTo hands the case to a new assignee with fresh deadlines.
func (s *Service) moveTo(c *Case, now time.Time, to directory.Person, kind EventKind, reason, routingNote string) (EventKind, map[string]string, []Message, error) {
	from := c.AssigneeID
	c.AssigneeID = to.ID
	c.RoutingReasons = append(c.RoutingReasons, routingNote)
	s.setDue(c, now)
	c.EscalateAt = time.Time{} // a new assignee: the escalation clock restarts (schedule)
	if c.Status == StatusAcknowledged {
		// The new assignee has not seen it yet.
		c.Status, c.AcknowledgedAt = StatusOpen, time.Time{}
	}
	return kind, map[string]string{"to": to.Email, "reason": reason}, []Message{
		{Kind: MsgCaseUpdate, RecipientID: from, Text: fmt.Sprintf("%s is now with %s.", c.ID, to.Name)},
		{Kind: MsgAssigneeCase, RecipientID: to.ID, Text: fmt.Sprintf("Report %s has been passed to you for follow-up: %s", c.ID, reason)},
	}, nil
}

// Withdraw lets the reporter take back a report before it is resolved.
func (s *Service) Withdraw(ctx context.Context, id ID, actor directory.Person) (Case, error) {
	return s.run(ctx, id, actor, change{
		verb: "withdraw", from: []Status{StatusOpen, StatusAcknowledged}, done: string(StatusWithdrawn),
		may: func(_ context.Context, actor directory.Person, c Case) (bool, error) {
			return actor.ID == c.ReporterID, nil
		},
		apply: func(_ context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error) {
			c.Status, c.WithdrawnAt = StatusWithdrawn, now
			return EventWithdrawn, nil, []Message{
				{Kind: MsgCaseUpdate, RecipientID: c.AssigneeID, Text: fmt.Sprintf("The reporter withdrew %s; nothing more is needed.", c.ID)},
			}, nil
		},
	})
}

// Reopen lets compliance reopen a resolved or withdrawn case.
func (s *Service) Reopen(ctx context.Context, id ID, actor directory.Person, reason string) (Case, error) {
	reason = CleanText(reason)
	if err := NoteError("reopen", id, reason); err != nil {
		return Case{}, err
	}
	return s.run(ctx, id, actor, change{
		verb: "reopen", from: []Status{StatusResolved, StatusWithdrawn}, done: string(StatusOpen),
		may: func(_ context.Context, actor directory.Person, _ Case) (bool, error) {
			return actor.Active && actor.Has(directory.RoleCompliance), nil
		},
		apply: func(_ context.Context, c *Case, now time.Time) (EventKind, map[string]string, []Message, error) {
			c.Status = StatusOpen
			c.Outcome, c.ResolutionNote = "", ""
			c.AcknowledgedAt, c.ResolvedAt, c.WithdrawnAt = time.Time{}, time.Time{}, time.Time{}
			s.setDue(c, now)
			return EventReopened, map[string]string{"reason": reason}, []Message{
				{Kind: MsgAssigneeCase, RecipientID: c.AssigneeID, Text: fmt.Sprintf("%s was reopened by compliance: %s", c.ID, reason)},
				{Kind: MsgReporterNotice, RecipientID: c.ReporterID, Text: fmt.Sprintf("Your report %s has been reopened for further follow-up.", c.ID)},
			}, nil
		},
	})
}

// NoteError says what is wrong with the cleaned note or reason typed to
// take action on case id — missing, or too long — or nil. The Service checks
// every move with it; forms use it to show the problem under the field.
func NoteError(action string, id ID, text string) error {
	switch {
	case text == "" && action == "resolve":
		return fault.E(fault.NoteRequired, id.String())
	case text == "":
		return fault.E(fault.ReasonRequired, action, id.String())
	}
	if n := utf8.RuneCountInString(text); n > MaxNote {
		return fault.E(fault.NoteTooLong, MaxNote, n)
	}
	return nil
}

// OutcomeText is an outcome in words.
func OutcomeText(o Outcome) string {
	switch o {
	case OutcomeViolationConfirmed:
		return "violation confirmed"
	case OutcomeNoViolation:
		return "no violation found"
	case OutcomeReferred:
		return "referred for further action"
	case OutcomeDuplicate:
		return "a duplicate of another report"
	}
	return string(o)
}
