package console

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
)

// deliverBatch bounds how many messages one line delivers.
const deliverBatch = 100

// deliver prints the messages the bot owes, as the recipients would see
// them, and marks them sent: the console is its own delivery worker.
func (c *Console) deliver(ctx context.Context) {
	msgs, err := c.store.DueMessages(ctx, c.clock.Now(), deliverBatch)
	if err != nil {
		c.log.Error("outbox", "err", err)
		return
	}
	for _, m := range msgs {
		to, err := c.people.Person(ctx, m.RecipientID)
		recipient := m.Channel
		if err == nil {
			recipient = to.Email
		}
		c.say(recipient, c.render(ctx, m))
		if err := c.store.MarkSent(ctx, m.ID, "", c.clock.Now()); err != nil {
			c.log.Error("outbox", "err", err)
		}
	}
}

func (c *Console) render(ctx context.Context, m cases.Message) string {
	if m.Kind != cases.MsgAssigneeCase && m.Kind != cases.MsgCaseUpdate {
		return m.Text
	}
	cs, err := c.store.Case(ctx, m.CaseID)
	if err != nil {
		return m.Text
	}
	person := func(id int64) directory.Person {
		p, err := c.people.Person(ctx, id)
		if err != nil {
			return directory.Person{ID: id, Name: fmt.Sprintf("person #%d", id)}
		}
		return p
	}
	card := c.handler.Card(ctx, cs, person(m.RecipientID), person)
	return m.Text + "\n" + cardText(card, cs.ID)
}

// cardText draws a card in plain text, with the console line that presses
// each button.
func cardText(card chat.Card, id cases.ID) string {
	var b strings.Builder
	b.WriteString(card.Title + "\n")
	for _, f := range card.Fields {
		fmt.Fprintf(&b, "%s: %s\n", f.Label, f.Value)
	}
	if card.Quote != "" {
		fmt.Fprintf(&b, "What they saw: %q\n", card.Quote)
	}
	if card.Footer != "" {
		b.WriteString(card.Footer + "\n")
	}
	if len(card.Buttons) > 0 {
		var bs []string
		for _, btn := range card.Buttons {
			bs = append(bs, fmt.Sprintf("[%s] press %s %s", btn.Label, id, btn.ID))
		}
		b.WriteString(strings.Join(bs, "  "))
	}
	return strings.TrimRight(b.String(), "\n")
}
