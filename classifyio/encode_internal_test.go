package classifyio

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/reportbot/reportbot/internal/loadgen"
	"github.com/reportbot/reportbot/policy"
)

// jsonEncode is what encoding/json writes for v, without HTML escaping.
func jsonEncode(t testing.TB, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var trickyStrings = []string{
	"", "plain", `"quoted" and \back\slash`, "tab\tnew\nline\rret\bback\fform", "\x00\x01\x1f\x7f",
	"<b>&amp;</b>", "café 😀 日本", "line\u2028para\u2029", "bad \xff byte", "cut \xe2\x82", "\xed\xa0\x80 surrogate",
}

func TestAppendStringMatchesJSON(t *testing.T) {
	for _, s := range trickyStrings {
		if got, want := string(appendString(nil, s))+"\n", jsonEncode(t, s); got != want {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendString(nil, s))+"\n", jsonEncode(t, s); got != want {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestAppendFloatMatchesJSON(t *testing.T) {
	for _, f := range []float64{0, 1, 0.5, 0.91, 0.1 + 0.2, 1e-7, 1.5e-9, 1e21, 123456789, -0.25, math.Copysign(0, -1)} {
		if got, want := string(appendFloat(nil, f))+"\n", jsonEncode(t, f); got != want {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
	if got := string(appendFloat(nil, math.NaN())); got != "0" {
		t.Errorf("appendFloat(NaN) = %s, want 0", got)
	}
}

// wireResult is the answer to a classified line in encoding/json's terms.
type wireResult struct {
	ID         json.RawMessage `json:"id"`
	Categories []policy.Match  `json:"categories"`
	PII        []wirePII       `json:"pii"`
	Rulebook   string          `json:"rulebook"`
}

type wirePII struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

func toWire(id []byte, res *policy.Result, explain bool) wireResult {
	w := wireResult{ID: id, Categories: []policy.Match{}, PII: []wirePII{}, Rulebook: res.RulebookVersion}
	if id == nil {
		w.ID = json.RawMessage("null")
	}
	for _, m := range res.Categories {
		if m.Evidence == nil {
			m.Evidence = []policy.Evidence{}
		}
		if !explain {
			m.Rules = nil
		}
		w.Categories = append(w.Categories, m)
	}
	for _, p := range res.PII {
		w.PII = append(w.PII, wirePII{string(p.Kind), p.Start, p.End})
	}
	return w
}

func TestAppendResultMatchesJSON(t *testing.T) {
	odd := policy.Result{RulebookVersion: "v\"1\"", Categories: []policy.Match{{
		ID: "4-2.f", Title: "<Title> & \"more\"", Citation: "§4-2.f", Severity: policy.SeverityHigh, Score: 0.1 + 0.2,
		Evidence: []policy.Evidence{{Start: 1, End: 3, Text: "a\nb\u2028"}}, Rules: []string{"r1", "r\"2"},
	}, {ID: "4-5", Score: 1}}}
	results := []policy.Result{{}, {RulebookVersion: "x"}, odd}
	c := classifier(t)
	g := loadgen.New(9)
	for range 200 {
		results = append(results, c.Classify(g.Next().Text))
	}
	for _, id := range [][]byte{nil, []byte(`"r-1"`), []byte(`42`)} {
		for i := range results {
			for _, explain := range []bool{false, true} {
				got := string(appendResult(nil, id, &results[i], explain))
				if want := jsonEncode(t, toWire(id, &results[i], explain)); got != want {
					t.Fatalf("appendResult:\n got %s\nwant %s", got, want)
				}
			}
		}
	}
}

func classifier(tb testing.TB) *policy.Classifier {
	rb, err := policy.DefaultRulebook()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := policy.New(rb)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkEncode compares the hand-written encoder with encoding/json on
// realistic results; the hand-written one is used because it is faster and
// allocates nothing into a reused buffer.
func BenchmarkEncode(b *testing.B) {
	c := classifier(b)
	g := loadgen.New(1)
	var results []policy.Result
	for range 1000 {
		results = append(results, c.Classify(g.Next().Text))
	}
	id := []byte(`"r-000001"`)
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		i := 0
		for b.Loop() {
			buf = appendResult(buf[:0], id, &results[i%len(results)], false)
			i++
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		i := 0
		for b.Loop() {
			buf.Reset()
			if err := enc.Encode(toWire(id, &results[i%len(results)], false)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
