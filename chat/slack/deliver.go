package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// permanentCodes are Web API errors that no retry mends.
var permanentCodes = map[string]bool{
	"users_not_found": true, "user_not_found": true, "user_disabled": true, "user_not_visible": true,
	"channel_not_found": true, "is_archived": true, "not_in_channel": true, "cannot_dm_bot": true,
	"invalid_blocks": true, "msg_too_long": true, "no_text": true, "restricted_action": true,
}

// classify maps a Web API error to what the delivery worker should do.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		return &delivery.RetryAfter{After: rl.RetryAfter, Err: err}
	}
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) && permanentCodes[se.Err] {
		return delivery.Permanent(err)
	}
	return err
}

// dmChannels remembers the DM channel of each Slack user.
type dmChannels struct {
	b *chatkit.Bounded[string, string]
}

func newDMChannels(size int) *dmChannels {
	return &dmChannels{chatkit.NewBounded[string, string](size)}
}

// Deliver sends one outbox message. A case card (MsgAssigneeCase) goes to the
// recipient's DM with its buttons; a MsgCaseUpdate edits the card sent
// before in place, or posts it afresh when none is known; notices, reminders
// and compliance messages are text, to the person's DM or to the Slack
// channel of m.Channel ("slack:C…"). A 429 is a *delivery.RetryAfter, a
// recipient Slack does not know an error marked delivery.Permanent; other
// errors are worth retrying.
func (a *Adapter) Deliver(ctx context.Context, m cases.Message) error {
	if m.RecipientID == 0 {
		ch, ok := strings.CutPrefix(m.Channel, "slack:")
		if !ok || ch == "" {
			return delivery.Permanent(fmt.Errorf("slack: message %d has no recipient and no Slack channel (%q)", m.ID, m.Channel))
		}
		_, _, err := a.api.PostMessageContext(ctx, ch, textOptions(m.Text)...)
		return classify(err)
	}
	p, err := a.people.Person(ctx, m.RecipientID)
	if fault.Is(err, fault.PersonNotFound) {
		return delivery.Permanent(err)
	}
	if err != nil {
		return err
	}
	uid, err := a.slackID(ctx, p)
	if err != nil {
		return classify(err)
	}
	if m.Kind != cases.MsgAssigneeCase && m.Kind != cases.MsgCaseUpdate {
		return classify(a.dm(ctx, uid, m.Text))
	}
	c, err := a.cases.Case(ctx, m.CaseID)
	if fault.Is(err, fault.CaseNotFound) {
		return delivery.Permanent(err)
	}
	if err != nil {
		return err
	}
	card := a.handler.Card(ctx, c, p, a.personOrPlaceholder(ctx))
	opts := cardOptions(m.Text, card, c.ID.String())
	key := chatkit.CardKey{Case: c.ID, Person: p.ID}
	if ref, ok := a.cards.Get(ctx, key); ok && m.Kind == cases.MsgCaseUpdate {
		_, _, _, err := a.api.UpdateMessageContext(ctx, ref.Channel, ref.MessageID, opts...)
		var se slackapi.SlackErrorResponse
		if err == nil || !errors.As(err, &se) || (se.Err != "message_not_found" && se.Err != "cant_update_message" && se.Err != "channel_not_found") {
			return classify(err)
		}
		// The card is gone: post it again below.
	}
	ch, err := a.openDM(ctx, uid)
	if err != nil {
		return classify(err)
	}
	ch, ts, err := a.api.PostMessageContext(ctx, ch, opts...)
	if err != nil {
		return classify(err)
	}
	a.cards.Put(ctx, key, chatkit.CardRef{Channel: ch, MessageID: ts})
	return nil
}

// cardOptions is a card message: the lead sentence, then the card; the plain
// text is the notification's fallback. Reported links are not unfurled.
func cardOptions(lead string, card chat.Card, ref string) []slackapi.MsgOption {
	blocks := CardBlocks(card, ref)
	if lead != "" {
		blocks = append([]slackapi.Block{section(escClip(lead, maxText))}, blocks...)
	}
	return []slackapi.MsgOption{
		slackapi.MsgOptionText(CardText(lead, card), false),
		slackapi.MsgOptionBlocks(blocks...),
		slackapi.MsgOptionDisableLinkUnfurl(),
		slackapi.MsgOptionDisableMediaUnfurl(),
	}
}

// slackID is a person's Slack user ID: the directory's, or the one Slack
// has for their e-mail (users.lookupByEmail), which is then linked.
func (a *Adapter) slackID(ctx context.Context, p directory.Person) (string, error) {
	if p.SlackUserID != "" {
		return p.SlackUserID, nil
	}
	u, err := a.api.GetUserByEmailContext(ctx, p.Email)
	if err != nil {
		return "", err
	}
	if err := a.people.LinkChatID(ctx, p.ID, directory.Slack, u.ID); err != nil {
		a.log.Warn("linking a Slack user failed", "person", p.ID, "err", err)
	}
	return u.ID, nil
}

// openDM opens (or finds) the bot's DM with a user.
func (a *Adapter) openDM(ctx context.Context, user string) (string, error) {
	if ch, ok := a.dms.b.Get(user); ok {
		return ch, nil
	}
	ch, _, _, err := a.api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		return "", err
	}
	a.dms.b.Put(user, ch.ID)
	return ch.ID, nil
}

// personOrPlaceholder looks people up for a card.
func (a *Adapter) personOrPlaceholder(ctx context.Context) func(int64) directory.Person {
	return func(id int64) directory.Person {
		p, err := a.people.Person(ctx, id)
		if err != nil {
			return directory.Person{ID: id, Name: fmt.Sprintf("person #%d", id)}
		}
		return p
	}
}

// upload sends a file (the CSV export) to a person's DM.
func (a *Adapter) upload(ctx context.Context, user string, f chat.File) error {
	if len(f.Data) == 0 {
		return nil
	}
	ch, err := a.openDM(ctx, user)
	if err != nil {
		return err
	}
	_, err = a.api.UploadFileContext(ctx, slackapi.UploadFileParameters{
		Channel: ch, Filename: f.Name, Title: f.Name, FileSize: len(f.Data), Reader: bytes.NewReader(f.Data),
	})
	return err
}
