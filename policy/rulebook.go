package policy

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed rulebook.yaml
var defaultRulebook []byte

// Severity orders categories that score alike and tells a supervisor how
// urgent a case is.
type Severity string

const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
)

func (s Severity) rank() int {
	switch s {
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// Rulebook is the directive as data: the categories a report is sorted into
// and the rules that recognise them.
type Rulebook struct {
	// Version is recorded on every classification so a case shows which
	// rules judged it.
	Version string `yaml:"version"`
	// Threshold is the score a category needs to be reported.
	Threshold float64 `yaml:"threshold"`
	// Secondary is the score a category other than the best needs to be
	// reported as well: a report usually breaks one rule, and a weak second
	// guess misleads more than it helps.
	Secondary float64 `yaml:"secondary"`
	// Framing lowers a rule's weight when a cue such as "never" or
	// "reminder:" comes just before the words it matched: the text states
	// the rule rather than breaking it.
	Framing Framing `yaml:"framing"`
	// Negation names the concept of negating words ("no", "didn't"): a
	// concept found right after one of them does not count.
	Negation   string             `yaml:"negation"`
	Concepts   map[string]Concept `yaml:"concepts"`
	Categories []Category         `yaml:"categories"`
	Extra      map[string]any     `yaml:",inline"`
}

// Framing is the rule-stating context that damps a match.
type Framing struct {
	Concept string `yaml:"concept"` // cues that count before or inside a match ("never")
	Around  string `yaml:"around"`  // cues that count on either side ("reminder")
	Start   string `yaml:"start"`   // cues that frame the sentence they open ("Do not …")
	// Dismiss names cues anywhere in the text that say the reporter found
	// nothing wrong ("probably fine", "all good"): they damp every rule.
	Dismiss string  `yaml:"dismiss"`
	Before  int     `yaml:"before"` // how many tokens before a match a cue counts
	Damp    float64 `yaml:"damp"`   // factor applied to a damped rule's weight
}

// Concept is a named set of words and phrases. A term is a word ("detainee"),
// a prefix ("detain*"), a stem found anywhere in a word ("*fuck*"), or a
// phrase of such words ("written permission").
type Concept struct {
	Terms []string `yaml:"terms"`
	// Except lists whole words that a prefix or stem term must not match
	// ("shitake" for "*shit*").
	Except []string `yaml:"except"`
	// Watch marks words people disguise: letters typed apart or masked
	// ("f u c k", "f*ck") are read as these words.
	Watch bool `yaml:"watch"`
}

// UnmarshalYAML accepts a plain list of terms as shorthand for a concept.
func (c *Concept) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.SequenceNode {
		return n.Decode(&c.Terms)
	}
	type plain Concept
	return n.Decode((*plain)(c))
}

// Category is one prohibition of the directive.
type Category struct {
	ID       string   `yaml:"id"`
	Title    string   `yaml:"title"`
	Citation string   `yaml:"citation"`
	Summary  string   `yaml:"summary"`
	Severity Severity `yaml:"severity"`
	Rules    []Rule   `yaml:"rules"`
}

// Rule fires when all its concepts occur within a window of tokens.
type Rule struct {
	Name string `yaml:"name"`
	// All lists concepts that must all occur; "a|b" accepts either.
	All []string `yaml:"all"`
	// Within is the widest span, in tokens, that the occurrences may cover.
	Within int     `yaml:"within"`
	Weight float64 `yaml:"weight"`
	// Unless lists concepts that cancel the rule when they occur within the
	// same window ("with written permission").
	Unless []string `yaml:"unless"`
}

// CategoryIDs returns the directive paragraphs a report can be sorted into,
// in the directive's order (INTERFACES.md).
func CategoryIDs() []string {
	return []string{
		"4-2.f", "4-2.g", "4-2.h", "4-2.i",
		"4-4.a", "4-4.b", "4-4.c", "4-4.d", "4-4.e", "4-4.f", "4-4.g", "4-4.h", "4-4.i",
		"4-4.j.i", "4-4.j.ii", "4-5",
	}
}

// DefaultRulebook returns the rulebook built into the binary.
func DefaultRulebook() (*Rulebook, error) { return ParseRulebook(defaultRulebook) }

// LoadRulebook reads a rulebook file that replaces the built-in one.
func LoadRulebook(path string) (*Rulebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rulebook: %w", err)
	}
	rb, err := ParseRulebook(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rb, nil
}

// ParseRulebook decodes and validates a rulebook.
func ParseRulebook(data []byte) (*Rulebook, error) {
	var rb Rulebook
	if err := yaml.Unmarshal(data, &rb); err != nil {
		return nil, fmt.Errorf("rulebook is not valid YAML: %w", err)
	}
	if err := rb.validate(); err != nil {
		return nil, err
	}
	return &rb, nil
}

// validate reports every problem at once, so an editor can fix a rulebook
// in one pass.
func (rb *Rulebook) validate() error {
	var errs []error
	termPattern := regexp.MustCompile(`^\*?[\p{Ll}\p{N}']+\*?( [\p{Ll}\p{N}']+\*?)*$`)
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(rb.Extra) > 0 {
		keys := make([]string, 0, len(rb.Extra))
		for k := range rb.Extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		bad("unknown top-level keys: %s", strings.Join(keys, ", "))
	}
	if rb.Version == "" {
		bad("version is missing")
	}
	if rb.Threshold <= 0 || rb.Threshold >= 1 {
		bad("threshold must be between 0 and 1, got %v", rb.Threshold)
	}
	if rb.Secondary != 0 && (rb.Secondary < rb.Threshold || rb.Secondary >= 1) {
		bad("secondary must be between threshold and 1, got %v", rb.Secondary)
	}
	if rb.Framing.Concept != "" {
		if _, ok := rb.Concepts[rb.Framing.Concept]; !ok {
			bad("framing: unknown concept %q", rb.Framing.Concept)
		}
		for _, name := range []string{rb.Framing.Around, rb.Framing.Start, rb.Framing.Dismiss} {
			if _, ok := rb.Concepts[name]; name != "" && !ok {
				bad("framing: unknown concept %q", name)
			}
		}
		if rb.Framing.Damp < 0 || rb.Framing.Damp > 1 {
			bad("framing: damp must be between 0 and 1")
		}
	}
	if _, ok := rb.Concepts[rb.Negation]; rb.Negation != "" && !ok {
		bad("negation: unknown concept %q", rb.Negation)
	}
	for name, c := range rb.Concepts {
		if len(c.Terms) == 0 {
			bad("concept %q has no terms", name)
		}
		for _, t := range c.Terms {
			if !termPattern.MatchString(t) || len(strings.Trim(t, "*")) < 2 {
				bad("concept %q: term %q must be lower-case words, a prefix ending in *, or *stem*", name, t)
			}
		}
	}
	known := map[string]bool{}
	for _, id := range CategoryIDs() {
		known[id] = true
	}
	seen := map[string]bool{}
	for _, cat := range rb.Categories {
		switch {
		case !known[cat.ID]:
			bad("category %q is not a directive paragraph this product knows", cat.ID)
		case seen[cat.ID]:
			bad("category %q appears twice", cat.ID)
		}
		seen[cat.ID] = true
		if cat.Title == "" || cat.Citation == "" || cat.Summary == "" {
			bad("category %s needs a title, citation and summary", cat.ID)
		}
		if cat.Severity.rank() == 0 {
			bad("category %s: severity must be high, medium or low", cat.ID)
		}
		for i, r := range cat.Rules {
			where := fmt.Sprintf("category %s rule %d (%s)", cat.ID, i+1, r.Name)
			if len(r.All) == 0 {
				bad("%s: all is empty", where)
			}
			if r.Weight <= 0 || r.Weight > 1 {
				bad("%s: weight must be in (0, 1]", where)
			}
			if r.Within < 0 {
				bad("%s: within must not be negative", where)
			}
			for _, alt := range append(append([]string{}, r.All...), r.Unless...) {
				for _, name := range strings.Split(alt, "|") {
					if _, ok := rb.Concepts[name]; !ok && !builtinConcept(name) {
						bad("%s: unknown concept %q", where, name)
					}
				}
			}
		}
	}
	for _, id := range CategoryIDs() {
		if !seen[id] {
			bad("category %s is missing", id)
		}
	}
	return errors.Join(errs...)
}
