package slack

import (
	"context"
	"encoding/json"
	"net/http"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/directory"
)

// eventEnvelope is the part of an Events API request the adapter reads.
type eventEnvelope struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	EventID   string `json:"event_id"`
	Event     struct {
		Type string `json:"type"`
		User string `json:"user"`
		Tab  string `json:"tab"`
	} `json:"event"`
}

// serveEvent answers the Events API: the URL check, and app_home_opened,
// which publishes the person's App Home in the background. Slack retries a
// delivery it thinks failed; a repeated event_id is answered and ignored.
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request) {
	var env eventEnvelope
	if err := json.NewDecoder(r.Body).Decode(&env); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	switch env.Type {
	case "url_verification":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"challenge": env.Challenge})
		return
	case "event_callback":
		if env.EventID != "" && !a.events.add(env.EventID) {
			break // a retry of an event already handled
		}
		if env.Event.Type == "app_home_opened" && env.Event.Tab == "home" && validUserID(env.Event.User) {
			user := env.Event.User
			a.later("app home", func(ctx context.Context) error { return a.publishHome(ctx, user) })
		}
	}
	w.WriteHeader(http.StatusOK)
}

// publishHome shows a person their reports, their queue when they have one,
// and for compliance leads the summary.
func (a *Adapter) publishHome(ctx context.Context, user string) error {
	var sections []homeSection
	p, err := a.users.resolve(ctx, user)
	if err != nil {
		sections = []homeSection{{"You", sentence(err)}}
	} else {
		sections = append(sections, homeSection{"Your reports", a.handler.Command(ctx, p, "mine", nil).Text})
		if p.Has(directory.RoleCompliance) || a.supervises(ctx, p) {
			sections = append(sections, homeSection{"Waiting on you", a.handler.Command(ctx, p, "queue", nil).Text})
		}
		if p.Has(directory.RoleCompliance) {
			sections = append(sections, homeSection{"Compliance summary, last 30 days", a.handler.Command(ctx, p, "summary", nil).Text})
		}
	}
	_, err = a.api.PublishViewContext(ctx, slackapi.PublishViewContextRequest{UserID: user, View: homeView(sections)})
	return err
}

// supervises reports whether anyone active reports to p.
func (a *Adapter) supervises(ctx context.Context, p directory.Person) bool {
	all, err := a.people.People(ctx)
	if err != nil {
		return false
	}
	for _, q := range all {
		if q.SupervisorID == p.ID && q.Active {
			return true
		}
	}
	return false
}
