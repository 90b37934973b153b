package classifyio_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"

	"github.com/reportbot/reportbot/classifyio"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/classify.jsonl from the current output")

// TestGolden pins the exact bytes of the protocol for a handful of inputs,
// judged by the fixed rulebook in testdata/golden. After an intended change
// of the output, rewrite the file with
//
//	go test ./classifyio -run TestGolden -update
//
// and review the diff.
func TestGolden(t *testing.T) {
	in, err := os.ReadFile("testdata/golden/input.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := classifyio.Run(context.Background(), bytes.NewReader(in), &out, goldenClassifier(t), classifyio.Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/golden/classify.jsonl"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := out.Bytes(); !bytes.Equal(got, want) {
		gotLines, wantLines := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := range max(len(gotLines), len(wantLines)) {
			var g, w []byte
			if i < len(gotLines) {
				g = gotLines[i]
			}
			if i < len(wantLines) {
				w = wantLines[i]
			}
			if !bytes.Equal(g, w) {
				t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
			}
		}
		t.Log("if the change is intended, run: go test ./classifyio -run TestGolden -update")
	}
}
