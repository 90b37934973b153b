// Package fault gives every error the bot can show a person a reason, a code
// and one plain sentence, all listed in one place (reasons.go). Adapters map
// the code to an HTTP status and show the sentence; the detail behind an
// internal error is logged, never shown.
package fault
