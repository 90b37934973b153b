package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
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
	return h.fileReport(ctx, actor, FormReport{Link: link, Description: desc}, mentions)
}

// FormReport is what the report form collected.
type FormReport struct {
	Link, Description string
	// Subject is the person concerned, nil when the form named nobody.
	Subject *directory.Person
	// Category is the paragraph the reporter chose, "" when they left it.
	Category string
}

// FileForm files a report from the report form (Slack modal, Mattermost
// dialog).
func (h *Handler) FileForm(ctx context.Context, actor directory.Person, f FormReport) (chat.Reply, error) {
	return h.fileReport(ctx, actor, f, nil)
}

// fileReport classifies and files a report. The form's subject wins over a
// mention in the description; the form's category is put first.
func (h *Handler) fileReport(ctx context.Context, actor directory.Person, f FormReport, mentions MentionResolver) (chat.Reply, error) {
	named, err := h.namedCategory(f.Category)
	if err != nil {
		return chat.Reply{}, err
	}
	subject := f.Subject
	if subject == nil {
		subject = firstMention(ctx, f.Description, mentions)
	}
	r := cases.Report{Reporter: actor, Subject: subject, Link: f.Link, Description: f.Description}
	if h.classifier != nil && strings.TrimSpace(f.Description) != "" {
		res := h.classifier.Classify(cases.CleanText(f.Description))
		r.RulebookVersion = res.RulebookVersion
		for _, m := range res.Categories {
			cat := cases.Category{ID: m.ID, Title: m.Title, Score: m.Score}
			for _, e := range m.Evidence {
				cat.Evidence = append(cat.Evidence, e.Text)
			}
			r.Categories = append(r.Categories, cat)
		}
	}
	r.Categories = withNamed(r.Categories, named)
	if len(r.Categories) > maxCategories {
		r.Categories = r.Categories[:maxCategories]
	}
	filed, err := h.cases.File(ctx, r)
	if err != nil {
		return chat.Reply{}, err
	}
	return chat.Reply{Text: filedText(filed, h.classifier != nil)}, nil
}

// namedCategory checks the category a reporter chose; nil when none was.
func (h *Handler) namedCategory(id string) (*cases.Category, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil
	}
	for _, c := range h.categories() {
		if c.ID == id {
			return &cases.Category{ID: c.ID, Title: c.Title, Named: true}, nil
		}
	}
	return nil, fault.E(fault.BadCategory, clipWord(id))
}

// categories are the rulebook's categories; without a classifier, the
// directive's paragraph numbers alone.
func (h *Handler) categories() []policy.Category {
	if h.classifier != nil {
		return h.classifier.Categories()
	}
	var out []policy.Category
	for _, id := range policy.CategoryIDs() {
		out = append(out, policy.Category{ID: id, Title: "§" + id})
	}
	return out
}

// withNamed puts the reporter's category first, keeping the classifier's
// score and evidence when it found the same one.
func withNamed(cats []cases.Category, named *cases.Category) []cases.Category {
	if named == nil {
		return cats
	}
	first := *named
	out := []cases.Category{first}
	for _, c := range cats {
		if c.ID == first.ID {
			c.Named = true
			out[0] = c
			continue
		}
		out = append(out, c)
	}
	return out
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
			fmt.Fprintf(&b, "%s: %s\n", label, categoryText(c, "you"))
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

// categoryText is one category as people read it: paragraph, title, the
// words that matched, and whether the reporter (who) chose it.
func categoryText(c cases.Category, who string) string {
	s := fmt.Sprintf("§%s — %s%s", c.ID, c.Title, matched(c.Evidence))
	if c.Named {
		s += " — chosen by " + who
	}
	return s
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
// opens it; its categories are the rulebook's.
func (h *Handler) ReportForm(link, text, subject string) *chat.Form {
	return NewReportForm(link, text, subject, h.categories())
}

// NewReportForm is the report form offering the given categories.
func NewReportForm(link, text, subject string, categories []policy.Category) *chat.Form {
	var options []chat.Option
	for _, c := range categories {
		label := "§" + c.ID
		if c.Title != "" && c.Title != label {
			label += " " + c.Title
		}
		options = append(options, chat.Option{Value: c.ID, Label: label})
	}
	return &chat.Form{
		ID: "report", Title: "Report a posting", Submit: "Report",
		Fields: []chat.Field{
			{Name: "link", Label: "Link", Hint: "https://… (optional)", Value: link, Optional: true},
			{Name: "description", Label: "What you saw", Value: text, Multiline: true, Hint: fmt.Sprintf("At most %d characters.", cases.MaxDescription)},
			{Name: "subject", Label: "Person concerned", Optional: true, Person: true, Value: subject},
			{Name: "category", Label: "Category, if you know it", Optional: true, Options: options},
		},
	}
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]-'A'+'a') + s[1:]
}
