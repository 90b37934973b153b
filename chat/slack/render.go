package slack

import (
	"encoding/json"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/chat"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const (
	maxText        = 3000 // a text object, a section's text
	maxField       = 2000 // one section field
	maxFields      = 10   // fields in one section
	maxHeader      = 150  // a header's plain text
	maxButton      = 75   // a button's label, an option's label
	maxOptionValue = 150  // an option's value
	maxTitle       = 24   // a modal's title, submit and close labels
	maxInput       = 3000 // a plain_text_input's value
	maxBlocks      = 50   // blocks in a message
	maxViewBlocks  = 100  // blocks in a modal or App Home
)

// message is the JSON of an answer Slack shows: an inline answer to a slash
// command, or a post to a response_url. slack.Msg would emit "blocks":null.
type message struct {
	ResponseType    string           `json:"response_type,omitempty"`
	ReplaceOriginal *bool            `json:"replace_original,omitempty"`
	Text            string           `json:"text"`
	Blocks          []slackapi.Block `json:"blocks,omitempty"`
}

// Ephemeral is the answer to a slash command that only its sender sees: the
// reply's text, escaped; replies laid out in columns, or too long for one
// text, also come as section blocks (columns in a code block, so they line
// up).
func Ephemeral(r chat.Reply) ([]byte, error) {
	text, blocks := replyMessage(r.Text)
	return json.Marshal(message{ResponseType: "ephemeral", Text: text, Blocks: blocks})
}

// replyMessage renders a plain reply as the text field (also the
// notification fallback) and, when useful, blocks.
func replyMessage(text string) (string, []slackapi.Block) {
	text = strings.TrimRight(text, "\n")
	if !columns(text) && len(esc(text)) <= maxText {
		return esc(text), nil
	}
	return escClip(text, maxText), textBlocks(text, maxBlocks)
}

// columns reports whether text is laid out in columns: two spaces in a row
// inside some line.
func columns(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(strings.TrimSpace(line), "  ") {
			return true
		}
	}
	return false
}

// textBlocks lays out plain text as mrkdwn sections, at most max blocks.
func textBlocks(text string, max int) []slackapi.Block {
	fence := ""
	if columns(text) {
		fence = "```"
	}
	var out []slackapi.Block
	parts := chunks(esc(text), maxText-2*len(fence)-2)
	for i, part := range parts {
		if len(out) == max-1 && i < len(parts)-1 {
			out = append(out, section("_(The rest is cut; ask again with a shorter period or in the console.)_"))
			break
		}
		out = append(out, section(fence+part+fence))
	}
	return out
}

// CardBlocks renders a case card: a header with the title, the facts as
// section fields, the reporter's words as a quote, the footer as context, and
// the buttons with their action as action_id and the case reference as value.
// Every piece of text from people is escaped.
func CardBlocks(card chat.Card, ref string) []slackapi.Block {
	blocks := []slackapi.Block{
		slackapi.NewHeaderBlock(plainText(clip(card.Title, maxHeader))),
	}
	var fields []*slackapi.TextBlockObject
	for _, f := range card.Fields {
		fields = append(fields, mrkdwn("*"+escClip(f.Label, 100)+"*\n"+escClip(f.Value, maxField-110)))
		if len(fields) == maxFields {
			blocks = append(blocks, slackapi.NewSectionBlock(nil, fields, nil))
			fields = nil
		}
	}
	if len(fields) > 0 {
		blocks = append(blocks, slackapi.NewSectionBlock(nil, fields, nil))
	}
	if q := strings.TrimSpace(card.Quote); q != "" {
		blocks = append(blocks, quoteBlocks("What they saw", q)...)
	}
	if card.Footer != "" {
		blocks = append(blocks, slackapi.NewContextBlock("", mrkdwn(escClip(card.Footer, maxField))))
	}
	if len(card.Buttons) > 0 {
		var buttons []slackapi.BlockElement
		for _, b := range card.Buttons {
			btn := slackapi.NewButtonBlockElement(b.ID, ref, plainText(clip(b.Label, maxButton)))
			if b.ID == "acknowledge" {
				btn.Style = slackapi.StylePrimary
			}
			buttons = append(buttons, btn)
		}
		blocks = append(blocks, slackapi.NewActionBlock("case_actions", buttons...))
	}
	return blocks
}

