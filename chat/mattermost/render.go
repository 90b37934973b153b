package mattermost

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
)

// Mattermost limits.
const (
	maxMessage    = 16383                // runes in a post's message
	maxField      = 2000                 // runes we show in one attachment field
	maxQuote      = 6000                 // runes of the reporter's words on a card
	maxTextarea   = 3000                 // bytes in a dialog textarea's default
	maxTextInput  = 150                  // bytes in a dialog text input's default
	maxInput      = cases.MaxDescription // characters a dialog field takes
	maxLabel      = model.DialogElementDisplayNameMaxLength
	maxHelp       = model.DialogElementHelpTextMaxLength
	maxTitle      = model.DialogTitleMaxLength
	maxButtonName = 40
	shortField    = 40 // a field value this short is shown half width
)

// Answer is the JSON answer to a slash command: an ephemeral reply, with
// Slack-style parsing off.
func Answer(r chat.Reply) model.CommandResponse {
	return model.CommandResponse{
		ResponseType:     model.CommandResponseTypeEphemeral,
		Text:             replyText(r.Text),
		SkipSlackParsing: true,
	}
}

// statusColors is the colour bar of a card, by the case's status.
var statusColors = map[cases.Status]string{
	cases.StatusOpen:         "warning",
	cases.StatusAcknowledged: "#2389D7",
	cases.StatusResolved:     "good",
	cases.StatusWithdrawn:    "#8A8A8A",
}

// buttonContext gives a card button's integration context: the adapter's
// is signed for the case, the action and the recipient.
type buttonContext func(action string) map[string]any

// CardAttachment renders a case card as a message attachment: the title
// (a link to the reported address when there is one), the facts as fields,
// the reporter's words as a quote, the footer, and one button per action
// whose integration calls actionURL with ctx(action) as its context.
// Every piece of text from people is neutralised; the link is a code span.
func CardAttachment(card chat.Card, status cases.Status, link, actionURL string, ctx buttonContext) *model.MessageAttachment {
	att := &model.MessageAttachment{
		Fallback: clip(neutral(card.Title), 300),
		Color:    statusColors[status],
		Title:    clip(neutral(card.Title), 300),
	}
	if link != "" && model.IsValidHTTPURL(link) {
		att.TitleLink = link
	}
	for _, f := range card.Fields {
		value := neutral(clip(f.Value, maxField))
		if f.Label == "Link" {
			value = codeSpan(clip(f.Value, maxField))
		}
		att.Fields = append(att.Fields, &model.MessageAttachmentField{
			Title: f.Label, Value: value, Short: model.SlackCompatibleBool(utf8.RuneCountInString(f.Value) <= shortField),
		})
	}
	if q := strings.TrimSpace(card.Quote); q != "" {
		att.Text = "**What they saw**\n" + quote(clip(q, maxQuote))
	}
	att.Footer = clip(neutral(card.Footer), maxField)
	for _, b := range card.Buttons {
		id := actionID(b.ID)
		if id == "" {
			continue
		}
		style := "default"
		if b.ID == "acknowledge" {
			style = "primary"
		}
		att.Actions = append(att.Actions, &model.PostAction{
			Id: id, Type: model.PostActionTypeButton, Name: clip(b.Label, maxButtonName), Style: style,
			Integration: &model.PostActionIntegration{URL: actionURL, Context: ctx(b.ID)},
		})
	}
	return att
}

// actionID is a button's action ID: the action's name, which must be
// letters and digits only ("" when it is not) — Mattermost accepts a post
// with "case_resolve" but answers a click on it with a 404.
func actionID(name string) string {
	if name == "" {
		return ""
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return ""
		}
	}
	return name
}

// cardPost is a card as a post: the lead sentence as the message, the card
// as its only attachment. Props are always set, so that an update replaces
// the buttons rather than keeping the old ones.
func cardPost(lead string, att *model.MessageAttachment) *model.Post {
	p := &model.Post{Message: clip(neutral(lead), maxMessage)}
	p.SetProps(model.StringInterface{model.PostPropsAttachments: []*model.MessageAttachment{att}})
	return p
}

