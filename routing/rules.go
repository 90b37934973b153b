package routing

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones for ROUTING_FILE's time_zone, whatever the host has

	"gopkg.in/yaml.v3"
)

// Categories are the directive's paragraph numbers (INTERFACES.md); a
// ROUTING_FILE may name only these.
var Categories = []string{"4-2.f", "4-2.g", "4-2.h", "4-2.i", "4-4.a", "4-4.b", "4-4.c", "4-4.d",
	"4-4.e", "4-4.f", "4-4.g", "4-4.h", "4-4.i", "4-4.j.i", "4-4.j.ii", "4-5"}

// Severities are the rulebook's severities.
var Severities = []string{"high", "medium", "low"}

// Recipient is someone copied on new cases by the rules: a platform
// channel ("slack:C0SEC", "mattermost:<26 characters>") or a person in the
// directory by e-mail. Exactly one field is set.
type Recipient struct {
	Channel string
	Email   string
}

func (r Recipient) String() string {
	if r.Channel != "" {
		return r.Channel
	}
	return r.Email
}

// Rules are the routing rules of a ROUTING_FILE. The zero value and nil are
// the built-in defaults.
type Rules struct {
	defaults   Deadlines
	set        bool // defaults holds the file's defaults
	categories map[string]override
	severities map[string]override
	hours      *WorkingHours
	loc        *time.Location
}

// override is a category's or severity's part of the rules; a zero
// duration is not set.
type override struct {
	d      Deadlines
	notify []Recipient
}

// DefaultRules are the built-in rules: DefaultDeadlines, nobody extra,
// any hour, UTC.
func DefaultRules() *Rules { return &Rules{} }

// Load reads and checks a ROUTING_FILE. Errors name the file, the line
// and the field.
func Load(path string) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("routing rules %s: %w", path, errors.Unwrap(err))
	}
	r, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("routing rules %s: %w", path, err)
	}
	return r, nil
}

// Parse reads routing rules (see deploy/routing.example.yaml). Every
// problem found is reported, each with its line and field, joined by "; ".
func Parse(data []byte) (*Rules, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	p := &parser{r: &Rules{defaults: DefaultDeadlines(), categories: map[string]override{}, severities: map[string]override{}}}
	if len(doc.Content) == 0 {
		return p.r, nil // an empty file: the defaults
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: the file must be a mapping with defaults, categories, severities, time_zone and working_hours", root.Line)
	}
	var hours *yaml.Node
	p.each(root, "", func(key string, k, v *yaml.Node) {
		switch key {
		case "defaults":
			o := p.block(v, "defaults", false)
			p.r.defaults = merge(p.r.defaults, o.d)
			p.r.set = true
		case "categories":
			p.each(v, "categories", func(id string, k, v *yaml.Node) {
				if !slices.Contains(Categories, id) {
					p.errf(k, "categories."+id, "unknown category %q; use one of the directive's paragraphs (%s)", id, strings.Join(Categories, ", "))
					return
				}
				p.r.categories[id] = p.block(v, "categories."+id, true)
			})
		case "severities":
			p.each(v, "severities", func(sev string, k, v *yaml.Node) {
				if !slices.Contains(Severities, sev) {
					p.errf(k, "severities."+sev, "unknown severity %q; use high, medium or low", sev)
					return
				}
				p.r.severities[sev] = p.block(v, "severities."+sev, true)
			})
		case "time_zone":
			name, ok := p.scalar(v, "time_zone")
			if !ok {
				return
			}
			loc, err := time.LoadLocation(name)
			if err != nil || name == "" || name == "Local" {
				p.errf(v, "time_zone", "%q is not an IANA time zone (e.g. America/New_York, UTC)", name)
				return
			}
			p.r.loc = loc
		case "working_hours":
			hours = v
		default:
			p.errf(k, key, "unknown field; use defaults, categories, severities, time_zone or working_hours")
		}
	})
	if hours != nil {
		p.r.hours = p.workingHours(hours)
	}
	p.checkOrder()
	if len(p.errs) > 0 {
		return nil, errors.New(strings.Join(p.errs, "; "))
	}
	if p.r.hours != nil {
		p.r.hours.Location = p.r.Location()
	}
	return p.r, nil
}

type parser struct {
	r    *Rules
	errs []string
}

func (p *parser) errf(n *yaml.Node, field, format string, args ...any) {
	p.errs = append(p.errs, fmt.Sprintf("line %d: %s: %s", n.Line, field, fmt.Sprintf(format, args...)))
}

