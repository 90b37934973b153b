package policy

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/reportbot/reportbot/policy/pii"
)

// Built-in concepts that no word list can express.
const (
	conceptShouting = "$shouting" // four or more words in a row typed in capitals
	conceptMention  = "$mention"  // an @mention of a person
	conceptCaps     = "$caps"     // one long word typed in capitals ("URGENT")
)

func builtinConcept(name string) bool {
	return name == conceptShouting || name == conceptMention || name == conceptCaps
}

// capsLetters is how long a word in capitals must be to count as $caps;
// shorter ones are usually acronyms (IHSC, HIPAA).
const capsLetters = 6

// shoutingRun is how many capitalised words in a row count as shouting.
const shoutingRun = 4

// modelEvidence is how many of the model's strongest words are shown.
const modelEvidence = 3

// maxEvidence bounds the spans shown for one category.
const maxEvidence = 8

// Evidence is a span of the original text that led to a category, in runes.
type Evidence struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Match is one category a text was sorted into.
type Match struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Citation string     `json:"citation"`
	Severity Severity   `json:"severity"`
	Score    float64    `json:"score"`
	Evidence []Evidence `json:"evidence"`
	// Rules names the rules that fired, for tuning and audit.
	Rules []string `json:"rules,omitempty"`
}

// Result is the classification of one text.
type Result struct {
	// Categories holds the categories at or above the rulebook's threshold,
	// best first; empty when nothing clearly matches.
	Categories []Match
	// PII lists personal information found in the text.
	PII []pii.Finding
	// RulebookVersion says which rules judged the text.
	RulebookVersion string
}

// Top returns the best category, or false when there is none.
func (r Result) Top() (Match, bool) {
	if len(r.Categories) == 0 {
		return Match{}, false
	}
	return r.Categories[0], true
}

type compiledRule struct {
	name   string
	slots  [][]int // per slot, the concepts any of which fills it
	within int
	weight float64
	unless []int
}

type compiledCategory struct {
	Category
	rules      []compiledRule
	modelClass int // the model's output for this category, or -1
}

// Classifier sorts texts against a rulebook. It is safe for concurrent use.
type Classifier struct {
	version   string
	threshold float64
	secondary float64
	ix        *index
	concepts  []string
	framing   int // concept index of framing cues, or -1
	// framingAround is the concept of cues that count on either side.
	framingAround int
	before        int
	damp          float64
	shouting      int
	caps          int
	// framingStart is the concept of cues that frame their whole sentence
	// when they open it ("Do not …", "Never …"), or -1.
	framingStart int
	// dismiss is the concept of cues that damp the whole text, or -1.
	dismiss int
	// negator is the concept of words that cancel the occurrence right
	// after them ("no detainees", "didn't post"), or -1.
	negator int
	mention int
	cats    []compiledCategory
	model   *compiledModel // nil when the rules work alone
	// pool recycles the per-text occurrence tables.
	pool sync.Pool
}

// Option adjusts a classifier as it is built.
type Option func(*Classifier, *buildState)

type buildState struct{ model *Model }

// WithModel adds a trained model to the rules; without one the classifier
// uses the rules alone.
func WithModel(m *Model) Option {
	return func(_ *Classifier, b *buildState) { b.model = m }
}

// Default builds the classifier the product ships: the built-in rulebook
// and model.
func Default() (*Classifier, error) {
	rb, err := DefaultRulebook()
	if err != nil {
		return nil, err
	}
	m, err := DefaultModel()
	if err != nil {
		return nil, err
	}
	return New(rb, WithModel(m))
}

