package directory

import (
	"slices"
	"strings"
)

// Role is a permission beyond being staff.
type Role string

const (
	RoleCompliance Role = "compliance" // sees and acts on every case, reads summaries
	RoleAdmin      Role = "admin"      // administers the bot
)

// Person is one row of the directory.
type Person struct {
	// ID is the store's key for the person; 0 until stored.
	ID int64
	// Email is the person's identity, kept in lower case.
	Email string
	Name  string
	// SupervisorEmail names the person's supervisor ("" for none), lower case.
	SupervisorEmail string
	// SupervisorID is the store's key of the supervisor, 0 for none.
	SupervisorID int64
	Unit         string
	Roles        []Role
	// SlackUserID and MattermostUserID link chat accounts; either may be
	// empty, in which case the adapter matches the person by e-mail.
	SlackUserID      string
	MattermostUserID string
	// Active is false for people who have left the directory. They keep
	// their cases; nothing new is routed to them.
	Active bool
}

// Has reports whether the person holds role r.
func (p Person) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// Display is how the person is named to others: "Ana Lopez <ana.lopez@example.gov>".
func (p Person) Display() string {
	if p.Name == "" {
		return p.Email
	}
	return p.Name + " <" + p.Email + ">"
}

// NormalizeEmail is how e-mail addresses are compared: without regard to case
// or surrounding space.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Platform names a chat platform whose user IDs the directory keeps.
type Platform string

const (
	Slack      Platform = "slack"
	Mattermost Platform = "mattermost"
)
