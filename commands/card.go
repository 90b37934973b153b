package commands

import (
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
)

// CaseCard is the card the assignee sees, rebuilt from the case whenever it
// changes. Buttons are offered only while the case is open to them.
func CaseCard(c cases.Case, person func(int64) directory.Person) chat.Card {
	reporter := person(c.ReporterID)
	card := chat.Card{Title: fmt.Sprintf("%s — report under IHSC Directive 01-22 §4-7 (%s)", c.ID, c.Status)}
	add := func(label, value string) {
		if value != "" {
			card.Fields = append(card.Fields, chat.CardField{Label: label, Value: value})
		}
	}
	if len(c.Categories) == 0 {
		add("Category", category(c))
	}
	for i, cat := range c.Categories {
		label := "Category"
		if i > 0 {
			label = "Also"
		}
		add(label, categoryText(cat, "the reporter"))
	}
	add("Link", c.Link)
	add("Reporter", reporter.Display())
	add("Unit", c.Unit)
	if c.SubjectID != 0 {
		add("About", person(c.SubjectID).Display())
	}
	switch c.Status {
	case cases.StatusOpen:
		add("Acknowledge by", stamp(c.AckDueAt))
		card.Buttons = caseButtons()
	case cases.StatusAcknowledged:
		add("Resolve by", stamp(c.ResolveDueAt))
		card.Buttons = caseButtons()[1:]
	case cases.StatusResolved:
		add("Outcome", cases.OutcomeText(c.Outcome))
	case cases.StatusWithdrawn:
		add("Withdrawn", stamp(c.WithdrawnAt))
	}
	card.Quote = c.Description
	if len(c.RedactedKinds) > 0 {
		card.Footer = "Personal information was removed from the description (" + strings.Join(kindWords(c.RedactedKinds), ", ") + "). "
	}
	card.Footer += "Routing: " + strings.Join(c.RoutingReasons, "; ")
	return card
}

func caseButtons() []chat.Button {
	return []chat.Button{
		{ID: "acknowledge", Label: "Acknowledge"},
		{ID: "resolve", Label: "Resolve"},
		{ID: "reassign", Label: "Reassign"},
		{ID: "escalate", Label: "Escalate"},
	}
}