// New compiles a rulebook, and a model if given, into a classifier.
func New(rb *Rulebook, opts ...Option) (*Classifier, error) {
	if err := rb.validate(); err != nil {
		return nil, err
	}
	var b buildState
	c := &Classifier{version: rb.Version, threshold: rb.Threshold, secondary: max(rb.Secondary, rb.Threshold), ix: newIndex(), framing: -1, framingAround: -1, framingStart: -1, negator: -1, dismiss: -1}
	ids := map[string]int{}
	names := make([]string, 0, len(rb.Concepts)+2)
	for name := range rb.Concepts {
		names = append(names, name)
	}
	sort.Strings(names)
	names = append(names, conceptShouting, conceptMention, conceptCaps)
	for i, name := range names {
		ids[name] = i
	}
	c.concepts = names
	c.pool.New = func() any { return &found{by: make([][]span, len(names))} }
	c.shouting, c.mention, c.caps = ids[conceptShouting], ids[conceptMention], ids[conceptCaps]
	for _, name := range names {
		con, ok := rb.Concepts[name]
		if !ok {
			continue
		}
		except := map[string]bool{}
		for _, e := range con.Except {
			except[strings.ToLower(e)] = true
		}
		for _, text := range con.Terms {
			t := &term{concepts: []int{ids[name]}, key: strings.Join(strings.Fields(text), " ")}
			if len(except) > 0 {
				t.except = except
			}
			for _, w := range strings.Fields(text) {
				t.words = append(t.words, parseWord(w))
			}
			c.ix.add(t)
			if con.Watch && len(t.words) == 1 {
				c.ix.watched = append(c.ix.watched, t.words[0])
			}
		}
	}
	if rb.Framing.Concept != "" {
		c.framing, c.before, c.damp = ids[rb.Framing.Concept], rb.Framing.Before, rb.Framing.Damp
	}
	if rb.Framing.Around != "" {
		c.framingAround = ids[rb.Framing.Around]
	}
	if rb.Framing.Dismiss != "" {
		c.dismiss = ids[rb.Framing.Dismiss]
	}
	if rb.Framing.Start != "" {
		c.framingStart = ids[rb.Framing.Start]
	}
	if rb.Negation != "" {
		c.negator = ids[rb.Negation]
	}
	for _, o := range opts {
		o(c, &b)
	}
	if b.model != nil {
		c.model = compileModel(b.model, names)
		c.version += "+" + b.model.Version
	}
	for _, cat := range rb.Categories {
		cc := compiledCategory{Category: cat, modelClass: -1}
		if c.model != nil {
			for k, id := range c.model.classes {
				if id == cat.ID {
					cc.modelClass = k
				}
			}
		}
		for i, r := range cat.Rules {
			cr := compiledRule{name: r.Name, within: r.Within, weight: r.Weight}
			if cr.name == "" {
				cr.name = fmt.Sprintf("rule-%d", i+1)
			}
			for _, slot := range r.All {
				var alts []int
				for _, name := range strings.Split(slot, "|") {
					alts = append(alts, ids[name])
				}
				cr.slots = append(cr.slots, alts)
			}
			for _, name := range r.Unless {
				cr.unless = append(cr.unless, ids[name])
			}
			cc.rules = append(cc.rules, cr)
		}
		c.cats = append(c.cats, cc)
	}
	return c, nil
}

// Version is the rulebook version the classifier was built from.
func (c *Classifier) Version() string { return c.version }

// Category returns a category's description by ID.
func (c *Classifier) Category(id string) (Category, bool) {
	for _, cat := range c.cats {
		if cat.ID == id {
			return cat.Category, true
		}
	}
	return Category{}, false
}

// Categories lists every category in the directive's order.
func (c *Classifier) Categories() []Category {
	out := make([]Category, len(c.cats))
	for i, cat := range c.cats {
		out[i] = cat.Category
	}
	return out
}

// Classify sorts text against the rulebook and finds the PII in it. Its cost
// is linear in the length of the text.
func (c *Classifier) Classify(text string) Result {
	res := Result{RulebookVersion: c.version, PII: pii.Detect(text)}
	f := c.analyse(text)
	defer c.release(f)
	toks := f.toks
	if len(toks) == 0 {
		return res
	}
	var vote modelVote
	if c.model != nil {
		vote = c.model.vote(f)
	}
	for ci := range c.cats {
		cat := &c.cats[ci]
		score, spans, fired := c.ruleScore(cat, f)
		voted := false
		if c.model != nil {
			score, voted = c.model.blendScore(score, vote, cat.modelClass)
		}
		if score < c.threshold {
			continue
		}
		if voted {
			spans = append(spans, c.model.evidence(vote, cat.modelClass, modelEvidence)...)
			fired = append(fired, "model")
		}
		res.Categories = append(res.Categories, Match{
			ID:       cat.ID,
			Title:    cat.Title,
			Citation: cat.Citation,
			Severity: cat.Severity,
			Score:    math.Round(score*100) / 100,
			Evidence: evidence(text, toks, spans),
			Rules:    fired,
		})
	}
	sort.SliceStable(res.Categories, func(i, j int) bool {
		a, b := res.Categories[i], res.Categories[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Severity.rank() > b.Severity.rank()
	})
	// Keep the best category and only confident others.
	kept := res.Categories[:min(1, len(res.Categories))]
	for _, m := range res.Categories[min(1, len(res.Categories)):] {
		if m.Score >= c.secondary {
			kept = append(kept, m)
		}
	}
	res.Categories = kept
	return res
}

// RuleScores returns every category's score from the rules alone, below the
// threshold too, for tuning the rulebook and training the model.
func (c *Classifier) RuleScores(text string) map[string]float64 {
	f := c.analyse(text)
	defer c.release(f)
	out := make(map[string]float64, len(c.cats))
	for ci := range c.cats {
		out[c.cats[ci].ID], _, _ = c.ruleScore(&c.cats[ci], f)
	}
	return out
}

// ruleScore combines the weights of a category's rules that fire.
func (c *Classifier) ruleScore(cat *compiledCategory, f *found) (float64, []span, []string) {
	miss := 1.0
	var spans []span
	var fired []string
	for ri := range cat.rules {
		r := &cat.rules[ri]
		if !slotsPresent(r.slots, f) {
			continue
		}
		w, used := c.bestFiring(r, f)
		if w <= 0 {
			continue
		}
		miss *= 1 - w
		spans = append(spans, used...)
		fired = append(fired, r.name)
	}
	return 1 - miss, spans, fired
}

func slotsPresent(slots [][]int, f *found) bool {
	for _, alts := range slots {
		ok := false
		for _, a := range alts {
			if f.has(a) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
