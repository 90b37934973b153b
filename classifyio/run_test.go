package classifyio_test

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/classifyio"
	"github.com/reportbot/reportbot/policy"
)

// want is the expected answer to one input line.
type want struct {
	id   string // the id as it must appear in the output, e.g. `"a"`, `7`, `null`
	text string // a classified line: the text the classifier must have judged
	err  string // a refused line: its error, or the start of it followed by "…"
}

func TestRun(t *testing.T) {
	c := newClassifier(t)
	long := strings.Repeat("a", classifyio.DefaultMaxText)
	tests := []struct {
		name  string
		input string
		want  []want
	}{
		{"valid lines",
			`{"id":"a","text":"she posted a picture of a detainee on instagram"}` + "\n" +
				`{"id":"b","text":"Vote for your favorite chili at the potluck Friday!"}` + "\n",
			[]want{{id: `"a"`, text: "she posted a picture of a detainee on instagram"},
				{id: `"b"`, text: "Vote for your favorite chili at the potluck Friday!"}}},
		{"number id echoed as written", `{"id":7,"text":"x"}` + "\n" + `{"id":-1.50e3,"text":"x"}`,
			[]want{{id: `7`, text: "x"}, {id: `-1.50e3`, text: "x"}}},
		{"missing id is null", `{"text":"x"}`, []want{{id: `null`, text: "x"}}},
		{"null id is null", `{"id":null,"text":"x"}`, []want{{id: `null`, text: "x"}}},
		{"object id compacted", `{"id": {"case": 1, "n": [1, 2]}, "text": "x"}`,
			[]want{{id: `{"case":1,"n":[1,2]}`, text: "x"}}},
		{"other fields ignored", `{"extra":{"deep":[1,{"x":"}]"}]},"id":"a","url":"https://example.com/p/1","text":"x","n":1}`,
			[]want{{id: `"a"`, text: "x"}}},
		{"escaped field name", `{"id":"a","te\u0078t":"x"}`, []want{{id: `"a"`, text: "x"}}},
		{"url may be null", `{"id":"a","text":"x","url":null}`, []want{{id: `"a"`, text: "x"}}},
		{"empty text is valid", `{"id":"e","text":""}`, []want{{id: `"e"`, text: ""}}},
		{"whitespace around the object", " \t{\"id\":\"a\",\"text\":\"x\"} \t", []want{{id: `"a"`, text: "x"}}},
		{"escapes decoded", `{"id":"a","text":"line\none \"quoted\" caf\u00e9 \ud83d\ude00"}`,
			[]want{{id: `"a"`, text: "line\none \"quoted\" café 😀"}}},
		{"lone surrogate becomes U+FFFD", `{"id":"a","text":"x\ud800y"}`, []want{{id: `"a"`, text: "x\uFFFDy"}}},

		{"bad JSON", `{"id":"a","text":` + "\n" + `{"id":"b","text":"x"}`,
			[]want{{id: `null`, err: "line is not valid JSON at byte 17: …"}, {id: `"b"`, text: "x"}}},
		{"trailing data", `{"id":"a","text":"x"} {}`, []want{{id: `null`, err: "line is not valid JSON at byte 23: …"}}},
		{"not an object", "[1,2]\n\"text\"\n42\nnull\ntrue",
			[]want{{id: `null`, err: "line is a JSON array, not an object"},
				{id: `null`, err: "line is a JSON string, not an object"},
				{id: `null`, err: "line is a JSON number, not an object"},
				{id: `null`, err: "line is JSON null, not an object"},
				{id: `null`, err: "line is a JSON boolean, not an object"}}},
		{"missing text", `{"id":"a"}`, []want{{id: `"a"`, err: "text is missing"}}},
		{"field names are case-sensitive", `{"id":"a","Text":"x"}`, []want{{id: `"a"`, err: "text is missing"}}},
		{"text not a string",
			`{"id":1,"text":5}` + "\n" + `{"id":2,"text":null}` + "\n" + `{"id":3,"text":{"a":"b"}}` + "\n" +
				`{"id":4,"text":["x"]}` + "\n" + `{"id":5,"text":false}`,
			[]want{{id: `1`, err: "text must be a string, not a number"},
				{id: `2`, err: "text must be a string, not null"},
				{id: `3`, err: "text must be a string, not an object"},
				{id: `4`, err: "text must be a string, not an array"},
				{id: `5`, err: "text must be a string, not a boolean"}}},
		{"url not a string", `{"id":"a","text":"x","url":3}`, []want{{id: `"a"`, err: "url must be a string, not a number"}}},
		{"duplicate text", `{"id":"a","text":"x","text":"y"}`, []want{{id: `"a"`, err: "text appears more than once"}}},
		{"duplicate id", `{"id":"a","id":"b","text":"x"}`, []want{{id: `null`, err: "id appears more than once"}}},

		{"text at the limit", `{"id":"a","text":"` + long + `"}`, []want{{id: `"a"`, text: long}}},
		{"text over the limit, next line still answered",
			`{"id":"a","text":"` + long + `b"}` + "\n" + `{"id":"b","text":"x"}`,
			[]want{{id: `"a"`, err: "text is 65537 bytes; the limit is 65536 bytes"}, {id: `"b"`, text: "x"}}},
		{"limit counts decoded bytes", `{"id":"a","text":"` + strings.Repeat(`\u00e9`, 40000) + `"}` + "\n" +
			`{"id":"b","text":"` + strings.Repeat(`\n`, 40000) + `"}`,
			[]want{{id: `"a"`, err: "text is 80000 bytes; the limit is 65536 bytes"},
				{id: `"b"`, text: strings.Repeat("\n", 40000)}}},

		{"blank lines skipped", "\n\n  \n\t\r\n" + `{"id":"a","text":"x"}` + "\n\n \n",
			[]want{{id: `"a"`, text: "x"}}},
		{"only blank lines", "\n \n\r\n", nil},
		{"empty input", "", nil},
		{"CRLF line endings", `{"id":"a","text":"x"}` + "\r\n" + `{"id":"b","text":"y"}` + "\r\n",
			[]want{{id: `"a"`, text: "x"}, {id: `"b"`, text: "y"}}},
		{"no newline at the end", `{"id":"a","text":"x"}` + "\n" + `{"id":"b","text":"y"}`,
			[]want{{id: `"a"`, text: "x"}, {id: `"b"`, text: "y"}}},
		{"byte order mark at the start", "\xef\xbb\xbf" + `{"id":"a","text":"x"}`, []want{{id: `"a"`, text: "x"}}},

		{"invalid UTF-8 in text", `{"id":"a","text":"bad ` + "\xff" + ` byte"}`,
			[]want{{id: `"a"`, err: "text is not valid UTF-8"}}},
		{"invalid UTF-8 in id", `{"id":"` + "\xc3\x28" + `","text":"x"}`, []want{{id: `null`, err: "id is not valid UTF-8"}}},
		{"invalid UTF-8 in an ignored field", `{"id":"a","note":"` + "\xff" + `","text":"x"}`,
			[]want{{id: `"a"`, text: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := run(t, c, classifyio.Options{}, tt.input)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d answers, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				checkAnswer(t, c, got[i], w)
			}
		})
	}
}

// checkAnswer compares one output line with what it should be. An error
// ending in "…" is matched as a prefix: the detail after it comes from
// encoding/json.
func checkAnswer(t *testing.T, c *policy.Classifier, line string, w want) {
	t.Helper()
	a := decodeAnswer(t, line)
	if string(a.ID) != w.id {
		t.Errorf("id = %s, want %s\n%s", a.ID, w.id, line)
	}
	if w.err != "" {
		prefix, isPrefix := strings.CutSuffix(w.err, "…")
		if a.Error != w.err && !(isPrefix && strings.HasPrefix(a.Error, prefix)) {
			t.Errorf("error = %q, want %q", a.Error, w.err)
		}
		return
	}
	if a.Error != "" {
		t.Fatalf("unexpected error %q", a.Error)
	}
	if want := wantAnswer(c, w.id, w.text, false); line != want {
		t.Errorf("answer differs from the classifier's result:\n got %.400s\nwant %.400s", line, want)
	}
}
