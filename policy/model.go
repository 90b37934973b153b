package policy

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

//go:embed model.json
var defaultModel []byte

// Model is a linear classifier over words, word pairs and rulebook concepts,
// trained on the labeled corpus (policy/internal/train). It catches reports
// worded in ways no rule foresaw; its evidence is the words that weighed
// most for the category it picked.
type Model struct {
	// Version identifies the training run; it is recorded with every
	// classification alongside the rulebook version.
	Version string `json:"version"`
	// Classes are the model's outputs: "" for a clean text, then category IDs.
	Classes []string `json:"classes"`
	// Features maps a feature name to its index in each class's weights.
	Features []string `json:"features"`
	// Weights[k][i] is feature i's weight for class k (sparse: index, weight).
	Weights [][][2]float64 `json:"weights"`
	Bias    []float64      `json:"bias"`
	// Blend scales the model's probability before it is combined with the
	// rules' score; MinProb is the least probability the model needs to
	// speak at all. Both are chosen by cross-validation when training.
	Blend   float64 `json:"blend"`
	MinProb float64 `json:"min_prob"`
	// Veto scales how far the model's belief that a text is clean lowers
	// the rules' scores: a word list fires on "kill the process" where the
	// model, trained on such traps, knows better.
	Veto float64 `json:"veto"`
}

// DefaultModel returns the model built into the binary.
func DefaultModel() (*Model, error) { return ParseModel(defaultModel) }

// ParseModel decodes and checks a model.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("model is not valid JSON: %w", err)
	}
	if len(m.Classes) == 0 || len(m.Weights) != len(m.Classes) || len(m.Bias) != len(m.Classes) {
		return nil, fmt.Errorf("model has %d classes, %d weight rows and %d biases", len(m.Classes), len(m.Weights), len(m.Bias))
	}
	for k, row := range m.Weights {
		for _, iw := range row {
			if i := int(iw[0]); i < 0 || i >= len(m.Features) || float64(i) != iw[0] {
				return nil, fmt.Errorf("model class %d names feature %v of %d", k, iw[0], len(m.Features))
			}
		}
	}
	return &m, nil
}

// compiledModel is a model indexed for one classifier's concepts.
type compiledModel struct {
	version  string
	classes  []string
	words    map[string]int32
	stems    map[string]int32
	bigrams  map[[2]string]int32
	concepts []int32 // per concept index, its feature, or -1
	// weights[fi*len(classes)+k] is feature fi's weight for class k: one
	// feature's weights sit together, as the scoring loop reads them.
	weights []float32
	bias    []float64
	blend   float64
	minProb float64
	veto    float64
	clean   int // the class of clean texts, or -1
}

func compileModel(m *Model, conceptNames []string) *compiledModel {
	cm := &compiledModel{
		version: m.Version, classes: m.Classes, bias: m.Bias, blend: m.Blend, minProb: m.MinProb, veto: m.Veto,
		clean: slices.Index(m.Classes, ""),
		words: map[string]int32{}, stems: map[string]int32{}, bigrams: map[[2]string]int32{},
	}
	conceptFeature := map[string]int32{}
	for i, name := range m.Features {
		switch {
		case strings.HasPrefix(name, featWord):
			cm.words[name[len(featWord):]] = int32(i)
		case strings.HasPrefix(name, featStem):
			cm.stems[name[len(featStem):]] = int32(i)
		case strings.HasPrefix(name, featBigram):
			if a, b, ok := strings.Cut(name[len(featBigram):], " "); ok {
				cm.bigrams[[2]string{a, b}] = int32(i)
			}
		case strings.HasPrefix(name, featConcept):
			conceptFeature[name[len(featConcept):]] = int32(i)
		}
	}
	cm.concepts = make([]int32, len(conceptNames))
	for i, name := range conceptNames {
		cm.concepts[i] = -1
		if fi, ok := conceptFeature[name]; ok {
			cm.concepts[i] = fi
		}
	}
	n := len(m.Classes)
	cm.weights = make([]float32, len(m.Features)*n)
	for k, row := range m.Weights {
		for _, iw := range row {
			cm.weights[int(iw[0])*n+k] = float32(iw[1])
		}
	}
	return cm
}

// blend combines a category's rule score with the model's vote.
func (cm *compiledModel) blendScore(rule float64, v modelVote, k int) (float64, bool) {
	if cm.clean >= 0 {
		rule *= 1 - cm.veto*v.probs[cm.clean]
	}
	if k < 0 || v.probs[k] < cm.minProb {
		return rule, false
	}
	return 1 - (1-rule)*(1-cm.blend*v.probs[k]), true
}

// modelVote is the model's view of one text. Its slices live in the
// pooled found table of the text.
type modelVote struct {
	probs []float64
	// feats are the feature indexes present and spans the tokens that
	// produced each, for evidence.
	feats []int32
	spans []span
}

// vote scores a tokenised text.
func (cm *compiledModel) vote(f *found) modelVote {
	if len(f.seenFeat) < len(cm.weights)/len(cm.classes) {
		f.seenFeat = make([]bool, len(cm.weights)/len(cm.classes))
	}
	v := modelVote{feats: f.feats[:0], spans: f.featSpans[:0]}
	addFeat := func(fi int32, s span) {
		if fi < 0 || f.seenFeat[fi] {
			return
		}
		f.seenFeat[fi] = true
		v.feats = append(v.feats, fi)
		v.spans = append(v.spans, s)
	}
	toks := f.toks
	for i, t := range toks {
		for _, form := range t.Forms {
			if fi, ok := cm.words[form]; ok {
				addFeat(fi, span{i, i})
			}
		}
		if fi, ok := cm.stems[stem(t.Word())]; ok {
			addFeat(fi, span{i, i})
		}
		if i+1 < len(toks) && toks[i+1].Sentence == t.Sentence {
			if fi, ok := cm.bigrams[[2]string{t.Word(), toks[i+1].Word()}]; ok {
				addFeat(fi, span{i, i + 1})
			}
		}
	}
	for _, concept := range f.touched {
		if list := f.by[concept]; len(list) > 0 {
			addFeat(cm.concepts[concept], list[0])
		}
	}
	n := len(cm.classes)
	probs := append(f.probs[:0], cm.bias...)
	for _, fi := range v.feats {
		row := cm.weights[int(fi)*n : int(fi)*n+n]
		for k, w := range row {
			probs[k] += float64(w)
		}
	}
	top := math.Inf(-1)
	for _, z := range probs {
		top = max(top, z)
	}
	sum := 0.0
	for k, z := range probs {
		probs[k] = math.Exp(z - top)
		sum += probs[k]
	}
	for k := range probs {
		probs[k] /= sum
	}
	v.probs = probs
	f.feats, f.featSpans, f.probs = v.feats, v.spans, probs
	return v
}

// evidence returns the spans of the n features that weighed most for
// class k, strongest first.
func (cm *compiledModel) evidence(v modelVote, k int, n int) []span {
	type scored struct {
		w float32
		s span
	}
	top := make([]scored, 0, n+1)
	for j, fi := range v.feats {
		w := cm.weights[int(fi)*len(cm.classes)+k]
		if w <= 0 || (len(top) == n && w <= top[n-1].w) {
			continue
		}
		// Insert in order into the short list of the best so far.
		i := len(top)
		top = append(top, scored{w, v.spans[j]})
		for ; i > 0 && top[i].w > top[i-1].w; i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
		if len(top) > n {
			top = top[:n]
		}
	}
	out := make([]span, len(top))
	for i, t := range top {
		out[i] = t.s
	}
	return out
}