// quoteBlocks shows someone's words as a mrkdwn quote under a bold label,
// split over sections when long.
func quoteBlocks(label, words string) []slackapi.Block {
	var b strings.Builder
	for i, line := range strings.Split(esc(words), "\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(">" + line)
	}
	var out []slackapi.Block
	for i, part := range chunks(b.String(), maxText-len(label)-8) {
		if i == 0 {
			part = "*" + label + "*\n" + part
		} else if !strings.HasPrefix(part, ">") {
			part = ">" + part
		}
		out = append(out, section(part))
	}
	return out
}

// CardText is a card's plain-text fallback, for notifications and clients
// that show no blocks.
func CardText(lead string, card chat.Card) string {
	if lead == "" {
		return esc(clip(card.Title, maxText))
	}
	return esc(clip(lead+" "+card.Title, maxText))
}

// ModalView renders a form as a modal: callback_id is the form's ID and
// private_metadata its State (Slack keeps it server-side and sends it back
// with the signed submission). Each field is an input block whose block_id
// and action_id are the field's name: a users_select for a person, a
// static_select for a choice, a plain_text_input otherwise.
func ModalView(f *chat.Form) slackapi.ModalViewRequest {
	submit := f.Submit
	if submit == "" {
		submit = "Submit"
	}
	v := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText(clip(f.Title, maxTitle)),
		Submit:          plainText(clip(submit, maxTitle)),
		Close:           plainText("Cancel"),
		CallbackID:      f.ID,
		PrivateMetadata: f.State,
	}
	for i, fl := range f.Fields {
		if i == maxViewBlocks {
			break
		}
		var hint *slackapi.TextBlockObject
		if fl.Hint != "" {
			hint = plainText(clip(fl.Hint, maxField))
		}
		in := slackapi.NewInputBlock(fl.Name, plainText(clip(fl.Label, maxField)), hint, inputElement(fl))
		in.Optional = fl.Optional
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, in)
	}
	return v
}

func inputElement(fl chat.Field) slackapi.BlockElement {
	switch {
	case fl.Person:
		e := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeUser, plainText("Choose a person"), fl.Name)
		if validUserID(fl.Value) {
			e.InitialUser = fl.Value
		}
		return e
	case len(fl.Options) > 0:
		var opts []*slackapi.OptionBlockObject
		var initial *slackapi.OptionBlockObject
		for _, o := range fl.Options {
			opt := slackapi.NewOptionBlockObject(clip(o.Value, maxOptionValue), plainText(clip(o.Label, maxButton)), nil)
			if o.Value == fl.Value {
				initial = opt
			}
			opts = append(opts, opt)
			if len(opts) == 100 {
				break
			}
		}
		e := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, plainText("Choose"), fl.Name, opts...)
		e.InitialOption = initial
		return e
	}
	e := slackapi.NewPlainTextInputBlockElement(nil, fl.Name)
	e.Multiline = fl.Multiline
	e.MaxLength = maxInput
	e.InitialValue = clip(fl.Value, maxInput)
	return e
}

// homeSection is one part of the App Home: a title and plain text.
type homeSection struct{ Title, Text string }

// homeView renders the App Home tab.
func homeView(sections []homeSection) slackapi.HomeTabViewRequest {
	v := slackapi.HomeTabViewRequest{Type: slackapi.VTHomeTab}
	add := func(b ...slackapi.Block) { v.Blocks.BlockSet = append(v.Blocks.BlockSet, b...) }
	add(slackapi.NewHeaderBlock(plainText("Reports under IHSC Directive 01-22 §4-7")))
	add(slackapi.NewContextBlock("", mrkdwn("Type `/report` with a link and what you saw, or use the \"Report message\" shortcut on a message. `/report help` shows everything.")))
	for _, s := range sections {
		room := maxViewBlocks - len(v.Blocks.BlockSet) - 2
		if room < 2 {
			break
		}
		add(slackapi.NewDividerBlock(), section("*"+esc(s.Title)+"*"))
		add(textBlocks(s.Text, min(room, 10))...)
	}
	return v
}

func plainText(s string) *slackapi.TextBlockObject {
	if s == "" {
		s = " "
	}
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
}

func mrkdwn(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, false)
}

func section(s string) *slackapi.SectionBlock {
	return slackapi.NewSectionBlock(mrkdwn(s), nil, nil)
}

// escClip escapes text for mrkdwn and keeps it within n runes, without
// cutting an entity in two.
func escClip(text string, n int) string {
	r := []rune(esc(text))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:safeCut(r, n-1)]) + "…"
}
