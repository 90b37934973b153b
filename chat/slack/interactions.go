package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// ReportMessageCallback is the callback_id of the "Report message" shortcut.
const ReportMessageCallback = "report_message"

// serveInteraction answers block actions (case buttons), view submissions
// (the forms) and the "Report message" shortcut. Every answer is written
// before the follow-up Web API calls; a refusal is a private sentence.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	ic, err := slackapi.InteractionCallbackParse(r)
	if err != nil {
		http.Error(w, "bad interaction payload", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), answerBudget)
	defer cancel()
	switch ic.Type {
	case slackapi.InteractionTypeBlockActions:
		a.blockAction(ctx, ic)
	case slackapi.InteractionTypeViewSubmission:
		a.viewSubmission(ctx, w, ic)
		return
	case slackapi.InteractionTypeMessageAction:
		a.messageAction(ctx, ic)
	}
	w.WriteHeader(http.StatusOK)
}

// blockAction is a click on a case button: its action_id is the action, its
// value the case reference. The handler checks who may act.
func (a *Adapter) blockAction(ctx context.Context, ic slackapi.InteractionCallback) {
	acts := ic.ActionCallback.BlockActions
	if len(acts) == 0 || acts[0] == nil || !slices.Contains(commands.Actions(), acts[0].ActionID) {
		return // not one of ours (a select inside a modal, say)
	}
	act := acts[0]
	user := ic.User.ID
	channel := ic.Container.ChannelID
	if channel == "" {
		channel = ic.Channel.ID
	}
	tell := func(text string) {
		a.later("private reply", func(ctx context.Context) error { return a.ephemeral(ctx, channel, user, text) })
	}
	id, ok := cases.ParseRef(act.Value)
	if !ok {
		tell(fault.E(fault.BadCaseRef, clip(act.Value, 40)).Sentence())
		return
	}
	person, err := a.resolveQuick(ctx, user)
	if err != nil {
		tell(sentence(err))
		return
	}
	if ic.Container.Type == "message" && ic.Container.MessageTs != "" && channel != "" && !ic.Container.IsEphemeral {
		a.cards.Put(ctx, chatkit.CardKey{Case: id, Person: person.ID}, chatkit.CardRef{Channel: channel, MessageID: ic.Container.MessageTs})
	}
	var reply chat.Reply
	if form := reasonForm(act.ActionID, id); form != nil {
		reply = chat.Reply{Form: form}
	} else {
		reply = a.handler.Press(ctx, person, id, commands.Action{Name: act.ActionID})
	}
	if reply.Form != nil {
		if err := a.openForm(ctx, ic.TriggerID, reply.Form); err != nil {
			tell(formFailed(reply.Text))
		}
		return
	}
	tell(reply.Text)
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
			Hint: "Why, in a sentence or two. At most 2000 characters."}},
	}
}

// viewErrors is the answer that keeps a modal open with messages under its
// fields (block IDs).
type viewErrors struct {
	ResponseAction string            `json:"response_action"`
	Errors         map[string]string `json:"errors"`
}

// viewSubmission is a submitted form. Mistakes the person can fix go back
// under the field; anything else closes the modal and the outcome — the
// case reference, or a refusal — is sent to them as a direct message, which
// stays in their history (a modal has no channel to answer in).
func (a *Adapter) viewSubmission(ctx context.Context, w http.ResponseWriter, ic slackapi.InteractionCallback) {
	v := ic.View
	main := map[string]string{"report": "description", "resolve": "note", "reassign": "reason", "escalate": "reason", "reopen": "reason"}[v.CallbackID]
	if main == "" {
		w.WriteHeader(http.StatusOK)
		return
	}
	field := func(name string) slackapi.BlockAction {
		if v.State == nil || v.State.Values[name] == nil {
			return slackapi.BlockAction{}
		}
		return v.State.Values[name][name]
	}
	var (
		errs map[string]string
		text string
	)
	person, err := a.resolveQuick(ctx, ic.User.ID)
	if err != nil {
		errs = map[string]string{main: sentence(err)}
	} else if v.CallbackID == "report" {
		errs, text = a.submitReport(ctx, person, field)
	} else {
		errs, text = a.submitPress(ctx, person, v.CallbackID, v.PrivateMetadata, field)
	}
	if len(errs) > 0 {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(viewErrors{ResponseAction: "errors", Errors: errs})
		return
	}
	w.WriteHeader(http.StatusOK)
	user := ic.User.ID
	a.later("result by DM", func(ctx context.Context) error { return a.dm(ctx, user, text) })
}

type fieldFunc func(name string) slackapi.BlockAction