// textPost is a plain reply as a post.
func textPost(channel, text string) *model.Post {
	return &model.Post{ChannelId: channel, Message: replyText(text)}
}

// statusLine is a card's lead sentence when it is rebuilt from the case
// alone (after a click).
func statusLine(c cases.Case) string {
	const stamp = "2006-01-02 15:04 UTC"
	switch c.Status {
	case cases.StatusOpen:
		return fmt.Sprintf("%s is open: acknowledge it by %s.", c.ID, c.AckDueAt.UTC().Format(stamp))
	case cases.StatusAcknowledged:
		return fmt.Sprintf("%s is acknowledged: resolve it by %s.", c.ID, c.ResolveDueAt.UTC().Format(stamp))
	case cases.StatusResolved:
		return fmt.Sprintf("%s is resolved: %s.", c.ID, cases.OutcomeText(c.Outcome))
	case cases.StatusWithdrawn:
		return fmt.Sprintf("The reporter withdrew %s; nothing more is needed.", c.ID)
	}
	return c.ID.String()
}

// Dialog renders a form as an interactive dialog: callback_id is the
// form's ID, state the signed state the adapter made for it. A person field
// is a users select, a choice a static select, a multiline field a
// textarea, anything else a text input. Labels longer than Mattermost's 24
// bytes keep their first words; the rest goes into the help text.
func Dialog(f *chat.Form, state string) model.Dialog {
	submit := f.Submit
	if submit == "" {
		submit = "Submit"
	}
	d := model.Dialog{
		CallbackId: f.ID, Title: clipBytes(f.Title, maxTitle), SubmitLabel: clipBytes(submit, maxLabel), State: state,
	}
	for _, fl := range f.Fields {
		label, help := fl.Label, fl.Hint
		if len(label) > maxLabel {
			if short, rest, ok := strings.Cut(label, " ("); ok && len(short) <= maxLabel {
				label, help = short, strings.TrimSpace("("+rest+" "+help)
			} else {
				label = clipBytes(label, maxLabel)
			}
		}
		e := model.DialogElement{
			DisplayName: label, Name: fl.Name, HelpText: clipBytes(help, maxHelp), Optional: fl.Optional,
		}
		switch {
		case fl.Person:
			e.Type, e.DataSource = "select", model.PostActionDataSourceUsers
			if validUserID(fl.Value) {
				e.Default = fl.Value
			}
		case len(fl.Options) > 0:
			e.Type = "select"
			for _, o := range fl.Options {
				e.Options = append(e.Options, &model.PostActionOptions{Text: clip(o.Label, 100), Value: o.Value})
				if o.Value == fl.Value {
					e.Default = o.Value
				}
			}
		case fl.Multiline:
			e.Type, e.MaxLength = "textarea", maxInput
			e.Default = clipBytes(fl.Value, maxTextarea)
		default:
			e.Type, e.MaxLength = "text", maxInput
			e.Default = clipBytes(fl.Value, maxTextInput)
		}
		d.Elements = append(d.Elements, e)
	}
	return d
}

// reasonForm is the form for the buttons that need a reason the handler
// does not ask for itself (escalate, reopen).
func reasonForm(action string, id cases.ID) *chat.Form {
	var title, submit string
	switch action {
	case "escalate":
		title, submit = "Escalate ", "Escalate"
	case "reopen":
		title, submit = "Reopen ", "Reopen"
	default:
		return nil
	}
	return &chat.Form{
		ID: action, Title: title + id.String(), State: id.String(), Submit: submit,
		Fields: []chat.Field{{Name: "reason", Label: "Reason", Multiline: true,
			Hint: fmt.Sprintf("Why, in a sentence or two. At most %d characters.", cases.MaxNote)}},
	}
}
