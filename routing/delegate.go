package routing

import (
	"context"
	"fmt"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// Delegation is a person's out-of-office delegate: while it lasts, cases
// routed to the person go to the delegate instead.
type Delegation struct {
	PersonID   int64
	DelegateID int64
	// Until is the end of the delegation (exclusive): the start of the day
	// after the last day away, in the rules' time zone.
	Until     time.Time
	CreatedAt time.Time
}

// Active reports whether the delegation still holds at now.
func (d Delegation) Active(now time.Time) bool { return now.Before(d.Until) }

// LastDay is the last day away as YYYY-MM-DD in loc (nil: UTC).
func (d Delegation) LastDay(loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return d.Until.Add(-time.Millisecond).In(loc).Format(time.DateOnly)
}

// Delegations reads delegations. Delegation returns a person's active
// delegation at now; false when there is none or it has expired.
type Delegations interface {
	Delegation(ctx context.Context, personID int64, now time.Time) (Delegation, bool, error)
}

// DelegationStore keeps delegations: one per person, replaced when set
// again. ClearDelegation reports whether there was one to clear.
type DelegationStore interface {
	Delegations
	SetDelegation(ctx context.Context, d Delegation) error
	ClearDelegation(ctx context.Context, personID int64) (bool, error)
}

// EndOfDay is the exclusive end of the given calendar day in loc (nil:
// UTC): the start of the next day.
func EndOfDay(day time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := day.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// Option changes how Route and Escalate choose.
type Option func(*routeOptions)

type routeOptions struct {
	delegations Delegations
	now         time.Time
	loc         *time.Location
}

// WithDelegations makes Route and Escalate honour out-of-office
// delegations active at now; dates in reasons are shown in loc (nil: UTC).
func WithDelegations(d Delegations, now time.Time, loc *time.Location) Option {
	return func(o *routeOptions) { o.delegations, o.now, o.loc = d, now, loc }
}

func options(opts []Option) routeOptions {
	var o routeOptions
	for _, f := range opts {
		f(&o)
	}
	if o.loc == nil {
		o.loc = time.UTC
	}
	return o
}

// honour hands a to the assignee's delegate when they have an active one.
// The delegate must be active and must not be the subject, the reporter
// (both would see a report about or by themselves) or the person being
// escalated past; otherwise the case stays, with a reason saying why. One
// hop only: a delegate's own delegation is not followed.
func (o routeOptions) honour(ctx context.Context, people People, a Assignment, subject, reporter, avoid *directory.Person) (Assignment, error) {
	if o.delegations == nil {
		return a, nil
	}
	d, ok, err := o.delegations.Delegation(ctx, a.Assignee.ID, o.now)
	if err != nil {
		return Assignment{}, err
	}
	if !ok || d.DelegateID == a.Assignee.ID {
		return a, nil
	}
	away := fmt.Sprintf("%s is away until %s", a.Assignee.Name, d.LastDay(o.loc))
	del, err := people.Person(ctx, d.DelegateID)
	if fault.Is(err, fault.PersonNotFound) {
		a.Reasons = append(a.Reasons, away+"; their delegate is not in the directory, so it stayed with them")
		return a, nil
	}
	if err != nil {
		return Assignment{}, err
	}
	var why string
	switch {
	case !del.Active:
		why = "has left the directory"
	case subject != nil && del.ID == subject.ID:
		why = "is the person the report is about"
	case reporter != nil && del.ID == reporter.ID:
		why = "filed the report"
	case avoid != nil && del.ID == avoid.ID:
		why = "is the person it is being escalated from"
	}
	if why != "" {
		a.Reasons = append(a.Reasons, fmt.Sprintf("%s; their delegate, %s, %s, so it stayed with them", away, del.Name, why))
		return a, nil
	}
	a.Reasons = append(a.Reasons, fmt.Sprintf("%s; their delegate is %s", away, del.Name))
	a.Assignee = del
	return a, nil
}
