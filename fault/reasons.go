package fault

// Reason names one thing that can go wrong, as a person would be told it.
type Reason string

// The catalogue: every reason, its code and the sentence a person sees. The
// sentences are plain, polite, and say whether anything changed.
const (
	InternalError    Reason = "internal_error"
	StoreUnavailable Reason = "store_unavailable"
	UnknownPerson    Reason = "unknown_person"
	PersonNotFound   Reason = "person_not_found"
	PersonInactive   Reason = "person_inactive"
	EmptyReport      Reason = "empty_report"
	DescriptionLong  Reason = "description_too_long"
	BadLink          Reason = "bad_link"
	BadCaseRef       Reason = "bad_case_ref"
	CaseNotFound     Reason = "case_not_found"
	NotYourCase      Reason = "not_your_case"
	NotAllowed       Reason = "not_allowed"
	BadTransition    Reason = "bad_transition"
	VersionConflict  Reason = "version_conflict"
	BadOutcome       Reason = "bad_outcome"
	NoteRequired     Reason = "note_required"
	ReasonRequired   Reason = "reason_required"
	SameAssignee     Reason = "same_assignee"
	NotSupervisor    Reason = "not_supervisor"
	ComplianceOnly   Reason = "compliance_only"
	BadDuration      Reason = "bad_duration"
	UnknownCommand   Reason = "unknown_command"
	BadAction        Reason = "bad_action"
	NoRoute          Reason = "no_route"
	SelfAssign       Reason = "self_assign"
	TextTooLong      Reason = "text_too_long"
	NoteTooLong      Reason = "note_too_long"
	AlreadyDone      Reason = "already_done"
	// Out-of-office delegation (issue 6).
	DelegateUsage Reason = "delegate_usage"
	BadDate       Reason = "bad_date"
	DateInPast    Reason = "date_in_past"
	DateTooFar    Reason = "date_too_far"
	DelegateSelf  Reason = "delegate_self"
	DelegatorOnly Reason = "delegator_only"
	NoDelegation  Reason = "no_delegation"
	// The report form's "category, if you know it".
	BadCategory Reason = "bad_category"
	// Retention: the case was disposed of under the records schedule.
	CaseDisposed Reason = "case_disposed"
)

type info struct {
	code Code
	text string
}

func catalogue(r Reason) info {
	switch r {
	case StoreUnavailable:
		return info{Unavailable, "The case database can't be reached right now, so nothing was filed or changed. Please try again in a few minutes."}
	case UnknownPerson:
		return info{Forbidden, "You aren't in the reporting directory yet, so I can't file or show cases for you. Please ask your administrator to add %s."}
	case PersonNotFound:
		return info{NotFound, "%s isn't in the directory, so nothing was changed."}
	case PersonInactive:
		return info{Invalid, "%s has left the directory and can't be given cases, so nothing was changed."}
	case EmptyReport:
		return info{Invalid, "Please say what you saw — a link, a description, or both — so nothing was filed yet."}
	case DescriptionLong:
		return info{Invalid, "Your description is %d characters and the limit is %d, so nothing was filed. Please shorten it and send it again."}
	case BadLink:
		return info{Invalid, "Links must be web addresses starting with http:// or https://, and %q isn't one, so nothing was filed."}
	case BadCaseRef:
		return info{Invalid, "%q isn't a case reference; they look like CASE-12."}
	case CaseNotFound:
		return info{NotFound, "There is no %s."}
	case CaseDisposed:
		return info{NotFound, "%s was disposed of on %s under the records schedule."}
	case NotYourCase:
		return info{Forbidden, "You can't see %s: it doesn't concern you."}
	case NotAllowed:
		return info{Forbidden, "You can't %s %s, so nothing was changed."}
	case BadTransition:
		return info{Conflict, "%s is %s, so it can't be %s; nothing was changed."}
	case VersionConflict:
		return info{Conflict, "%s changed while you were acting on it, so nothing was changed. Please look at it again."}
	case BadOutcome:
		return info{Invalid, "%q isn't an outcome; use violation_confirmed, no_violation, referred or duplicate. Nothing was changed."}
	case NoteRequired:
		return info{Invalid, "Please add a note saying how %s was resolved; nothing was changed."}
	case ReasonRequired:
		return info{Invalid, "Please give a reason to %s %s; nothing was changed."}
	case SameAssignee:
		return info{Invalid, "%s is already with %s, so nothing was changed."}
	case NotSupervisor:
		return info{Forbidden, "The queue is for supervisors and compliance leads, and nobody reports to you in the directory."}
	case ComplianceOnly:
		return info{Forbidden, "Only compliance leads can %s."}
	case BadDuration:
		return info{Invalid, "%q isn't a period I understand; try 7d, 24h or 90m."}
	case UnknownCommand:
		return info{Invalid, "I don't know the command %q. Type /report help to see what I can do."}
	case BadAction:
		return info{Invalid, "%q isn't a button on a case; use acknowledge, resolve, reassign, escalate or withdraw."}
	case NoRoute:
		return info{Unavailable, "Nobody in the directory can receive this case — no supervisor and no compliance lead — so nothing was filed. Please tell your administrator."}
	case SelfAssign:
		return info{Invalid, "A case can't be given to the person it is about, so nothing was changed."}
	case TextTooLong:
		return info{Invalid, "That message is %d characters and the limit is %d, so nothing was done."}
	case AlreadyDone:
		return info{Conflict, "%s was already %s, so nothing was changed."}
	case NoteTooLong:
		return info{Invalid, "Notes and reasons are limited to %d characters, and yours is %d; nothing was changed."}
	case DelegateUsage:
		return info{Invalid, "To name a delegate, type /report delegate @person until YYYY-MM-DD, or /report delegate off to end it; nothing was changed."}
	case BadDate:
		return info{Invalid, "%q isn't a date I understand; write it as YYYY-MM-DD (e.g. 2026-12-24), and nothing was changed."}
	case DateInPast:
		return info{Invalid, "%s has already passed, so nothing was changed; give the last day you will be away."}
	case DateTooFar:
		return info{Invalid, "A delegation can last at most %d days, so nothing was changed."}
	case DelegateSelf:
		return info{Invalid, "You can't be your own delegate, so nothing was changed."}
	case DelegatorOnly:
		return info{Forbidden, "Delegation is for supervisors and compliance leads, and nobody reports to you in the directory, so nothing was changed."}
	case NoDelegation:
		return info{Conflict, "You have no delegate at the moment, so nothing was changed."}
	case BadCategory:
		return info{Invalid, "%q isn't one of the directive's paragraphs (such as 4-2.f or 4-4.j.i), so nothing was filed."}
	default: // InternalError and anything unknown
		return info{Internal, "Something went wrong on our side and nothing was changed. Please try again in a minute, and tell your administrator if it keeps happening."}
	}
}
