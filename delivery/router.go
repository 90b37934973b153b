package delivery

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
)

// Recipients is what the Router reads to pick a platform for a person.
type Recipients interface {
	Person(ctx context.Context, id int64) (directory.Person, error)
}

// Router is a Sender over several platforms: a message to a channel goes to
// the platform its name says ("slack:C…"), a message to a person to the
// platform the directory links them on — Slack first when both are linked —
// and a person linked on neither to the first platform, which may still
// find them by e-mail.
type Router struct {
	People Recipients
	// Names and Senders are the enabled platforms in order of preference:
	// Names[i] ("slack", "mattermost") is served by Senders[i].
	Names   []string
	Senders []Sender
}

// Deliver sends m on the platform it belongs to.
func (r *Router) Deliver(ctx context.Context, m cases.Message) error {
	s, err := r.pick(ctx, m)
	if err != nil {
		return err
	}
	return s.Deliver(ctx, m)
}

func (r *Router) pick(ctx context.Context, m cases.Message) (Sender, error) {
	if len(r.Senders) == 0 {
		return nil, Permanent(fmt.Errorf("delivery: no platform to send message %d on", m.ID))
	}
	if m.RecipientID == 0 {
		name, _, _ := strings.Cut(m.Channel, ":")
		if s, ok := r.byName(name); ok {
			return s, nil
		}
		return nil, Permanent(fmt.Errorf("delivery: message %d is for channel %q of no enabled platform", m.ID, m.Channel))
	}
	p, err := r.People.Person(ctx, m.RecipientID)
	if err != nil {
		return r.Senders[0], nil // the sender itself reports an unknown person
	}
	for i, name := range r.Names {
		if linked(p, name) {
			return r.Senders[i], nil
		}
	}
	return r.Senders[0], nil
}

func (r *Router) byName(name string) (Sender, bool) {
	for i, n := range r.Names {
		if n == name {
			return r.Senders[i], true
		}
	}
	return nil, false
}

// linked reports whether the directory holds p's user ID on the platform.
func linked(p directory.Person, platform string) bool {
	switch directory.Platform(platform) {
	case directory.Slack:
		return p.SlackUserID != ""
	case directory.Mattermost:
		return p.MattermostUserID != ""
	}
	return false
}
