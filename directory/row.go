package directory

import (
	"strings"
)

// row checks one record and, unless its e-mail is unusable or taken, adds
// the person. A bad optional value is dropped and the person still loads:
// being reachable by e-mail is better than being missing.
func (p *parser) row(line int, rec []string) {
	if blank(rec) {
		return
	}
	get := func(col string) string { return p.cols.get(rec, col) }

	raw := strings.TrimSpace(get(colEmail))
	email := NormalizeEmail(raw)
	switch {
	case email == "":
		p.problem(line, "", SeverityError, "no e-mail; row skipped")
		return
	case !validEmail(email):
		p.problem(line, "", SeverityError, "bad e-mail %s (want local@domain.tld, no spaces, at most %d characters); row skipped", quote(raw), maxEmail)
		return
	}
	if first, dup := p.byEmail[email]; dup {
		p.problem(line, email, SeverityError, "duplicate e-mail, already on line %d; row skipped", p.lines[first])
		return
	}

	person := Person{Email: email, Active: true}
	person.Name = p.text(line, email, "name", get(colName))
	if person.Name == "" {
		// Loaded anyway: a person without a name can still report and be
		// routed to, and everything shown of them still makes sense.
		person.Name = email
		p.problem(line, email, SeverityWarning, "no name; loaded with the e-mail address as the name")
	}
	person.Unit = p.text(line, email, "unit", get(colUnit))
	person.SupervisorEmail = p.supervisor(line, email, get(colSupervisor))

	roles, unknown := parseRoles(get(colRoles))
	person.Roles = roles
	for _, u := range unknown {
		p.problem(line, email, SeverityError, "unknown role %s (roles are compliance and admin, separated by ';'); dropped", quote(u))
	}

	i := len(p.people)
	person.SlackUserID = p.chatID(line, email, i, "Slack", get(colSlack), validSlackID, "U or W and capital letters or digits, like U0123ABCD", p.slack)
	person.MattermostUserID = p.chatID(line, email, i, "Mattermost", get(colMattermost), validMattermostID, "26 lower-case letters or digits", p.mattermost)

	p.byEmail[email] = i
	p.people = append(p.people, person)
	p.lines = append(p.lines, line)
}

// text cleans a name or unit cell, with a warning for what it changed.
func (p *parser) text(line int, email, what, raw string) string {
	s, badUTF8, cut := cleanText(raw)
	if badUTF8 {
		p.problem(line, email, SeverityWarning, "%s is not valid UTF-8 (was the file saved as UTF-8?); loaded as %s", what, quote(s))
	}
	if cut {
		p.problem(line, email, SeverityWarning, "%s is longer than %d characters; cut to %s", what, maxText, quote(s))
	}
	return s
}

// supervisor checks the supervisor cell on its own; whether the supervisor
// is in the file, and cycles, are checked once the whole file is read.
func (p *parser) supervisor(line int, email, raw string) string {
	sup := NormalizeEmail(raw)
	switch {
	case sup == "":
		return ""
	case !validEmail(sup):
		p.problem(line, email, SeverityError, "bad supervisor e-mail %s; loaded without a supervisor", quote(strings.TrimSpace(raw)))
		return ""
	case sup == email:
		p.problem(line, email, SeverityError, "is their own supervisor; loaded without a supervisor")
		return ""
	}
	return sup
}

// chatID checks a platform user ID cell: a malformed ID, or one already
// given to someone earlier in the file, is dropped, and the person will be
// matched by e-mail instead. taken maps IDs to the index of their holder.
func (p *parser) chatID(line int, email string, i int, platform, raw string, valid func(string) bool, shape string, taken map[string]int) string {
	id := strings.TrimSpace(raw)
	if id == "" {
		return ""
	}
	if !valid(id) {
		p.problem(line, email, SeverityError, "%s user ID %s isn't one (want %s); dropped, so they will be matched by e-mail", platform, quote(id), shape)
		return ""
	}
	if first, dup := taken[id]; dup {
		p.problem(line, email, SeverityError, "%s user ID %s already belongs to %s (line %d); dropped, so they will be matched by e-mail",
			platform, id, p.people[first].Email, p.lines[first])
		return ""
	}
	taken[id] = i
	return id
}
