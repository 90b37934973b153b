package classifyio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/classifyio"
)

// FuzzRun feeds arbitrary bytes to Run. Whatever the input, Run must not
// panic or fail, every output line must be a JSON object in valid UTF-8, and
// every non-blank input line must get exactly one answer. Small limits bring
// the too-long paths within the fuzzer's reach.
func FuzzRun(f *testing.F) {
	if seed, err := os.ReadFile("testdata/golden/input.jsonl"); err == nil {
		f.Add(seed)
		for _, line := range bytes.Split(seed, []byte("\n")) {
			f.Add(line)
		}
	}
	for _, s := range []string{
		"", "\n", "\r\n", " \t\n", "\xef\xbb\xbf\n", "\xef\xbb\xbf" + `{"text":"x"}`,
		`{"id":"a","text":"x"}`, `{"id":1,"text":"x","text":"y"}`, `{"text":"\ud800"}`, `{"te\u0078t":"x"}`,
		`{"id":[{"a":"}"}],"text":"` + "\xff" + `"}`, `{"text":"0123456789012345678901234567890123456789012345678901234567890123456789"}`,
		"{\"text\":\"x\"}\n\n[]\nnull\n\"s\"\n{\n}\n", `{"id":"a","text":"she posted a picture of a detainee on instagram"}`,
	} {
		f.Add([]byte(s))
	}
	c := newClassifier(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		opts := classifyio.Options{Workers: 2, MaxText: 64, MaxLine: 200}
		if err := classifyio.Run(context.Background(), bytes.NewReader(in), &out, c, opts); err != nil {
			t.Fatalf("Run: %v", err)
		}
		got := bytes.Count(out.Bytes(), []byte("\n"))
		if want := nonBlankLines(in); got != want {
			t.Fatalf("%d answers for %d non-blank lines:\n%s", got, want, out.Bytes())
		}
		if out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n' {
			t.Fatalf("output does not end with a newline")
		}
		for line := range bytes.Lines(out.Bytes()) {
			line = bytes.TrimSuffix(line, []byte("\n"))
			var obj map[string]json.RawMessage
			if !utf8.Valid(line) || json.Unmarshal(line, &obj) != nil {
				t.Fatalf("output line is not a JSON object in UTF-8: %q", line)
			}
			_, hasID := obj["id"]
			_, hasErr := obj["error"]
			_, hasCats := obj["categories"]
			if !hasID || hasErr == hasCats {
				t.Fatalf("output line has neither or both of error and categories: %s", line)
			}
		}
	})
}

// nonBlankLines counts the lines that must be answered: lines are split at
// "\n", a leading byte order mark is ignored, and a line of spaces, tabs and
// carriage returns is blank.
func nonBlankLines(in []byte) int {
	in = bytes.TrimPrefix(in, []byte("\xef\xbb\xbf"))
	n := 0
	for line := range bytes.Lines(in) {
		if len(bytes.Trim(line, " \t\r\n")) > 0 {
			n++
		}
	}
	return n
}
