package slack

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack/slackutilsx"
)

// esc makes user text safe inside mrkdwn: &, < and > become entities, so
// <!channel>, <@U…> and <https://…|…> are shown, never acted on.
func esc(s string) string { return slackutilsx.EscapeMessage(s) }

// clip cuts s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}

// chunks splits escaped mrkdwn into pieces of at most n runes, at a line
// break where it can, never inside an entity (&amp; &lt; &gt;).
func chunks(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		cut := n
		if i := lastRune(r[:n], '\n'); i > 0 {
			cut = i + 1
		} else {
			cut = safeCut(r, n)
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return append(out, string(r))
}

// safeCut is the longest length, at most n, of a prefix of escaped text r
// that does not end inside an entity.
func safeCut(r []rune, n int) int {
	if amp := lastRune(r[:n], '&'); amp > 0 && lastRune(r[amp:n], ';') < 0 {
		return amp
	}
	return n
}

func lastRune(r []rune, c rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == c {
			return i
		}
	}
	return -1
}

// plain turns text as Slack sends it (slash command text, a message's text)
// into what the person typed: links <https://x|label> become the address,
// mentions <@U123|ana> become "@ana" (mentions maps that token back to the
// user ID), <!channel> becomes "@channel", <#C1|general> becomes "#general",
// and the entities &lt; &gt; &amp; are decoded. The result is stored and,
// when shown again, escaped.
func plain(s string) (text string, mentions map[string]string) {
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			break
		}
		b.WriteString(unentity(s[:open]))
		inner := s[open+1 : open+end]
		s = s[open+end+1:]
		target, label, _ := strings.Cut(inner, "|")
		label = unentity(label)
		switch {
		case strings.HasPrefix(target, "@"):
			id := target[1:]
			token := "@" + id
			if label != "" && !strings.ContainsAny(label, " \t\n") {
				token = "@" + strings.TrimPrefix(label, "@")
			}
			if validUserID(id) {
				if mentions == nil {
					mentions = map[string]string{}
				}
				if _, taken := mentions[token]; !taken {
					mentions[token] = id
				}
			}
			b.WriteString(token)
		case strings.HasPrefix(target, "#"):
			if label != "" {
				b.WriteString("#" + strings.TrimPrefix(label, "#"))
			} else {
				b.WriteString(target)
			}
		case strings.HasPrefix(target, "!"):
			switch {
			case label != "":
				b.WriteString(label)
			case strings.HasPrefix(target, "!subteam^"):
				b.WriteString("@team")
			default:
				name, _, _ := strings.Cut(target[1:], "^")
				b.WriteString("@" + name)
			}
		default: // a link: the address is the truth, the label only shows
			b.WriteString(unentity(target))
		}
	}
	b.WriteString(unentity(s))
	return b.String(), mentions
}

var entities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unentity(s string) string { return entities.Replace(s) }

// userID reads a Slack user ID out of a mention token: "<@U123>",
// "<@U123|ana>" or "U123". It reports false for anything else.
func userID(token string) (string, bool) {
	t := strings.TrimSuffix(strings.TrimPrefix(token, "<"), ">")
	t = strings.TrimPrefix(t, "@")
	t, _, _ = strings.Cut(t, "|")
	if !validUserID(t) {
		return "", false
	}
	return t, true
}

// validUserID accepts Slack user IDs (U… and, on Enterprise Grid, W…).
func validUserID(id string) bool {
	if len(id) < 2 || len(id) > 32 || (id[0] != 'U' && id[0] != 'W') {
		return false
	}
	for i := 1; i < len(id); i++ {
		c := id[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
