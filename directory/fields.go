package directory

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a row may hold. E-mail length is RFC 5321's; the text cap
// keeps names and units readable in a chat message and a summary table.
const (
	maxEmail     = 254
	maxLocalPart = 64
	maxText      = 200 // runes, for name and unit
	maxSlackID   = 32
	mattermostID = 26 // Mattermost IDs are exactly this long
)

// validEmail reports whether s looks like local@domain.tld: ASCII only, one
// '@', no spaces, a dotted domain whose last label is letters. It does not
// try to accept everything RFC 5322 allows; a directory of staff addresses
// never needs quoted local parts, and refusing them keeps matching simple.
func validEmail(s string) bool {
	if len(s) > maxEmail {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > maxLocalPart || strings.Contains(domain, "@") {
		return false
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		if !isAlnum(local[i]) && !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", rune(local[i])) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isLetter(tld[i]) {
			return false
		}
	}
	return true
}

// validSlackID: Slack user IDs are U (or W, on Enterprise Grid) and upper-case
// alphanumerics. A lower-case one is a typo we do not guess at.
func validSlackID(s string) bool {
	if len(s) < 2 || len(s) > maxSlackID || (s[0] != 'U' && s[0] != 'W') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) && (s[i] < 'A' || s[i] > 'Z') {
			return false
		}
	}
	return true
}

// validMattermostID: Mattermost IDs are 26 lower-case alphanumerics.
func validMattermostID(s string) bool {
	if len(s) != mattermostID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && (s[i] < 'a' || s[i] > 'z') {
			return false
		}
	}
	return true
}

// cleanText tidies a name or unit: invalid UTF-8 is replaced (a file saved
// as Latin-1 by a spreadsheet is the usual cause), control characters and
// runs of white space — a quoted cell may hold line breaks — become one
// space, and the result is cut to maxText runes. It says what it changed.
func cleanText(s string) (out string, badUTF8, cut bool) {
	if !utf8.ValidString(s) {
		badUTF8 = true
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if utf8.RuneCountInString(s) > maxText {
		cut = true
		s = strings.TrimSpace(string([]rune(s)[:maxText]))
	}
	return s, badUTF8, cut
}

// parseRoles reads a ';'-separated roles cell. Known roles come back
// de-duplicated and sorted, so that the same roles in another order do not
// count as a change; anything else is returned as unknown, trimmed.
func parseRoles(s string) (roles []Role, unknown []string) {
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		switch r := Role(strings.ToLower(part)); {
		case part == "":
		case r == RoleCompliance || r == RoleAdmin:
			if !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
		default:
			unknown = append(unknown, part)
		}
	}
	slices.Sort(roles)
	return roles, unknown
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
