package mattermost

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
)

// Refusals of a click, in one plain sentence each.
const (
	invalidButton = "This button is not valid."
	notYourButton = "This button was sent to someone else, so nothing was changed."
)

// serveAction answers a button click: unsigned JSON from the Mattermost
// server, whose context the adapter signed when it posted the card. A
// click is served only when the signature holds and the clicking user is
// the person the card was sent to; the handler then checks who may act.
// The answer carries the card rebuilt from the case and the reply as an
// ephemeral sentence; a refusal changes nothing and updates nothing.
func (a *Adapter) serveAction(w http.ResponseWriter, r *http.Request) {
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad action request", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), answerBudget)
	defer cancel()
	writeJSON(w, a.action(ctx, req))
}

// refuse answers a click privately and changes nothing.
func refuse(text string) model.PostActionIntegrationResponse {
	return model.PostActionIntegrationResponse{EphemeralText: replyText(text), SkipSlackParsing: true}
}

func (a *Adapter) action(ctx context.Context, req model.PostActionIntegrationRequest) model.PostActionIntegrationResponse {
	cc, ok := a.sign.checkContext(req.Context)
	if !ok {
		a.log.Warn("mattermost: click with a forged or altered context refused", "user", req.UserId, "post", req.PostId, "case", clip(cc.Ref, 40), "action", clip(cc.Action, 40))
		return refuse(invalidButton)
	}
	id, okRef := cases.ParseRef(cc.Ref)
	recipient, err := strconv.ParseInt(cc.Recipient, 10, 64)
	if !okRef || err != nil || !slices.Contains(commands.Actions(), cc.Action) {
		// Signed by us, yet not something we sign: a bug or an old button.
		a.log.Error("mattermost: signed context that is not a case button", "case", clip(cc.Ref, 40), "action", clip(cc.Action, 40))
		return refuse(invalidButton)
	}
	person, err := a.resolveQuick(ctx, req.UserId)
	if err != nil {
		return refuse(sentence(err))
	}
	if person.ID != recipient {
		a.log.Warn("mattermost: click on a card sent to someone else refused", "user", req.UserId, "person", person.ID, "recipient", recipient, "case", cc.Ref)
		return refuse(notYourButton)
	}
	if form := reasonForm(cc.Action, id); form != nil {
		return a.actionForm(ctx, req, form)
	}
	reply := a.handler.Press(ctx, person, id, commands.Action{Name: cc.Action})
	if reply.Form != nil {
		return a.actionForm(ctx, req, reply.Form)
	}
	resp := model.PostActionIntegrationResponse{EphemeralText: replyText(reply.Text), SkipSlackParsing: true}
	if post, ok := a.rebuilt(ctx, id, person); ok {
		resp.Update = post
	}
	return resp
}

// actionForm opens the form a button needs; when Mattermost will not open
// it, the person is told.
func (a *Adapter) actionForm(ctx context.Context, req model.PostActionIntegrationRequest, f *chat.Form) model.PostActionIntegrationResponse {
	if err := a.openDialog(ctx, req.TriggerId, req.UserId, f); err != nil {
		return refuse(formFailed(""))
	}
	return model.PostActionIntegrationResponse{}
}

// rebuilt is the card as it now stands, from the case itself, for the
// person it was sent to.
func (a *Adapter) rebuilt(ctx context.Context, id cases.ID, recipient directory.Person) (*model.Post, bool) {
	c, err := a.cases.Case(ctx, id)
	if err != nil {
		a.log.Warn("mattermost: case not read to rebuild its card", "case", id.String(), "err", err)
		return nil, false
	}
	return a.cardPost(ctx, statusLine(c), c, recipient), true
}

// cardPost is the card of case c for a recipient, with the lead sentence.
func (a *Adapter) cardPost(ctx context.Context, lead string, c cases.Case, recipient directory.Person) *model.Post {
	card := a.handler.Card(ctx, c, recipient, a.personOrPlaceholder(ctx))
	ref := c.ID.String()
	att := CardAttachment(card, c.Status, c.Link, a.publicURL+ActionPath, func(action string) map[string]any {
		return a.sign.buttonContext(ref, action, recipient.ID)
	})
	return cardPost(lead, att)
}
