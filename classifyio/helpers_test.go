package classifyio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/classifyio"
	"github.com/reportbot/reportbot/policy"
)

func newClassifier(tb testing.TB) *policy.Classifier {
	tb.Helper()
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

// goldenClassifier uses a small fixed rulebook, so that tests which pin
// exact output do not change whenever the real rulebook is tuned.
func goldenClassifier(tb testing.TB) *policy.Classifier {
	tb.Helper()
	rb, err := policy.LoadRulebook("testdata/golden/rulebook.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := policy.New(rb)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// run feeds input through Run and returns the output lines.
func run(t testing.TB, c *policy.Classifier, opts classifyio.Options, input string) []string {
	t.Helper()
	var out bytes.Buffer
	if err := classifyio.Run(context.Background(), strings.NewReader(input), &out, c, opts); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return outputLines(t, out.Bytes())
}

func outputLines(t testing.TB, out []byte) []string {
	t.Helper()
	if len(out) == 0 {
		return nil
	}
	if out[len(out)-1] != '\n' {
		t.Fatalf("output does not end with a newline: %q", out)
	}
	return strings.Split(string(out[:len(out)-1]), "\n")
}

// answer is one output line, decoded.
type answer struct {
	ID         json.RawMessage `json:"id"`
	Categories []policy.Match  `json:"categories"`
	PII        []piiSpan       `json:"pii"`
	Rulebook   string          `json:"rulebook"`
	Error      string          `json:"error"`
}

type piiSpan struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// decodeAnswer checks the shape every output line must have and decodes it.
func decodeAnswer(t testing.TB, line string) answer {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &fields); err != nil {
		t.Fatalf("output line is not a JSON object: %v\n%s", err, line)
	}
	if _, ok := fields["id"]; !ok {
		t.Errorf("output line has no id: %s", line)
	}
	if _, isErr := fields["error"]; !isErr {
		for _, k := range []string{"categories", "pii"} {
			if v := fields[k]; len(v) == 0 || v[0] != '[' {
				t.Errorf("%s is %s, want an array: %s", k, v, line)
			}
		}
	}
	var a answer
	if err := json.Unmarshal([]byte(line), &a); err != nil {
		t.Fatalf("decode answer: %v\n%s", err, line)
	}
	return a
}

// wantAnswer is what the protocol must say about text: exactly the
// classifier's result, encoded as encoding/json would encode it.
func wantAnswer(c *policy.Classifier, id, text string, explain bool) string {
	res := c.Classify(text)
	type wire struct {
		ID         json.RawMessage `json:"id"`
		Categories []policy.Match  `json:"categories"`
		PII        []piiSpan       `json:"pii"`
		Rulebook   string          `json:"rulebook"`
	}
	w := wire{ID: json.RawMessage(id), Categories: []policy.Match{}, PII: []piiSpan{}, Rulebook: res.RulebookVersion}
	for _, m := range res.Categories {
		if m.Evidence == nil {
			m.Evidence = []policy.Evidence{}
		}
		if !explain {
			m.Rules = nil
		}
		w.Categories = append(w.Categories, m)
	}
	for _, f := range res.PII {
		w.PII = append(w.PII, piiSpan{Kind: string(f.Kind), Start: f.Start, End: f.End})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonString encodes s as a JSON string.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}
