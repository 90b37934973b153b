package fault

import (
	"errors"
	"fmt"
)

// Code groups reasons by what the caller should do about them.
type Code string

const (
	Invalid     Code = "invalid"     // the request is wrong; fix it and try again
	NotFound    Code = "not_found"   // the thing asked for does not exist
	Forbidden   Code = "forbidden"   // this person may not do this
	Conflict    Code = "conflict"    // the state moved on; look again
	Unavailable Code = "unavailable" // a dependency is down; try later
	Internal    Code = "internal"    // our bug
)

// Error is an error with a reason from the catalogue and the values its
// sentence needs.
type Error struct {
	Reason Reason
	Args   []any
	// Err is the underlying cause, for logs only.
	Err error
}

// E makes an error for reason, filling its sentence with args.
func E(reason Reason, args ...any) *Error { return &Error{Reason: reason, Args: args} }

// Wrap makes an error for reason that keeps err as its cause.
func Wrap(err error, reason Reason, args ...any) *Error {
	return &Error{Reason: reason, Args: args, Err: err}
}

func (e *Error) Error() string {
	msg := e.Sentence()
	if e.Err != nil {
		return fmt.Sprintf("%s: %s (%v)", e.Reason, msg, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Reason, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Sentence is the plain sentence a person sees.
func (e *Error) Sentence() string {
	info := catalogue(e.Reason)
	if len(e.Args) == 0 {
		return info.text
	}
	return fmt.Sprintf(info.text, e.Args...)
}

// Code is the reason's code.
func (e *Error) Code() Code { return catalogue(e.Reason).code }

// CodeOf returns the code of err: its reason's, or Internal for an error
// the catalogue does not know.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return Internal
}

// ReasonOf returns err's reason, or "" for an error the catalogue does not know.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Sentence returns the sentence a person should see for err. Errors the
// catalogue does not know get the internal-error sentence: their detail is
// for the log.
func Sentence(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Sentence()
	}
	return catalogue(InternalError).text
}

// Is reports whether err has the given reason.
func Is(err error, reason Reason) bool { return ReasonOf(err) == reason }
