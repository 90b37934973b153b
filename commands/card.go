package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
)

// Card is case c's card as viewer sees it, rebuilt whenever the case
// changes: with buttons only while the case is open and viewer may act on
// it (after a reassignment or escalation the earlier assignee's card says
// who has the case now instead).
func (h *Handler) Card(ctx context.Context, c cases.Case, viewer directory.Person, person func(int64) directory.Person) chat.Card {
	return CaseCard(c, person, h.cases.MayHandle(ctx, viewer, c))
}

// CaseCard is the card of a case; mayAct says whether its reader may act on
// it, and so whether it has buttons.
func CaseCard(c cases.Case, person func(int64) directory.Person, mayAct bool) chat.Card {
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
	}
	if !mayAct && card.Buttons != nil {
		card.Buttons = nil
		add("Now with", person(c.AssigneeID).Display())
	}
	switch c.Status {
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
