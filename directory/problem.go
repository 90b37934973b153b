package directory

import (
	"fmt"
	"unicode/utf8"
)

// Severities of a Problem.
const (
	// SeverityError: something the file says was not applied — the row was
	// skipped, or a value in it was dropped.
	SeverityError = "error"
	// SeverityWarning: the row loaded, but a value was cut or filled in.
	SeverityWarning = "warning"
)

// Problem is one thing wrong with a row of the directory CSV. The row's
// other people still load; the message says what was done about it.
type Problem struct {
	// Line is the 1-based line of the file on which the row starts (the
	// header is line 1; a quoted field holding line breaks moves later rows down).
	Line int
	// Email is the row's e-mail once normalised, or "" when it had none usable.
	Email    string
	Message  string
	Severity string // SeverityError or SeverityWarning
}

// String is how the CLI shows a problem:
// `line 7: carla.diaz@example.gov: unknown supervisor "x@example.gov"; loaded without a supervisor`.
func (p Problem) String() string {
	if p.Email == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", p.Line, p.Email, p.Message)
}

// quote shows a value from the file inside a message: quoted, so that
// spaces and control characters are visible, and cut, so that a garbage
// cell cannot flood the report.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	r := []rune(s)
	return fmt.Sprintf("%q…", string(r[:max]))
}
