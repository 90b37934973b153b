package routing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/directory/directorytest"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/routing"
)

// chain: ana → ben → carla → dora (top); erin is compliance; frank has no
// supervisor.
func people() *directorytest.Store {
	return directorytest.Seeded(
		directory.Person{Email: "ana@example.gov", Name: "Ana", SupervisorEmail: "ben@example.gov", Active: true},
		directory.Person{Email: "ben@example.gov", Name: "Ben", SupervisorEmail: "carla@example.gov", Active: true},
		directory.Person{Email: "carla@example.gov", Name: "Carla", SupervisorEmail: "dora@example.gov", Active: true},
		directory.Person{Email: "dora@example.gov", Name: "Dora", Active: true},
		directory.Person{Email: "erin@example.gov", Name: "Erin", Roles: []directory.Role{directory.RoleCompliance}, Active: true},
		directory.Person{Email: "frank@example.gov", Name: "Frank", Active: true},
	)
}

func get(t *testing.T, s *directorytest.Store, email string) directory.Person {
	t.Helper()
	p, err := s.PersonByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoute(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, reporter, subject, want string
		reasons                       []string
		deactivate                    []string
	}{
		{name: "supervisor", reporter: "ana@example.gov", want: "ben@example.gov",
			reasons: []string{"the reporter's supervisor is Ben"}},
		{name: "conflict of interest goes one up", reporter: "ana@example.gov", subject: "ben@example.gov", want: "carla@example.gov",
			reasons: []string{"is the person the report is about", "Carla"}},
		{name: "subject elsewhere is no conflict", reporter: "ana@example.gov", subject: "frank@example.gov", want: "ben@example.gov"},
		{name: "inactive supervisor skipped", reporter: "ana@example.gov", deactivate: []string{"ben@example.gov"}, want: "carla@example.gov",
			reasons: []string{"has left the directory"}},
		{name: "whole chain gone goes to compliance", reporter: "ana@example.gov",
			deactivate: []string{"ben@example.gov", "carla@example.gov", "dora@example.gov"}, want: "erin@example.gov",
			reasons: []string{"went to compliance (Erin)"}},
		{name: "no supervisor goes to compliance", reporter: "frank@example.gov", want: "erin@example.gov"},
		{name: "top of chain with subject above", reporter: "carla@example.gov", subject: "dora@example.gov", want: "erin@example.gov"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := people()
			for _, email := range tt.deactivate {
				deactivate(t, s, email)
			}
			var subject *directory.Person
			if tt.subject != "" {
				p := get(t, s, tt.subject)
				subject = &p
			}
			a, err := routing.Route(ctx, s, get(t, s, tt.reporter), subject)
			if err != nil {
				t.Fatal(err)
			}
			if a.Assignee.Email != tt.want {
				t.Errorf("assignee %s, want %s (reasons %q)", a.Assignee.Email, tt.want, a.Reasons)
			}
			joined := strings.Join(a.Reasons, "; ")
			for _, r := range tt.reasons {
				if !strings.Contains(joined, r) {
					t.Errorf("reasons %q lack %q", joined, r)
				}
			}
		})
	}
}

// deactivate re-syncs the store without one person.
func deactivate(t *testing.T, s *directorytest.Store, email string) {
	t.Helper()
	all, err := s.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var keep []directory.Person
	for _, p := range all {
		if p.Email != email && p.Active {
			keep = append(keep, p)
		}
	}
	if _, err := s.SyncPeople(context.Background(), keep, testTime); err != nil {
		t.Fatal(err)
	}
}

func TestRouteWithoutCompliance(t *testing.T) {
	s := directorytest.Seeded(directory.Person{Email: "solo@example.gov", Name: "Solo", Active: true})
	_, err := routing.Route(context.Background(), s, get(t, s, "solo@example.gov"), nil)
	if !fault.Is(err, fault.NoRoute) {
		t.Fatalf("got %v, want no_route", err)
	}
}

func TestEscalate(t *testing.T) {
	s := people()
	ctx := context.Background()
	a, err := routing.Escalate(ctx, s, get(t, s, "ben@example.gov"), nil)
	if err != nil || a.Assignee.Email != "carla@example.gov" {
		t.Fatalf("from ben: %v %v", a.Assignee.Email, err)
	}
	// From the top of the chain, escalation reaches compliance.
	a, err = routing.Escalate(ctx, s, get(t, s, "dora@example.gov"), nil)
	if err != nil || a.Assignee.Email != "erin@example.gov" {
		t.Fatalf("from dora: %v %v", a.Assignee.Email, err)
	}
	// From the only compliance lead there is nowhere further to go: the
	// escalation is refused and the case stays where it is.
	_, err = routing.Escalate(ctx, s, get(t, s, "erin@example.gov"), nil)
	if !fault.Is(err, fault.NoRoute) {
		t.Fatalf("from erin: got %v, want no_route", err)
	}
}

func TestRouteStoreDown(t *testing.T) {
	s := people()
	ana := get(t, s, "ana@example.gov")
	s.FailWith(fault.E(fault.StoreUnavailable))
	if _, err := routing.Route(context.Background(), s, ana, nil); fault.CodeOf(err) != fault.Unavailable {
		t.Fatalf("got %v", err)
	}
}
