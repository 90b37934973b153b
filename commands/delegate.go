package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/routing"
)

// maxDelegationDays bounds how far ahead a delegation may end.
const maxDelegationDays = 366

// delegate answers "/report delegate <person> until YYYY-MM-DD" and
// "/report delegate off". Dates are ISO dates only; the delegation lasts to
// the end of that day in the routing rules' time zone (UTC by default).
func (h *Handler) delegate(ctx context.Context, actor directory.Person, rest string, mentions MentionResolver) (string, error) {
	args := strings.Fields(rest)
	off := len(args) == 1 && strings.EqualFold(args[0], "off")
	if !off && (len(args) != 3 || !strings.EqualFold(args[1], "until")) {
		return "", fault.E(fault.DelegateUsage)
	}
	if err := h.mayDelegate(ctx, actor); err != nil {
		return "", err
	}
	now := h.now().UTC().Truncate(time.Millisecond)
	if off {
		had := false
		err := h.inDelegationTx(ctx, now, func(store routing.DelegationStore, tell func(int64, string) error) error {
			d, active, err := store.Delegation(ctx, actor.ID, now)
			if err != nil {
				return err
			}
			if _, err := store.ClearDelegation(ctx, actor.ID); err != nil || !active {
				return err // an expired delegation is removed all the same
			}
			had = true
			return tell(d.DelegateID, fmt.Sprintf("%s is back: your delegation for them has ended, and their new cases go to them again.", actor.Name))
		})
		switch {
		case err != nil:
			return "", err
		case !had:
			return "", fault.E(fault.NoDelegation)
		}
		return "Welcome back: your delegation has ended, and new cases come to you again.", nil
	}
	to, err := h.delegatePerson(ctx, args[0], mentions)
	if err != nil {
		return "", err
	}
	switch {
	case to.ID == actor.ID:
		return "", fault.E(fault.DelegateSelf)
	case !to.Active:
		return "", fault.E(fault.PersonInactive, to.Email)
	}
	loc := h.cases.Location()
	day, err := time.ParseInLocation(time.DateOnly, args[2], loc)
	if err != nil {
		return "", fault.E(fault.BadDate, args[2])
	}
	until := routing.EndOfDay(day, loc)
	if !until.After(now) {
		return "", fault.E(fault.DateInPast, day.Format(time.DateOnly))
	}
	if until.After(now.AddDate(0, 0, maxDelegationDays)) {
		return "", fault.E(fault.DateTooFar, maxDelegationDays)
	}
	err = h.inDelegationTx(ctx, now, func(store routing.DelegationStore, tell func(int64, string) error) error {
		before, had, err := store.Delegation(ctx, actor.ID, now)
		if err != nil {
			return err
		}
		if err := store.SetDelegation(ctx, routing.Delegation{PersonID: actor.ID, DelegateID: to.ID, Until: until, CreatedAt: now}); err != nil {
			return err
		}
		if had && before.DelegateID != to.ID {
			msg := fmt.Sprintf("%s named %s their delegate instead of you: their new cases no longer come to you.", actor.Name, to.Name)
			if err := tell(before.DelegateID, msg); err != nil {
				return err
			}
		}
		return tell(to.ID, fmt.Sprintf("%s named you their delegate until the end of %s (%s): new cases routed to them come to you instead, "+
			"and so do escalations and reminders that would reach them. Cases already with them stay with them.",
			actor.Name, day.Format(time.DateOnly), loc))
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Until the end of %s (%s), new cases routed to you go to %s instead, and so do escalations that reach you; %s has been told. "+
		"Cases already with you stay with you; reassign any that can't wait. Type /report delegate off when you are back.",
		day.Format(time.DateOnly), loc, to.Name, to.Name), nil
}

// inDelegationTx changes delegations in one transaction with the messages
// that tell the delegate (tell enqueues one), so that a delegate is never
// named without being told.
func (h *Handler) inDelegationTx(ctx context.Context, now time.Time, fn func(routing.DelegationStore, func(int64, string) error) error) error {
	return h.store.InTx(ctx, func(tx cases.Tx) error {
		store, ok := tx.(routing.DelegationStore)
		if !ok {
			return fault.Wrap(fmt.Errorf("commands: the store keeps no delegations"), fault.InternalError)
		}
		tell := func(to int64, text string) error {
			return tx.Enqueue(ctx, &cases.Message{Kind: cases.MsgDelegation, RecipientID: to, Text: text, CreatedAt: now})
		}
		return fn(store, tell)
	})
}

// mayDelegate: supervisors (someone active reports to them) and compliance
// leads may name a delegate.
func (h *Handler) mayDelegate(ctx context.Context, actor directory.Person) error {
	if !actor.Active {
		return fault.E(fault.UnknownPerson, actor.Email)
	}
	if actor.Has(directory.RoleCompliance) {
		return nil
	}
	all, err := h.people.People(ctx)
	if err != nil {
		return err
	}
	for _, p := range all {
		if p.SupervisorID == actor.ID && p.Active {
			return nil
		}
	}
	return fault.E(fault.DelegatorOnly)
}

// delegatePerson resolves the delegate: a platform mention, or a plain
// e-mail address.
func (h *Handler) delegatePerson(ctx context.Context, token string, mentions MentionResolver) (directory.Person, error) {
	if mentions != nil {
		if p, ok := mentions(ctx, token); ok {
			return p, nil
		}
	}
	if email := strings.TrimPrefix(token, "@"); strings.Contains(email, "@") {
		p, err := h.people.PersonByEmail(ctx, email)
		if err == nil || !fault.Is(err, fault.PersonNotFound) {
			return p, err
		}
	}
	return directory.Person{}, fault.E(fault.PersonNotFound, token)
}
