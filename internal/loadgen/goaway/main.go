// Command goaway is the reference point of BENCHMARKS.md: TwiN/go-away's
// profanity check behind the same JSON Lines pipe as `bot classify`, one
// flag per line and no evidence. It is a module of its own so that the
// product does not depend on go-away.
//
//	cd internal/loadgen/goaway && go build -o /tmp/goaway . && /tmp/goaway < lines.jsonl > /dev/null
package main

import (
	"bufio"
	"encoding/json"
	"os"

	goaway "github.com/TwiN/go-away"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var line struct {
			ID   json.RawMessage `json:"id"`
			Text string          `json:"text"`
		}
		if err := json.Unmarshal(in.Bytes(), &line); err != nil {
			enc.Encode(map[string]string{"error": err.Error()})
			continue
		}
		enc.Encode(struct {
			ID      json.RawMessage `json:"id"`
			Profane bool            `json:"profane"`
		}{line.ID, goaway.IsProfane(line.Text)})
	}
}
