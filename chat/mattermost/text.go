package mattermost

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwj is the zero-width joiner that keeps user text from mentioning anyone
// (see the package documentation).
const zwj = "\u200d"

// neutral makes text a person typed safe to show in a post, an attachment
// or an ephemeral answer: a zero-width joiner goes after every "@" that is
// not inside a word (so "@channel", "@all", "@here", "x.@someone" and
// "<@id>" mention nobody, while "ana@example.gov" stays as typed), after a
// "<" that opens Slack-style markup ("<!channel>", "<@id>", "<#C1>"), and
// between the "!" and "[" of a Markdown image, which would otherwise be
// loaded from wherever it points. Nothing else changes.
func neutral(s string) string {
	if !strings.ContainsAny(s, "@<!") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := ' '
	for i, r := range s {
		b.WriteRune(r)
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		switch {
		case r == '@' && !unicode.IsLetter(prev) && !unicode.IsNumber(prev):
			b.WriteString(zwj)
		case r == '<' && (next == '!' || next == '@' || next == '#'):
			b.WriteString(zwj)
		case r == '!' && next == '[':
			b.WriteString(zwj)
		}
		prev = r
	}
	return b.String()
}

// codeSpan shows s as inline code, which Mattermost neither links, nor
// formats, nor reads for mentions. Backticks inside cannot end the span:
// they are written as %60, which is what they are in an address anyway.
func codeSpan(s string) string {
	s = strings.ReplaceAll(s, "`", "%60")
	s = strings.ReplaceAll(s, "\n", " ")
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}

// clip cuts s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if n <= 1 {
		return string(r[:max(n, 0)])
	}
	return string(r[:n-1]) + "…"
}

// clipBytes cuts s to at most n bytes, on a rune boundary, marking the cut
// with an ellipsis: Mattermost measures dialog labels in bytes.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	cut := n - len(ell)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if n < len(ell) {
		return s[:cut]
	}
	return s[:cut] + ell
}

// columns reports whether text is laid out in columns: two spaces in a row
// inside some line.
func columns(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(strings.TrimSpace(line), "  ") {
			return true
		}
	}
	return false
}

// replyText renders a plain reply as Markdown: neutralised, and text laid
// out in columns inside a code block so that the columns line up. A run of
// three backticks inside cannot close the block.
func replyText(text string) string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return ""
	}
	text = clip(neutral(text), maxMessage-16)
	if !columns(text) {
		return text
	}
	return "```\n" + strings.ReplaceAll(text, "```", "``"+zwj+"`") + "\n```"
}

// quote shows someone's words as a Markdown quote, neutralised.
func quote(words string) string {
	lines := strings.Split(neutral(strings.TrimSpace(words)), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// validUserID accepts Mattermost IDs: 26 lower-case letters and digits.
func validUserID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// username reads a Mattermost username out of a mention token ("@ana.lopez"),
// or false. Usernames are 3 to 64 of a-z, 0-9, ".", "-" and "_", starting
// with a letter; Mattermost lower-cases them.
func username(token string) (string, bool) {
	name, ok := strings.CutPrefix(token, "@")
	if !ok {
		return "", false
	}
	name = strings.ToLower(strings.TrimRight(name, ".-_"))
	if len(name) < 1 || len(name) > 64 || name[0] < 'a' || name[0] > 'z' {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '.' && c != '-' && c != '_' {
			return "", false
		}
	}
	switch name {
	case "all", "channel", "here":
		return "", false
	}
	return name, true
}