// each calls fn for every key of a mapping, refusing repeated keys.
func (p *parser) each(n *yaml.Node, field string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		if field == "" {
			field = "file"
		}
		p.errf(n, field, "must be a mapping of names to values")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(field, k.Value)
		if seen[k.Value] {
			p.errf(k, name, "given twice")
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func (p *parser) scalar(n *yaml.Node, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.errf(n, field, "must be a single value")
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// block reads the durations (and, when notify is allowed, the extra
// recipients) of defaults, a category or a severity.
func (p *parser) block(n *yaml.Node, field string, notify bool) override {
	var o override
	p.each(n, field, func(key string, k, v *yaml.Node) {
		name := field + "." + key
		var dst *time.Duration
		switch key {
		case "acknowledge":
			dst = &o.d.Acknowledge
		case "escalate":
			dst = &o.d.Escalate
		case "remind_every":
			dst = &o.d.RemindEvery
		case "resolve":
			dst = &o.d.Resolve
		case "remind_resolve_every":
			dst = &o.d.RemindResolveEvery
		case "notify":
			if !notify {
				p.errf(k, name, "extra recipients go under a category or a severity, not defaults")
				return
			}
			o.notify = p.recipients(v, name)
			return
		default:
			extra := ""
			if notify {
				extra = " or notify"
			}
			p.errf(k, name, "unknown field; use acknowledge, escalate, remind_every, resolve, remind_resolve_every%s", extra)
			return
		}
		s, ok := p.scalar(v, name)
		if !ok {
			return
		}
		d, err := ParseDuration(s)
		if err != nil {
			p.errf(v, name, "%v", err)
			return
		}
		*dst = d
	})
	return o
}

func (p *parser) recipients(n *yaml.Node, field string) []Recipient {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []Recipient
	for _, it := range items {
		s, ok := p.scalar(it, field)
		if !ok {
			continue
		}
		r, err := ParseRecipient(s)
		if err != nil {
			p.errf(it, field, "%v", err)
			continue
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// ParseRecipient reads "slack:CHANNEL_ID", "mattermost:CHANNEL_ID" or an
// e-mail address of someone in the directory.
func ParseRecipient(s string) (Recipient, error) {
	if platform, id, ok := strings.Cut(s, ":"); ok && !strings.Contains(s, "@") {
		switch platform {
		case "slack":
			if !slackChannel(id) {
				return Recipient{}, fmt.Errorf("%q does not hold a Slack channel ID (C…, G… or D… in capitals)", s)
			}
		case "mattermost":
			if !mattermostChannel(id) {
				return Recipient{}, fmt.Errorf("%q does not hold a Mattermost channel ID (26 lower-case letters and digits)", s)
			}
		default:
			return Recipient{}, fmt.Errorf("%q is neither slack:CHANNEL_ID, mattermost:CHANNEL_ID nor an e-mail address", s)
		}
		return Recipient{Channel: s}, nil
	}
	email := strings.ToLower(s)
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(email, " \t,;<>") || strings.Contains(domain, "@") {
		return Recipient{}, fmt.Errorf("%q is neither slack:CHANNEL_ID, mattermost:CHANNEL_ID nor an e-mail address", s)
	}
	return Recipient{Email: email}, nil
}

func slackChannel(s string) bool {
	if len(s) < 2 || len(s) > 32 || !strings.ContainsRune("CGD", rune(s[0])) {
		return false
	}
	for _, r := range s[1:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func mattermostChannel(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// ParseDuration reads a positive duration: Go's form (4h, 90m, 1h30m) or
// days (10d, 2d12h).
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a duration; write e.g. 4h, 90m or 10d", s)
	var d time.Duration
	rest := s
	if days, after, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return 0, bad
		}
		d, rest = time.Duration(n)*24*time.Hour, after
	}
	if rest != "" {
		x, err := time.ParseDuration(rest)
		if err != nil {
			return 0, bad
		}
		d += x
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be longer than zero", s)
	}
	return d, nil
}

// merge lays the durations set in o over d.
func merge(d, o Deadlines) Deadlines {
	set := func(dst *time.Duration, v time.Duration) {
		if v > 0 {
			*dst = v
		}
	}
	set(&d.Acknowledge, o.Acknowledge)
	set(&d.Escalate, o.Escalate)
	set(&d.RemindEvery, o.RemindEvery)
	set(&d.Resolve, o.Resolve)
	set(&d.RemindResolveEvery, o.RemindResolveEvery)
	return d
}

// checkOrder refuses limits that cannot work together: escalation must
// come after the acknowledgement reminder.
func (p *parser) checkOrder() {
	check := func(field string, d Deadlines) {
		if d.Escalate <= d.Acknowledge {
			p.errs = append(p.errs, fmt.Sprintf("%s: escalate (%s) must be later than acknowledge (%s)", field, d.Escalate, d.Acknowledge))
		}
	}
	check("defaults", p.r.defaults)
	for _, sev := range Severities {
		if _, ok := p.r.severities[sev]; ok {
			check("severities."+sev, p.r.DeadlinesFor("", sev))
		}
	}
	for _, id := range Categories {
		if _, ok := p.r.categories[id]; ok {
			check("categories."+id, p.r.DeadlinesFor(id, ""))
			for _, sev := range Severities {
				if _, ok := p.r.severities[sev]; ok {
					check("categories."+id+" with severities."+sev, p.r.DeadlinesFor(id, sev))
				}
			}
		}
	}
}

// DeadlinesFor is the time limits of a case whose top category and
// severity are given ("" for none): a category's own durations win over its
// severity's, which win over the defaults, field by field.
func (r *Rules) DeadlinesFor(categoryID, severity string) Deadlines {
	d := DefaultDeadlines()
	if r == nil {
		return d
	}
	if r.set {
		d = r.defaults
	}
	if o, ok := r.severities[severity]; ok {
		d = merge(d, o.d)
	}
	if o, ok := r.categories[categoryID]; ok {
		d = merge(d, o.d)
	}
	return d
}

// ExtraRecipients are who is told at once of a new case of this category
// and severity: the category's recipients, then the severity's, each once.
func (r *Rules) ExtraRecipients(categoryID, severity string) []Recipient {
	if r == nil {
		return nil
	}
	var out []Recipient
	for _, o := range []override{r.categories[categoryID], r.severities[severity]} {
		for _, x := range o.notify {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// AllRecipients lists every extra recipient the rules name, each once, to
// be checked against the directory and the enabled platforms at start.
func (r *Rules) AllRecipients() []Recipient {
	if r == nil {
		return nil
	}
	var out []Recipient
	add := func(m map[string]override, keys []string) {
		for _, k := range keys {
			for _, x := range m[k].notify {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
		}
	}
	add(r.categories, Categories)
	add(r.severities, Severities)
	return out
}

// Location is the rules' time zone (UTC when none is set): delegation dates
// end at midnight there, and working hours are read there.
func (r *Rules) Location() *time.Location {
	if r == nil || r.loc == nil {
		return time.UTC
	}
	return r.loc
}

// Hours are the working hours, nil for any hour.
func (r *Rules) Hours() *WorkingHours {
	if r == nil {
		return nil
	}
	return r.hours
}

// Due is when a limit of d from start falls due: start+d, moved to the next
// working start when that falls outside working hours.
func (r *Rules) Due(start time.Time, d time.Duration) time.Time {
	return r.Hours().Next(start.Add(d))
}

// WorkingHours are the hours in which deadlines may fall.
type WorkingHours struct {
	Days       [7]bool       // by time.Weekday
	Start, End time.Duration // since midnight; Start < End
	Location   *time.Location
}

// Next returns t when it is within working hours, else the start of the
// next working period; a nil WorkingHours returns t. It is a pure function
// of t.
func (w *WorkingHours) Next(t time.Time) time.Time {
	if w == nil {
		return t
	}
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	local := t.In(loc)
	for i := range 8 {
		y, m, d := local.Date()
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		if !w.Days[day.Weekday()] {
			continue
		}
		start := clock(day, w.Start, loc)
		end := clock(day, w.End, loc)
		if i == 0 && !local.Before(start) && local.Before(end) {
			return t
		}
		if local.Before(start) {
			return start.In(t.Location())
		}
	}
	return t // no working day at all: refused by Parse
}

// clock is the time of day on day's date in loc, by wall clock (so a DST
// change does not shift 08:00).
func clock(day time.Time, since time.Duration, loc *time.Location) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, int(since/time.Hour), int(since%time.Hour/time.Minute), 0, 0, loc)
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

func (p *parser) workingHours(n *yaml.Node) *WorkingHours {
	w := &WorkingHours{}
	var gotDays, gotStart, gotEnd bool
	before := len(p.errs)
	p.each(n, "working_hours", func(key string, k, v *yaml.Node) {
		name := "working_hours." + key
		switch key {
		case "days":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				p.errf(v, name, "must be a list of days, e.g. [mon, tue, wed, thu, fri]")
				return
			}
			for _, it := range v.Content {
				day, ok := weekdays[strings.ToLower(strings.TrimSpace(it.Value))]
				if !ok || it.Kind != yaml.ScalarNode {
					p.errf(it, name, "%q is not a day; use mon, tue, wed, thu, fri, sat or sun", it.Value)
					continue
				}
				w.Days[day] = true
			}
			gotDays = true
		case "start", "end":
			s, ok := p.scalar(v, name)
			if !ok {
				return
			}
			t, err := time.Parse("15:04", s)
			if err != nil {
				p.errf(v, name, "%q is not a time of day as HH:MM (e.g. 08:00)", s)
				return
			}
			since := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
			if key == "start" {
				w.Start, gotStart = since, true
			} else {
				w.End, gotEnd = since, true
			}
		default:
			p.errf(k, name, "unknown field; use days, start and end")
		}
	})
	if len(p.errs) > before {
		return nil
	}
	switch {
	case !gotStart || !gotEnd:
		p.errf(n, "working_hours", "needs both start and end (e.g. start: \"08:00\", end: \"17:00\")")
	case w.Start >= w.End:
		p.errf(n, "working_hours", "start must be before end")
	default:
		if !gotDays {
			for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
				w.Days[d] = true
			}
		}
		return w
	}
	return nil
}
