package routing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// People is what routing reads of the directory.
type People interface {
	Person(ctx context.Context, id int64) (directory.Person, error)
	People(ctx context.Context) ([]directory.Person, error)
}

// Deadlines says how long the assignee has to act. ROUTING_FILE (Rules)
// sets them per category and severity; these are the built-in defaults.
type Deadlines struct {
	Acknowledge time.Duration // remind the assignee after this
	Resolve     time.Duration // remind about an acknowledged case after this
	// Escalate is when an unacknowledged case goes up the chain and to
	// compliance; RemindEvery and RemindResolveEvery bound how often the
	// assignee is reminded before acknowledging and before resolving.
	Escalate           time.Duration
	RemindEvery        time.Duration
	RemindResolveEvery time.Duration
}

// DefaultDeadlines are the built-in time limits.
func DefaultDeadlines() Deadlines {
	return Deadlines{
		Acknowledge:        4 * time.Hour,
		Resolve:            10 * 24 * time.Hour,
		Escalate:           24 * time.Hour,
		RemindEvery:        4 * time.Hour,
		RemindResolveEvery: 48 * time.Hour,
	}
}

// Assignment is who gets a case and why.
type Assignment struct {
	Assignee directory.Person
	Reasons  []string
}

// maxChain bounds a walk up the supervisor chain; the directory refuses
// cycles, this guards against a store that holds one anyway.
const maxChain = 64

// Route finds who should receive a new case from reporter about subject
// (nil when nobody was named): the first active person up the reporter's
// chain who is not the subject, else a compliance lead.
// With WithDelegations, an assignee who is away is replaced by their
// delegate (delegate.go).
func Route(ctx context.Context, people People, reporter directory.Person, subject *directory.Person, opts ...Option) (Assignment, error) {
	a, err := up(ctx, people, reporter, subject, "the reporter's supervisor", nil)
	if err != nil {
		return Assignment{}, err
	}
	return options(opts).honour(ctx, people, a, subject, &reporter, nil)
}

// Escalate finds who is next above the current assignee: their supervisor,
// skipping the subject and people who have left, else a compliance lead
// other than the current assignee.
func Escalate(ctx context.Context, people People, assignee directory.Person, subject *directory.Person, opts ...Option) (Assignment, error) {
	a, err := up(ctx, people, assignee, subject, fmt.Sprintf("the supervisor of %s", assignee.Name), &assignee)
	if err != nil {
		return Assignment{}, err
	}
	return options(opts).honour(ctx, people, a, subject, nil, &assignee)
}

func up(ctx context.Context, people People, from directory.Person, subject *directory.Person, first string, avoid *directory.Person) (Assignment, error) {
	var a Assignment
	cur := from
	role := first
	for range maxChain {
		if cur.SupervisorID == 0 {
			break
		}
		next, err := people.Person(ctx, cur.SupervisorID)
		if fault.Is(err, fault.PersonNotFound) {
			a.Reasons = append(a.Reasons, fmt.Sprintf("%s is not in the directory", role))
			break
		}
		if err != nil {
			return Assignment{}, err
		}
		switch {
		case subject != nil && next.ID == subject.ID:
			a.Reasons = append(a.Reasons, fmt.Sprintf("%s, %s, is the person the report is about, so it went one level up", role, next.Name))
		case !next.Active:
			a.Reasons = append(a.Reasons, fmt.Sprintf("%s, %s, has left the directory, so it went one level up", role, next.Name))
		default:
			a.Assignee = next
			a.Reasons = append(a.Reasons, fmt.Sprintf("%s is %s", role, next.Name))
			return a, nil
		}
		cur = next
		role = "the next supervisor up"
	}
	lead, err := complianceLead(ctx, people, subject, avoid, from)
	if err != nil {
		return Assignment{}, err
	}
	a.Assignee = lead
	a.Reasons = append(a.Reasons, fmt.Sprintf("nobody further up the chain can take it, so it went to compliance (%s)", lead.Name))
	return a, nil
}

// complianceLead picks the first active compliance lead, in e-mail order,
// who is neither the subject nor the person being escalated past; the
// reporter is a last resort.
func complianceLead(ctx context.Context, people People, subject, avoid *directory.Person, from directory.Person) (directory.Person, error) {
	all, err := people.People(ctx)
	if err != nil {
		return directory.Person{}, err
	}
	var fallback *directory.Person
	for i, p := range all {
		if !p.Active || !p.Has(directory.RoleCompliance) {
			continue
		}
		if (subject != nil && p.ID == subject.ID) || (avoid != nil && p.ID == avoid.ID) {
			continue
		}
		if p.ID == from.ID {
			fallback = &all[i]
			continue
		}
		return p, nil
	}
	if fallback != nil {
		return *fallback, nil
	}
	return directory.Person{}, fault.Wrap(errors.New("no active compliance lead"), fault.NoRoute)
}
