package cases

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/routing"
)

// The deadline worker. Nothing is kept in memory: every case carries
// NextActionAt (when the bot next owes it something) and EscalateAt (when an
// unacknowledged case goes one level up). Tick reads the cases that are due
// through the store's index, acts on each with the same optimistic version
// check as a person's press, and writes the new NextActionAt with the
// change, so a restart, or several `bot serve` replicas ticking at once,
// neither lose nor repeat a reminder or an escalation.

// tickBatch bounds how many due cases one store read returns; tickBatches
// bounds how many reads one Tick makes, so a backlog is worked off over a
// few ticks rather than in one long pass.
const (
	tickBatch   = 200
	tickBatches = 10
)

// Built-in values for Deadlines fields left zero.
const (
	defaultEscalate           = 24 * time.Hour
	defaultRemindEvery        = 4 * time.Hour
	defaultRemindResolveEvery = 48 * time.Hour
)

// The intervals of a case come from the routing rules for its category and
// severity (ROUTING_FILE), else the service's deadlines, else the built-in
// values.

func (s *Service) escalateAfter(c Case) time.Duration {
	return orDefault(s.DeadlinesFor(c).Escalate, defaultEscalate)
}

func (s *Service) remindEvery(c Case) time.Duration {
	return orDefault(s.DeadlinesFor(c).RemindEvery, defaultRemindEvery)
}

