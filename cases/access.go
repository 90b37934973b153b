package cases

import (
	"context"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// mayHandle: the assignee, anyone above the assignee in the chain, and
// compliance leads may act on a case.
func (s *Service) mayHandle(ctx context.Context, actor directory.Person, c Case) (bool, error) {
	if !actor.Active {
		return false, nil
	}
	if actor.ID == c.AssigneeID || actor.Has(directory.RoleCompliance) {
		return true, nil
	}
	return s.aboveAssignee(ctx, actor, c)
}

// MayHandle reports whether actor may act on case c, for showing buttons;
// when that cannot be known (the directory is unreachable) it says yes, as
// every press is checked again when it is made.
func (s *Service) MayHandle(ctx context.Context, actor directory.Person, c Case) bool {
	ok, err := s.mayHandle(ctx, actor, c)
	return ok || err != nil
}

// aboveAssignee reports whether actor is up the assignee's supervisor chain.
func (s *Service) aboveAssignee(ctx context.Context, actor directory.Person, c Case) (bool, error) {
	p, err := s.people.Person(ctx, c.AssigneeID)
	for range 64 {
		if fault.Is(err, fault.PersonNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if p.SupervisorID == 0 {
			return false, nil
		}
		if p.SupervisorID == actor.ID {
			return true, nil
		}
		p, err = s.people.Person(ctx, p.SupervisorID)
	}
	return false, nil
}

// mayView: the reporter and everyone who may handle the case. The subject
// of a report does not see it: that would expose who reported them.
func (s *Service) mayView(ctx context.Context, actor directory.Person, c Case) bool {
	if actor.ID == c.ReporterID {
		return true
	}
	ok, err := s.mayHandle(ctx, actor, c)
	return err == nil && ok
}

// View returns a case and its history to someone who may see it.
func (s *Service) View(ctx context.Context, id ID, actor directory.Person) (Case, []Event, []Case, error) {
	c, err := s.store.Case(ctx, id)
	if err != nil {
		return Case{}, nil, nil, err
	}
	if !s.mayView(ctx, actor, c) {
		return Case{}, nil, nil, fault.E(fault.NotYourCase, id.String())
	}
	events, err := s.store.Events(ctx, id)
	if err != nil {
		return Case{}, nil, nil, err
	}
	var related []Case
	if c.LinkKey != "" {
		related, err = s.store.RelatedByLink(ctx, c.LinkKey, c.CreatedAt.Add(-RelatedWindow), c.ID)
		if err != nil {
			return Case{}, nil, nil, err
		}
	}
	return c, events, related, nil
}

// Mine lists the reports a person filed, newest first.
func (s *Service) Mine(ctx context.Context, actor directory.Person, limit int) ([]Case, error) {
	return s.store.CasesByReporter(ctx, actor.ID, limit)
}

// Queue lists the open cases routed to a person, oldest first. Only people
// with reports or the compliance role have a queue.
func (s *Service) Queue(ctx context.Context, actor directory.Person, limit int) ([]Case, error) {
	cs, err := s.store.CasesByAssignee(ctx, actor.ID, limit)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 && !actor.Has(directory.RoleCompliance) {
		all, err := s.people.People(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if p.SupervisorID == actor.ID && p.Active {
				return cs, nil
			}
		}
		return nil, fault.E(fault.NotSupervisor)
	}
	return cs, nil
}
