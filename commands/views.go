package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/summary"
)

const stampLayout = "2006-01-02 15:04 UTC"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// names looks people up once per reply.
type names struct {
	ctx    context.Context
	people People
	seen   map[int64]directory.Person
}

func (h *Handler) names(ctx context.Context) *names {
	return &names{ctx: ctx, people: h.people, seen: map[int64]directory.Person{}}
}

func (n *names) person(id int64) directory.Person {
	if p, ok := n.seen[id]; ok {
		return p
	}
	p, err := n.people.Person(n.ctx, id)
	if err != nil {
		p = directory.Person{ID: id, Name: fmt.Sprintf("person #%d", id)}
	}
	n.seen[id] = p
	return p
}

func (n *names) name(id int64) string { return n.person(id).Name }

func category(c cases.Case) string {
	switch {
	case c.RulebookVersion == "":
		return "not classified"
	case len(c.Categories) == 0:
		return "no category"
	}
	return "§" + c.Categories[0].ID
}

func (h *Handler) mine(ctx context.Context, actor directory.Person) (string, error) {
	cs, err := h.cases.Mine(ctx, actor, listLimit)
	if err != nil {
		return "", err
	}
	if len(cs) == 0 {
		return "You haven't filed any reports. Type /report help to see how.", nil
	}
	n := h.names(ctx)
	var b strings.Builder
	b.WriteString("Your reports, newest first:\n")
	for _, c := range cs {
		fmt.Fprintf(&b, "%s  %-12s filed %s  %s  with %s\n", c.ID, c.Status, stamp(c.CreatedAt), category(c), n.name(c.AssigneeID))
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

func (h *Handler) queue(ctx context.Context, actor directory.Person) (string, error) {
	cs, err := h.cases.Queue(ctx, actor, listLimit)
	if err != nil {
		return "", err
	}
	if len(cs) == 0 {
		return "Nothing is waiting on you.", nil
	}
	now := h.now()
	n := h.names(ctx)
	var b strings.Builder
	b.WriteString("Waiting on you, oldest first:\n")
	for _, c := range cs {
		due := c.AckDueAt
		what := "acknowledge"
		if c.Status == cases.StatusAcknowledged {
			due, what = c.ResolveDueAt, "resolve"
		}
		late := ""
		if now.After(due) {
			late = " — OVERDUE"
		}
		fmt.Fprintf(&b, "%s  %-12s %s  from %s  %s by %s%s\n", c.ID, c.Status, category(c), n.name(c.ReporterID), what, stamp(due), late)
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

func (h *Handler) show(ctx context.Context, actor directory.Person, ref string) (string, error) {
	id, ok := cases.ParseRef(ref)
	if !ok {
		return "", fault.E(fault.BadCaseRef, clipWord(ref))
	}
	c, events, related, err := h.cases.View(ctx, id, actor)
	if err != nil {
		return "", err
	}
	return CaseText(c, events, related, h.names(ctx).name), nil
}

// CaseText is a case with its history, for people it concerns.
func CaseText(c cases.Case, events []cases.Event, related []cases.Case, name func(int64) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s, with %s\n", c.ID, c.Status, name(c.AssigneeID))
	fmt.Fprintf(&b, "Filed %s by %s", stamp(c.CreatedAt), name(c.ReporterID))
	if c.Unit != "" {
		fmt.Fprintf(&b, " (%s)", c.Unit)
	}
	b.WriteString("\n")
	if c.SubjectID != 0 {
		fmt.Fprintf(&b, "About: %s\n", name(c.SubjectID))
	}
	if c.Link != "" {
		fmt.Fprintf(&b, "Link: %s\n", c.Link)
	}
	for i, cat := range c.Categories {
		label := "Category"
		if i > 0 {
			label = "Also"
		}
		fmt.Fprintf(&b, "%s: %s\n", label, categoryText(cat, "the reporter"))
	}
	if len(c.Categories) == 0 {
		fmt.Fprintf(&b, "Category: %s\n", category(c))
	}
	if c.Description != "" {
		fmt.Fprintf(&b, "What they saw: %s\n", c.Description)
	}
	switch c.Status {
	case cases.StatusOpen:
		fmt.Fprintf(&b, "Acknowledge by: %s\n", stamp(c.AckDueAt))
	case cases.StatusAcknowledged:
		fmt.Fprintf(&b, "Resolve by: %s\n", stamp(c.ResolveDueAt))
	case cases.StatusResolved:
		fmt.Fprintf(&b, "Outcome: %s — %s\n", cases.OutcomeText(c.Outcome), c.ResolutionNote)
	}
	fmt.Fprintf(&b, "Routing: %s\n", strings.Join(c.RoutingReasons, "; "))
	if len(related) > 0 {
		var refs []string
		for _, r := range related {
			refs = append(refs, r.ID.String())
		}
		fmt.Fprintf(&b, "Same link reported in: %s\n", strings.Join(refs, ", "))
	}
	b.WriteString("History:\n")
	for _, e := range events {
		who := "the bot"
		if e.ActorID != 0 {
			who = name(e.ActorID)
		}
		fmt.Fprintf(&b, "  %s  %s by %s%s\n", stamp(e.At), e.Kind, who, detailText(e.Detail))
	}
	return strings.TrimRight(b.String(), "\n")
}

func detailText(d map[string]string) string {
	if len(d) == 0 {
		return ""
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+": "+d[k])
	}
	return " — " + strings.Join(parts, "; ")
}

// clipWord keeps an echoed argument short.
func clipWord(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func (h *Handler) period(arg string) (time.Time, error) {
	d := defaultSince
	if arg = strings.TrimSpace(arg); arg != "" {
		var ok bool
		if d, ok = summary.ParseSince(arg); !ok {
			return time.Time{}, fault.E(fault.BadDuration, clipWord(arg))
		}
	}
	return h.now().Add(-d), nil
}

func (h *Handler) summary(ctx context.Context, actor directory.Person, arg string) (chat.Reply, error) {
	if !actor.Has(directory.RoleCompliance) {
		return chat.Reply{}, fault.E(fault.ComplianceOnly, "see the summary")
	}
	since, err := h.period(arg)
	if err != nil {
		return chat.Reply{}, err
	}
	s, err := h.store.Summary(ctx, since, h.now())
	if err != nil {
		return chat.Reply{}, err
	}
	text, _ := summary.Render(s, summary.Text)
	return chat.Reply{Text: strings.TrimRight(string(text), "\n")}, nil
}

func (h *Handler) export(ctx context.Context, actor directory.Person, arg string) (chat.Reply, error) {
	if !actor.Has(directory.RoleCompliance) {
		return chat.Reply{}, fault.E(fault.ComplianceOnly, "export cases")
	}
	since, err := h.period(arg)
	if err != nil {
		return chat.Reply{}, err
	}
	cs, err := h.store.CasesSince(ctx, since)
	if err != nil {
		return chat.Reply{}, err
	}
	n := h.names(ctx)
	data, err := summary.ExportCSV(cs, func(id int64) string { return n.person(id).Email })
	if err != nil {
		return chat.Reply{}, err
	}
	name := fmt.Sprintf("reportbot-cases-%s.csv", h.now().UTC().Format("2006-01-02"))
	return chat.Reply{
		Text: fmt.Sprintf("The %s filed since %s %s attached as %s.", countCases(len(cs)), stamp(since), map[bool]string{true: "is", false: "are"}[len(cs) == 1], name),
		File: &chat.File{Name: name, Type: "text/csv", Data: data},
	}, nil
}

func countCases(n int) string {
	if n == 1 {
		return "case"
	}
	return fmt.Sprintf("%d cases", n)
}
