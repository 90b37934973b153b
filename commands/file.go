package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/links"
	"github.com/reportbot/reportbot/policy"
)

// maxCategories bounds the categories kept on a case.
const maxCategories = 3

// split reads "<link> <description>" or "<description>": the first word is
// the link when it looks like one.
func split(text string) (link, description string) {
	first, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	if links.LooksLikeLink(first) {
		return first, strings.TrimSpace(rest)
	}
	return "", strings.TrimSpace(text)
}

// file files a report typed after /report.
func (h *Handler) file(ctx context.Context, actor directory.Person, text string, mentions MentionResolver) (chat.Reply, error) {
	link, desc := split(text)
	return h.FileReport(ctx, actor, link, desc, nil, mentions)
}

// FileReport files a report from the command or the report form. subject,
// when the form named one, wins over a mention in the description.
func (h *Handler) FileReport(ctx context.Context, actor directory.Person, link, desc string, subject *directory.Person, mentions MentionResolver) (chat.Reply, error) {
	if subject == nil {
		subject = firstMention(ctx, desc, mentions)
	}
	r := cases.Report{Reporter: actor, Subject: subject, Link: link, Description: desc}
	var res policy.Result
	if h.classifier != nil && strings.TrimSpace(desc) != "" {
		res = h.classifier.Classify(cases.CleanText(desc))
		r.RulebookVersion = res.RulebookVersion
		for i, m := range res.Categories {
			if i == maxCategories {
				break
			}
			cat := cases.Category{ID: m.ID, Title: m.Title, Score: m.Score}
			for _, e := range m.Evidence {
				cat.Evidence = append(cat.Evidence, e.Text)
			}
			r.Categories = append(r.Categories, cat)
		}
	}
	filed, err := h.cases.File(ctx, r)
	if err != nil {
		return chat.Reply{}, err
	}
	return chat.Reply{Text: filedText(filed, h.classifier != nil)}, nil
}

// firstMention finds the person named by the first mention that resolves.
func firstMention(ctx context.Context, text string, mentions MentionResolver) *directory.Person {
	if mentions == nil {
		return nil
	}
	for _, w := range strings.Fields(text) {
		if !strings.HasPrefix(w, "@") && !strings.HasPrefix(w, "<@") {
			continue
		}
		w = strings.TrimRight(w, ".,;:!?)")
		if p, ok := mentions(ctx, w); ok {
			return &p
		}
	}
	return nil
}

// filedText is the private answer to a filed report: the reference, the
// classification and who was told.
func filedText(f cases.Filed, classified bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Thank you. Your report is %s.\n", f.Case.ID)
	switch {
	case !classified:
		b.WriteString("Classification: not classified — your supervisor will sort it.\n")
	case len(f.Case.Categories) == 0:
		b.WriteString("Classification: no prohibition of IHSC Directive 01-22 recognised — your supervisor will review it.\n")
	default:
		for i, c := range f.Case.Categories {
			label := "Classification"
			if i > 0 {
				label = "Also"
			}
			fmt.Fprintf(&b, "%s: §%s — %s%s\n", label, c.ID, c.Title, matched(c.Evidence))
		}
	}
	fmt.Fprintf(&b, "Notified: %s (%s).\n", f.Assignee.Name, lowerFirst(strings.Join(f.Case.RoutingReasons, "; ")))
	if len(f.Case.RedactedKinds) > 0 {
		fmt.Fprintf(&b, "Personal information (%s) was removed from the stored description: only the minimum is kept.\n", strings.Join(kindWords(f.Case.RedactedKinds), ", "))
	}
	if len(f.Related) > 0 {
		var refs []string
		for _, c := range f.Related {
			refs = append(refs, c.ID.String())
		}
		fmt.Fprintf(&b, "The same link was reported before (%s); the cases are linked.\n", strings.Join(refs, ", "))
	}
	return strings.TrimRight(b.String(), "\n")
}

func matched(evidence []string) string {
	if len(evidence) == 0 {
		return ""
	}
	var q []string
	for i, e := range evidence {
		if i == 4 {
			break
		}
		q = append(q, fmt.Sprintf("%q", e))
	}
	return " (matched: " + strings.Join(q, ", ") + ")"
}

func kindWords(kinds []string) []string {
	names := map[string]string{
		"ssn": "a social security number", "a_number": "an A-number", "dob": "a date of birth",
		"phone": "a phone number", "email": "an e-mail address", "medical": "medical details",
	}
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = names[k]
		if out[i] == "" {
			out[i] = k
		}
	}
	return out
}

// ReportForm is the report form, pre-filled when the message shortcut
// opens it.
func ReportForm(link, text, subject string) *chat.Form {
	return &chat.Form{
		ID: "report", Title: "Report a posting", Submit: "Report",
		Fields: []chat.Field{
			{Name: "link", Label: "Link", Hint: "https://… (optional)", Value: link, Optional: true},
			{Name: "description", Label: "What you saw", Value: text, Multiline: true, Hint: fmt.Sprintf("At most %d characters.", cases.MaxDescription)},
			{Name: "subject", Label: "Person concerned", Optional: true, Person: true, Value: subject},
			{Name: "category", Label: "Category, if you know it", Optional: true, Options: categoryOptions()},
		},
	}
}

func categoryOptions() []chat.Option {
	var out []chat.Option
	for _, id := range policy.CategoryIDs() {
		out = append(out, chat.Option{Value: id, Label: "§" + id})
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]-'A'+'a') + s[1:]
}
