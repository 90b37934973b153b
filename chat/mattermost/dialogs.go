package mattermost

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// Refusals of a dialog submission, shown at the top of the dialog.
const (
	invalidForm = "This form is not valid any more, so nothing was changed. Please start again."
	spentForm   = "This form was already submitted, so nothing more was changed."
)

// mainField is the field under which a form's general problems are shown.
var mainField = map[string]string{"report": "description", "resolve": "note", "reassign": "reason", "escalate": "reason", "reopen": "reason"}

// serveDialog answers a dialog submission: unsigned JSON whose state the
// adapter signed for this dialog and user when it opened it. Mistakes the
// person can fix go back under the field; anything else closes the dialog
// and the outcome (the case reference, or a refusal) is sent to them as a
// direct message from the bot, which stays in their history.
func (a *Adapter) serveDialog(w http.ResponseWriter, r *http.Request) {
	var req model.SubmitDialogRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad dialog submission", http.StatusBadRequest)
		return
	}
	if req.Cancelled || mainField[req.CallbackId] == "" {
		w.WriteHeader(http.StatusOK)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), answerBudget)
	defer cancel()
	resp, text := a.submit(ctx, req)
	if resp.Error != "" || len(resp.Errors) > 0 {
		writeJSON(w, resp)
		return
	}
	w.WriteHeader(http.StatusOK)
	user := req.UserId
	a.later("result by DM", func(ctx context.Context) error { return a.dm(ctx, user, text) })
}

// submit checks the state, then files or acts. The nonce is spent when the
// submission gets through, and given back when it is sent back for a fix.
func (a *Adapter) submit(ctx context.Context, req model.SubmitDialogRequest) (model.SubmitDialogResponse, string) {
	st, why := a.sign.checkState(req.State, req.CallbackId, req.UserId, a.now())
	if why != "" {
		a.log.Warn("mattermost: dialog submission refused", "why", why, "user", req.UserId, "callback", req.CallbackId)
		return model.SubmitDialogResponse{Error: invalidForm}, ""
	}
	if !a.nonces.Put(st.Nonce, struct{}{}) {
		a.log.Warn("mattermost: dialog submitted twice", "user", req.UserId, "callback", req.CallbackId)
		return model.SubmitDialogResponse{Error: spentForm}, ""
	}
	field := func(name string) string {
		switch v := req.Submission[name].(type) {
		case string:
			return v
		case nil:
			return ""
		default:
			return fmt.Sprint(v)
		}
	}
	var (
		errs map[string]string
		text string
	)
	person, err := a.resolveQuick(ctx, req.UserId)
	if err != nil {
		errs = map[string]string{mainField[req.CallbackId]: sentence(err)}
	} else if req.CallbackId == "report" {
		errs, text = a.submitReport(ctx, person, field)
	} else {
		errs, text = a.submitPress(ctx, person, req.CallbackId, st.Ref, field)
	}
	if len(errs) > 0 {
		a.nonces.Forget(st.Nonce)
		return model.SubmitDialogResponse{Errors: errs}, ""
	}
	return model.SubmitDialogResponse{}, text
}

type fieldFunc func(name string) string

// submitReport files the report form; a mistake is shown under its field.
func (a *Adapter) submitReport(ctx context.Context, person directory.Person, field fieldFunc) (map[string]string, string) {
	var subject *directory.Person
	if uid := strings.TrimSpace(field("subject")); uid != "" {
		p, err := a.resolveQuick(ctx, uid)
		if err != nil {
			return map[string]string{"subject": otherPersonSentence(err)}, ""
		}
		subject = &p
	}
	reply, err := a.handler.FileForm(ctx, person, commands.FormReport{
		Link: strings.TrimSpace(field("link")), Description: field("description"),
		Subject: subject, Category: field("category"),
	})
	if err != nil {
		return map[string]string{chatkit.ReportField(err): fault.Sentence(err)}, ""
	}
	return nil, reply.Text
}

// submitPress acts on the case named by the form's state with what the form
// collected. Mistakes in the fields are caught here, where they can be shown
// under the field; the handler checks everything again, and who may act.
func (a *Adapter) submitPress(ctx context.Context, person directory.Person, action, ref string, field fieldFunc) (map[string]string, string) {
	textField := mainField[action]
	id, ok := cases.ParseRef(ref)
	if !ok {
		return map[string]string{textField: fault.E(fault.BadCaseRef, clip(ref, 40)).Sentence()}, ""
	}
	act := commands.Action{Name: action}
	switch action {
	case "resolve":
		outcome := field("outcome")
		if _, ok := cases.ParseOutcome(outcome); !ok {
			return map[string]string{"outcome": fault.E(fault.BadOutcome, clip(outcome, 40)).Sentence()}, ""
		}
		act.Outcome = outcome
	case "reassign":
		to, err := a.resolveQuick(ctx, field("to"))
		if err != nil {
			return map[string]string{"to": otherPersonSentence(err)}, ""
		}
		if msg := chatkit.ReassignProblem(ctx, a.cases, id, to); msg != "" {
			return map[string]string{"to": msg}, ""
		}
		act.To = &to
	}
	act.Text = cases.CleanText(field(textField))
	if err := cases.NoteError(action, id, act.Text); err != nil {
		return map[string]string{textField: fault.Sentence(err)}, ""
	}
	return nil, a.handler.Press(ctx, person, id, act).Text
}
