package routing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/routing"
)

// delegations is an in-memory routing.Delegations.
type delegations map[int64]routing.Delegation

func (d delegations) Delegation(_ context.Context, id int64, now time.Time) (routing.Delegation, bool, error) {
	x, ok := d[id]
	if !ok || !x.Active(now) {
		return routing.Delegation{}, false, nil
	}
	return x, true, nil
}

func TestRouteHonoursDelegation(t *testing.T) {
	ctx := context.Background()
	s := people()
	ana, ben, carla, frank := get(t, s, "ana@example.gov"), get(t, s, "ben@example.gov"), get(t, s, "carla@example.gov"), get(t, s, "frank@example.gov")
	until := routing.EndOfDay(time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), time.UTC)
	dels := delegations{ben.ID: {PersonID: ben.ID, DelegateID: frank.ID, Until: until}}

	// Active: the case goes to the delegate, and the reasons say why.
	a, err := routing.Route(ctx, s, ana, nil, routing.WithDelegations(dels, testTime, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if a.Assignee.Email != "frank@example.gov" {
		t.Errorf("assignee %s, want frank (reasons %q)", a.Assignee.Email, a.Reasons)
	}
	if got := strings.Join(a.Reasons, "; "); !strings.Contains(got, "Ben is away until 2026-12-24; their delegate is Frank") {
		t.Errorf("reasons %q", got)
	}

	// Expired: the delegation is ignored.
	a, err = routing.Route(ctx, s, ana, nil, routing.WithDelegations(dels, until, time.UTC))
	if err != nil || a.Assignee.Email != "ben@example.gov" {
		t.Errorf("expired: %s %v", a.Assignee.Email, err)
	}

	// Without the option nothing changes.
	if a, _ := routing.Route(ctx, s, ana, nil); a.Assignee.Email != "ben@example.gov" {
		t.Errorf("no option: %s", a.Assignee.Email)
	}

	// A delegate who is the subject or the reporter does not get the case.
	a, _ = routing.Route(ctx, s, ana, &frank, routing.WithDelegations(dels, testTime, time.UTC))
	if a.Assignee.Email != "ben@example.gov" || !strings.Contains(strings.Join(a.Reasons, "; "), "is the person the report is about, so it stayed with them") {
		t.Errorf("subject delegate: %s %q", a.Assignee.Email, a.Reasons)
	}
	dels[ben.ID] = routing.Delegation{PersonID: ben.ID, DelegateID: ana.ID, Until: until}
	a, _ = routing.Route(ctx, s, ana, nil, routing.WithDelegations(dels, testTime, time.UTC))
	if a.Assignee.Email != "ben@example.gov" || !strings.Contains(strings.Join(a.Reasons, "; "), "filed the report") {
		t.Errorf("reporter delegate: %s %q", a.Assignee.Email, a.Reasons)
	}

	// A delegate who has left does not get the case.
	dels[ben.ID] = routing.Delegation{PersonID: ben.ID, DelegateID: frank.ID, Until: until}
	deactivate(t, s, "frank@example.gov")
	a, _ = routing.Route(ctx, s, ana, nil, routing.WithDelegations(dels, testTime, time.UTC))
	if a.Assignee.Email != "ben@example.gov" || !strings.Contains(strings.Join(a.Reasons, "; "), "has left the directory, so it stayed with them") {
		t.Errorf("inactive delegate: %s %q", a.Assignee.Email, a.Reasons)
	}

	// Escalation honours it too, but not back to the person escalated from.
	dels[carla.ID] = routing.Delegation{PersonID: carla.ID, DelegateID: get(t, s, "dora@example.gov").ID, Until: until}
	a, _ = routing.Escalate(ctx, s, ben, nil, routing.WithDelegations(dels, testTime, time.UTC))
	if a.Assignee.Email != "dora@example.gov" {
		t.Errorf("escalate: %s %q", a.Assignee.Email, a.Reasons)
	}
	dels[carla.ID] = routing.Delegation{PersonID: carla.ID, DelegateID: ben.ID, Until: until}
	a, _ = routing.Escalate(ctx, s, ben, nil, routing.WithDelegations(dels, testTime, time.UTC))
	if a.Assignee.Email != "carla@example.gov" {
		t.Errorf("escalate back: %s %q", a.Assignee.Email, a.Reasons)
	}
}

func TestDelegationDates(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	day := time.Date(2026, 12, 24, 0, 0, 0, 0, ny)
	d := routing.Delegation{Until: routing.EndOfDay(day, ny)}
	if got := d.LastDay(ny); got != "2026-12-24" {
		t.Errorf("last day %s", got)
	}
	if !d.Active(time.Date(2026, 12, 25, 4, 59, 0, 0, time.UTC)) || d.Active(time.Date(2026, 12, 25, 5, 0, 0, 0, time.UTC)) {
		t.Error("a New York day should end at 05:00 UTC")
	}
}
