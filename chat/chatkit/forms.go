package chatkit

import (
	"context"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// ReassignProblem says what is wrong with giving case id to someone, so that
// a form can show it under the person field; "" when nothing is (the
// Service checks the same again when it acts).
func ReassignProblem(ctx context.Context, store cases.Store, id cases.ID, to directory.Person) string {
	if !to.Active {
		return fault.E(fault.PersonInactive, to.Email).Sentence()
	}
	c, err := store.Case(ctx, id)
	switch {
	case err != nil:
		return "" // the handler will say
	case c.AssigneeID == to.ID:
		return fault.E(fault.SameAssignee, id.String(), to.Name).Sentence()
	case c.SubjectID == to.ID:
		return fault.E(fault.SelfAssign).Sentence()
	}
	return ""
}

// ReportField names the report form's field that a filing error belongs
// under, so that both platforms show it beside what caused it.
func ReportField(err error) string {
	switch fault.ReasonOf(err) {
	case fault.BadLink:
		return "link"
	case fault.PersonNotFound, fault.PersonInactive, fault.SelfAssign:
		return "subject"
	case fault.BadCategory:
		return "category"
	}
	return "description"
}
