package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// Action is a button pressed on a case, with what its form collected.
type Action struct {
	// Name is acknowledge, resolve, reassign, escalate, withdraw or reopen.
	Name    string
	Outcome string
	// Text is the resolution note or the reason.
	Text string
	// To is the new assignee of a reassignment.
	To *directory.Person
}

// Actions lists the buttons, in the order they are shown.
func Actions() []string {
	return []string{"acknowledge", "resolve", "reassign", "escalate", "withdraw", "reopen"}
}

// Press acts on a case for actor. A Resolve or Reassign without its details
// answers with the form that collects them.
func (h *Handler) Press(ctx context.Context, actor directory.Person, id cases.ID, a Action) chat.Reply {
	name := strings.ToLower(strings.TrimSpace(a.Name))
	var (
		c   cases.Case
		err error
	)
	switch name {
	case "acknowledge", "ack":
		c, err = h.cases.Acknowledge(ctx, id, actor)
	case "resolve":
		if a.Outcome == "" && a.Text == "" {
			return chat.Reply{Form: ResolveForm(id)}
		}
		outcome, ok := cases.ParseOutcome(a.Outcome)
		if !ok {
			return chat.Reply{Text: h.sentence(fault.E(fault.BadOutcome, clipWord(a.Outcome)))}
		}
		c, err = h.cases.Resolve(ctx, id, actor, outcome, a.Text)
	case "reassign":
		if a.To == nil {
			return chat.Reply{Form: ReassignForm(id)}
		}
		c, err = h.cases.Reassign(ctx, id, actor, *a.To, a.Text)
	case "escalate":
		c, err = h.cases.Escalate(ctx, id, actor, a.Text)
	case "withdraw":
		c, err = h.cases.Withdraw(ctx, id, actor)
	case "reopen":
		c, err = h.cases.Reopen(ctx, id, actor, a.Text)
	default:
		return chat.Reply{Text: h.sentence(fault.E(fault.BadAction, clipWord(a.Name)))}
	}
	if err != nil {
		return chat.Reply{Text: h.sentence(err)}
	}
	return chat.Reply{Text: h.pressedText(ctx, name, c)}
}

func (h *Handler) pressedText(ctx context.Context, name string, c cases.Case) string {
	n := h.names(ctx)
	switch name {
	case "acknowledge", "ack":
		return fmt.Sprintf("You acknowledged %s. The reporter has been told it is being followed up; resolve it by %s.", c.ID, stamp(c.ResolveDueAt))
	case "resolve":
		return fmt.Sprintf("%s is resolved: %s. The reporter has been told the outcome (not your note).", c.ID, cases.OutcomeText(c.Outcome))
	case "reassign":
		return fmt.Sprintf("%s is now with %s, who has been sent the case.", c.ID, n.name(c.AssigneeID))
	case "escalate":
		return fmt.Sprintf("%s was escalated to %s, who has been sent the case; the reporter has been told.", c.ID, n.name(c.AssigneeID))
	case "withdraw":
		return fmt.Sprintf("You withdrew %s. %s has been told nothing more is needed.", c.ID, n.name(c.AssigneeID))
	case "reopen":
		return fmt.Sprintf("%s is open again, with %s.", c.ID, n.name(c.AssigneeID))
	}
	return c.ID.String()
}

// ResolveForm collects an outcome and a note.
func ResolveForm(id cases.ID) *chat.Form {
	var opts []chat.Option
	for _, o := range cases.Outcomes() {
		opts = append(opts, chat.Option{Value: string(o), Label: cases.OutcomeText(o)})
	}
	return &chat.Form{
		ID: "resolve", Title: "Resolve " + id.String(), State: id.String(), Submit: "Resolve",
		Fields: []chat.Field{
			{Name: "outcome", Label: "Outcome", Options: opts},
			{Name: "note", Label: "Note (not shown to the reporter)", Multiline: true, Hint: fmt.Sprintf("How it was resolved. At most %d characters.", cases.MaxNote)},
		},
	}
}

// ReassignForm collects a person and a reason.
func ReassignForm(id cases.ID) *chat.Form {
	return &chat.Form{
		ID: "reassign", Title: "Reassign " + id.String(), State: id.String(), Submit: "Reassign",
		Fields: []chat.Field{
			{Name: "to", Label: "Give it to", Person: true},
			{Name: "reason", Label: "Reason", Multiline: true},
		},
	}
}