// submitReport files the report form; a mistake is shown under its field.
func (a *Adapter) submitReport(ctx context.Context, person directory.Person, field fieldFunc) (map[string]string, string) {
	var subject *directory.Person
	if uid := field("subject").SelectedUser; uid != "" {
		p, err := a.resolveQuick(ctx, uid)
		if err != nil {
			return map[string]string{"subject": otherPersonSentence(err)}, ""
		}
		subject = &p
	}
	reply, err := a.handler.FileForm(ctx, person, commands.FormReport{
		Link: strings.TrimSpace(field("link").Value), Description: field("description").Value,
		Subject: subject, Category: field("category").SelectedOption.Value,
	})
	if err != nil {
		return map[string]string{chatkit.ReportField(err): fault.Sentence(err)}, ""
	}
	return nil, reply.Text
}

// submitPress acts on the case named by the form's state with what the form
// collected. Mistakes in the fields are caught here, where they can be shown
// under the field; the handler checks everything again, and who may act.
func (a *Adapter) submitPress(ctx context.Context, person directory.Person, action, state string, field fieldFunc) (map[string]string, string) {
	textField := "reason"
	if action == "resolve" {
		textField = "note"
	}
	id, ok := cases.ParseRef(state)
	if !ok {
		return map[string]string{textField: fault.E(fault.BadCaseRef, clip(state, 40)).Sentence()}, ""
	}
	act := commands.Action{Name: action}
	switch action {
	case "resolve":
		outcome := field("outcome").SelectedOption.Value
		if _, ok := cases.ParseOutcome(outcome); !ok {
			return map[string]string{"outcome": fault.E(fault.BadOutcome, clip(outcome, 40)).Sentence()}, ""
		}
		act.Outcome = outcome
	case "reassign":
		to, err := a.resolveQuick(ctx, field("to").SelectedUser)
		if err != nil {
			return map[string]string{"to": otherPersonSentence(err)}, ""
		}
		if msg := chatkit.ReassignProblem(ctx, a.cases, id, to); msg != "" {
			return map[string]string{"to": msg}, ""
		}
		act.To = &to
	}
	act.Text = cases.CleanText(field(textField).Value)
	if err := cases.NoteError(action, id, act.Text); err != nil {
		return map[string]string{textField: fault.Sentence(err)}, ""
	}
	return nil, a.handler.Press(ctx, person, id, act).Text
}

// otherPersonSentence is what is shown when a person picked in a form
// cannot be found.
func otherPersonSentence(err error) string {
	switch {
	case errors.Is(err, errSlackSlow):
		return "Slack didn't say who that is quickly enough; please submit the form again."
	case fault.Is(err, fault.UnknownPerson):
		return fault.E(fault.PersonNotFound, "That person").Sentence()
	}
	return fault.Sentence(err)
}

// messageAction is the "Report message" shortcut: it opens the report form
// filled in with the message's words, its permalink and its author.
func (a *Adapter) messageAction(ctx context.Context, ic slackapi.InteractionCallback) {
	if ic.CallbackID != ReportMessageCallback {
		return
	}
	user, channel := ic.User.ID, ic.Channel.ID
	tell := func(text string) {
		a.later("private reply", func(ctx context.Context) error { return a.ephemeral(ctx, channel, user, text) })
	}
	if _, err := a.resolveQuick(ctx, user); err != nil {
		tell(sentence(err))
		return
	}
	text, _ := plain(ic.Message.Text)
	ts := ic.Message.Timestamp
	if ts == "" {
		ts = ic.MessageTs
	}
	link := ""
	if channel != "" && ts != "" {
		pctx, cancel := context.WithTimeout(ctx, a.apiTimeout/2)
		var err error
		link, err = a.api.GetPermalinkContext(pctx, &slackapi.PermalinkParameters{Channel: channel, Ts: ts})
		cancel()
		if err != nil {
			a.log.Warn("slack chat.getPermalink failed", "err", err)
			link = ""
		}
	}
	author := ic.Message.User
	if author == user {
		author = "" // reporting your own message names nobody
	}
	if err := a.openForm(ctx, ic.TriggerID, a.handler.ReportForm(link, clip(text, maxInput), author)); err != nil {
		tell(formFailed(""))
	}
}

// ephemeral tells a person something privately in a channel, or by DM when
// there is no channel or the bot cannot post there.
func (a *Adapter) ephemeral(ctx context.Context, channel, user, text string) error {
	if text == "" {
		return nil
	}
	if channel != "" {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, textOptions(text)...)
		if err == nil {
			return nil
		}
		a.log.Debug("slack chat.postEphemeral failed; sending a DM", "err", err)
	}
	return a.dm(ctx, user, text)
}

// dm sends a person a direct message.
func (a *Adapter) dm(ctx context.Context, user, text string) error {
	if text == "" {
		return nil
	}
	ch, err := a.openDM(ctx, user)
	if err != nil {
		return err
	}
	_, _, err = a.api.PostMessageContext(ctx, ch, textOptions(text)...)
	return err
}

// textOptions is a plain reply as message options, escaped.
func textOptions(text string) []slackapi.MsgOption {
	t, blocks := replyMessage(text)
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(t, false), slackapi.MsgOptionDisableLinkUnfurl()}
	if len(blocks) > 0 {
		opts = append(opts, slackapi.MsgOptionBlocks(blocks...))
	}
	return opts
}