func (s *Service) remindResolveEvery(c Case) time.Duration {
	return orDefault(s.DeadlinesFor(c).RemindResolveEvery, defaultRemindResolveEvery)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// schedule sets when the deadline worker next looks at c, after any change
// made at now:
//   - open: EscalateAt is the assignment time + Escalate (kept while the
//     assignee stays the same; code that assigns clears it first), and the
//     next action is the acknowledgement deadline or, once that has passed,
//     the next reminder (now + RemindEvery), never after EscalateAt;
//   - acknowledged: no escalation; the next action is the resolution
//     deadline or, once that has passed, now + RemindResolveEvery;
//   - resolved or withdrawn: nothing is due.
func (s *Service) schedule(c *Case, now time.Time) {
	switch c.Status {
	case StatusOpen:
		if c.EscalateAt.IsZero() {
			c.EscalateAt = now.Add(s.escalateAfter(*c))
		}
		next := c.AckDueAt
		if next.IsZero() || !next.After(now) {
			next = now.Add(s.remindEvery(*c))
		}
		c.NextActionAt = earliest(next, c.EscalateAt)
	case StatusAcknowledged:
		c.EscalateAt = time.Time{}
		next := c.ResolveDueAt
		if next.IsZero() || !next.After(now) {
			next = now.Add(s.remindResolveEvery(*c))
		}
		c.NextActionAt = next
	default:
		c.NextActionAt, c.EscalateAt = time.Time{}, time.Time{}
	}
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// TickResult counts what one Tick did.
type TickResult struct {
	Reminded  int // reminders sent (acknowledge or resolve)
	Escalated int // cases sent one level up
	// AtTop counts cases with nobody left above their assignee: compliance
	// was told and the case stays where it is.
	AtTop int
	// Skipped counts cases someone else changed first (a person, or
	// another replica's tick); they are looked at again when next due.
	Skipped int
}

// Tick reminds and escalates every case whose next action is due. It is
// safe to run in several processes at once: each change names the version
// of the case it read, and the loser of a race skips the case quietly.
// Errors on one case are logged and the rest go on; the first is returned.
func (s *Service) Tick(ctx context.Context) (TickResult, error) {
	var (
		res      TickResult
		firstErr error
		seen     = map[ID]bool{}
	)
	now := s.now().UTC().Truncate(time.Millisecond)
	for range tickBatches {
		due, err := s.store.CasesDue(ctx, now, tickBatch)
		if err != nil {
			return res, err
		}
		fresh := 0
		for _, c := range due {
			if seen[c.ID] {
				continue // failed earlier in this tick; left for the next one
			}
			seen[c.ID] = true
			fresh++
			err := s.chase(ctx, c, now, &res)
			switch {
			case fault.Is(err, fault.VersionConflict):
				res.Skipped++
			case err != nil:
				s.log.Error("deadline worker", "case", c.ID.String(), "err", err)
				if firstErr == nil {
					firstErr = err
				}
			}
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
		}
		if len(due) < tickBatch || fresh == 0 {
			break
		}
	}
	return res, firstErr
}

// chase does the one thing a due case needs: escalation, a reminder, or
// (when neither has fallen due, as after a deadline was moved) only a new
// NextActionAt.
func (s *Service) chase(ctx context.Context, c Case, now time.Time, res *TickResult) error {
	read := c.Version
	switch {
	case c.Status == StatusOpen && !c.EscalateAt.IsZero() && !now.Before(c.EscalateAt):
		return s.autoEscalate(ctx, c, read, now, res)
	case c.Status == StatusOpen && !now.Before(c.AckDueAt):
		c.Reminders++
		text := fmt.Sprintf("Reminder: %s has been waiting for you to acknowledge it since %s (IHSC Directive 01-22 §4-7). "+
			"If nobody acknowledges it, it goes one level up at %s.", c.ID, stamp(c.AckDueAt), stamp(c.EscalateAt))
		return s.remind(ctx, c, read, now, text, res)
	case c.Status == StatusAcknowledged && !now.Before(c.ResolveDueAt):
		c.Reminders++
		text := fmt.Sprintf("Reminder: %s is waiting to be resolved; it was due to be resolved by %s.", c.ID, stamp(c.ResolveDueAt))
		return s.remind(ctx, c, read, now, text, res)
	}
	// Nothing fell due: only correct NextActionAt, without an event.
	s.schedule(&c, now)
	if !c.NextActionAt.After(now) {
		c.NextActionAt = now.Add(s.remindEvery(c)) // never spin on a case
	}
	return s.store.InTx(ctx, func(tx Tx) error {
		c.UpdatedAt = now
		return tx.UpdateCase(ctx, &c, read)
	})
}

// remind sends the assignee a reminder and schedules the next one. When
// the assignee is away, the reminder goes to their delegate as well: the
// case was theirs before they left, and someone present must see it.
func (s *Service) remind(ctx context.Context, c Case, read int, now time.Time, text string, res *TickResult) error {
	s.schedule(&c, now)
	msgs := []Message{{Kind: MsgReminder, RecipientID: c.AssigneeID, Text: text}}
	if d := s.delegations(); d != nil {
		away, ok, err := d.Delegation(ctx, c.AssigneeID, now)
		if err != nil {
			return err
		}
		if ok && away.DelegateID != c.AssigneeID && away.DelegateID != c.SubjectID {
			msgs = append(msgs, Message{Kind: MsgReminder, RecipientID: away.DelegateID,
				Text: text + fmt.Sprintf(" You are receiving this because its assignee is away until %s and named you as their delegate.", away.LastDay(s.Location()))})
		}
	}
	err := s.commit(ctx, &c, read, now, 0, EventReminded, map[string]string{"reminder": strconv.Itoa(c.Reminders)}, msgs)
	if err == nil {
		res.Reminded++
	}
	return err
}

// autoEscalate sends an unacknowledged case one level up the chain and
// tells the new assignee, the old one, the reporter and compliance. With
// nobody left above the assignee (the top of the chain, or the case is
// already with a compliance lead), the case stays where it is, compliance
// is told, and the next escalation check is Escalate later: a case is
// never closed by the bot.
func (s *Service) autoEscalate(ctx context.Context, c Case, read int, now time.Time, res *TickResult) error {
	after := durationText(s.escalateAfter(c))
	reason := "not acknowledged within " + after
	assignee, err := s.people.Person(ctx, c.AssigneeID)
	if err != nil && !fault.Is(err, fault.PersonNotFound) {
		return err
	}
	var next routing.Assignment
	if err == nil && !assignee.Has(directory.RoleCompliance) {
		next, err = s.nextUp(ctx, c)
	} else {
		err = fault.Wrap(errors.New("the case is with compliance"), fault.NoRoute)
	}
	if err != nil && !fault.Is(err, fault.NoRoute) {
		return err
	}
	if err != nil { // nobody left above
		who := assignee.Name
		if who == "" {
			who = fmt.Sprintf("person #%d", c.AssigneeID)
		}
		c.EscalateAt = now.Add(s.escalateAfter(c))
		s.schedule(&c, now)
		msgs, err := s.complianceNotice(ctx, c, fmt.Sprintf(
			"%s has not been acknowledged by %s within %s and there is nobody further up the chain to send it to; "+
				"it stays with %s and needs compliance follow-up.", c.ID, who, after, who))
		if err != nil {
			return err
		}
		err = s.commit(ctx, &c, read, now, 0, EventEscalated,
			map[string]string{"reason": reason, "to": "compliance (notified; nobody further up the chain)"}, msgs)
		if err == nil {
			res.AtTop++
		}
		return err
	}
	from := assignee.Name
	c.EscalationLevel++
	kind, detail, msgs, err := s.moveTo(&c, now, next.Assignee, EventEscalated, reason,
		fmt.Sprintf("escalated by the bot: %s; %s", reason, strings.Join(next.Reasons, "; ")))
	if err != nil {
		return err
	}
	s.schedule(&c, now)
	msgs = append(msgs, Message{Kind: MsgReporterNotice, RecipientID: c.ReporterID,
		Text: fmt.Sprintf("Your report %s has been escalated up the chain for follow-up.", c.ID)})
	notice, err := s.complianceNotice(ctx, c, fmt.Sprintf(
		"%s was not acknowledged by %s within %s; it has been escalated to %s.", c.ID, from, after, next.Assignee.Name))
	if err != nil {
		return err
	}
	if err := s.commit(ctx, &c, read, now, 0, kind, detail, append(msgs, notice...)); err != nil {
		return err
	}
	res.Escalated++
	return nil
}

// complianceNotice is one MsgCompliance message for each active compliance
// lead but the person the report is about.
func (s *Service) complianceNotice(ctx context.Context, c Case, text string) ([]Message, error) {
	all, err := s.people.People(ctx)
	if err != nil {
		return nil, err
	}
	var msgs []Message
	for _, p := range all {
		if p.Active && p.Has(directory.RoleCompliance) && p.ID != c.SubjectID {
			msgs = append(msgs, Message{Kind: MsgCompliance, RecipientID: p.ID, Text: text})
		}
	}
	if ch := s.routes.complianceChannel; ch != "" {
		msgs = append(msgs, Message{Kind: MsgCompliance, Channel: ch, Text: text})
	}
	if len(msgs) == 0 {
		s.log.Warn("deadline worker: no compliance lead or channel to tell", "case", c.ID.String())
	}
	return msgs, nil
}

// stamp is a time as the bot writes it in messages.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// durationText is "24 hours", "10 days", "90 minutes".
func durationText(d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		if d == time.Hour {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}
