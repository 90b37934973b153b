package policy_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/policy"
)

// example is one labeled line of testdata/corpus.
type example struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Labels []string `json:"labels"`
	Kind   string   `json:"kind"`
	Note   string   `json:"note"`
}

func loadCorpus(t testing.TB, name string) []example {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ex example
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// scores summarises a classifier's results on a corpus part.
type scores struct {
	tp, fp, fn       map[string]int
	violations       int
	topRight         int
	clean, cleanHits int
	mistakes         []string
}

func evaluate(c *policy.Classifier, examples []example) scores {
	s := scores{tp: map[string]int{}, fp: map[string]int{}, fn: map[string]int{}}
	for _, ex := range examples {
		res := c.Classify(ex.Text)
		var got []string
		for _, m := range res.Categories {
			got = append(got, m.ID)
		}
		for _, id := range got {
			if slices.Contains(ex.Labels, id) {
				s.tp[id]++
			} else {
				s.fp[id]++
			}
		}
		for _, id := range ex.Labels {
			if !slices.Contains(got, id) {
				s.fn[id]++
			}
		}
		wrong := false
		if len(ex.Labels) == 0 {
			s.clean++
			if len(got) > 0 {
				s.cleanHits++
				wrong = true
			}
		} else {
			s.violations++
			if len(got) > 0 && slices.Contains(ex.Labels, got[0]) {
				s.topRight++
			} else {
				wrong = true
			}
		}
		if wrong {
			var desc []string
			for _, m := range res.Categories {
				desc = append(desc, fmt.Sprintf("%s %.2f %v", m.ID, m.Score, m.Rules))
			}
			s.mistakes = append(s.mistakes, fmt.Sprintf("%s want %v got [%s]: %s", ex.ID, ex.Labels, strings.Join(desc, "; "), ex.Text))
		}
	}
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Floors for the held-out part (test.jsonl, never used to tune or train).
// Measured when they were set (rulebook 2026-11-23.4, model trained on the
// twenty-four other files by twenty-five authors): 91.2% of violations with
// the right top category, 1.2% of clean texts flagged; every category's
// precision ≥ 0.72 and recall ≥ 0.75. The held-out file is by the
// rulebook's author; text by others is harder. Before they joined training,
// files by authors the model had never seen measured it independently: the
// twenty-file model found the right top category for 81–91% of violations
// on train-s…v and flagged 4–8% of their clean texts (hard near-misses and
// everyday work traffic). The floors sit a little under the held-out
// figures — one test example is about 5% of a category — so a change that
// makes the classifier worse fails here; raise them as it improves.
const (
	minTopRight      = 0.88 // violations whose best category is one of their labels
	maxCleanFlagged  = 0.05 // clean texts flagged with any category
	minCategoryRecal = 0.65
	minCategoryPrec  = 0.68
)

func TestCorpusHeldOut(t *testing.T) {
	c := newClassifier(t)
	for _, part := range corpusParts(t) {
		s := evaluate(c, loadCorpus(t, part))
		t.Logf("%s: top category right on %d/%d violations (%.1f%%); clean flagged %d/%d (%.1f%%)",
			part, s.topRight, s.violations, 100*ratio(s.topRight, s.violations),
			s.cleanHits, s.clean, 100*ratio(s.cleanHits, s.clean))
		for _, id := range policy.CategoryIDs() {
			p := ratio(s.tp[id], s.tp[id]+s.fp[id])
			r := ratio(s.tp[id], s.tp[id]+s.fn[id])
			t.Logf("  %-9s precision %.2f recall %.2f (tp %d fp %d fn %d)", id, p, r, s.tp[id], s.fp[id], s.fn[id])
			if part == "test.jsonl" {
				if r < minCategoryRecal {
					t.Errorf("%s recall %.2f below floor %.2f", id, r, minCategoryRecal)
				}
				if p < minCategoryPrec {
					t.Errorf("%s precision %.2f below floor %.2f", id, p, minCategoryPrec)
				}
			}
		}
		if os.Getenv("CORPUS_MISTAKES") == part {
			for _, m := range s.mistakes {
				t.Log(m)
			}
		}
		if part != "test.jsonl" {
			continue
		}
		if got := ratio(s.topRight, s.violations); got < minTopRight {
			t.Errorf("top category right on %.2f of violations, floor %.2f", got, minTopRight)
		}
		if got := ratio(s.cleanHits, s.clean); got > maxCleanFlagged {
			t.Errorf("%.2f of clean texts flagged, ceiling %.2f", got, maxCleanFlagged)
		}
	}
}

// corpusParts names the corpus files: tune, dev, every train-*.jsonl (a new
// author's file joins by its name), and the held-out test last.
func corpusParts(t *testing.T) []string {
	t.Helper()
	train, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "train-*.jsonl"))
	if err != nil || len(train) == 0 {
		t.Fatalf("no training files in testdata/corpus (%v)", err)
	}
	parts := []string{"tune.jsonl", "dev.jsonl"}
	for _, f := range train {
		parts = append(parts, filepath.Base(f))
	}
	return append(parts, "test.jsonl")
}

func newClassifier(t testing.TB) *policy.Classifier {
	t.Helper()
	c, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
