// Command classifylines writes synthetic `bot classify` input lines to
// standard output, for measuring throughput:
//
//	go run ./internal/loadgen/classifylines -n 200000 > /tmp/lines.jsonl
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/reportbot/reportbot/internal/loadgen"
)

func main() {
	n := flag.Int("n", 10000, "how many lines to write")
	seed := flag.Uint64("seed", 1, "seed; the same seed gives the same lines")
	flag.Parse()
	if err := write(*n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "classifylines:", err)
		os.Exit(1)
	}
}

func write(n int, seed uint64) error {
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	g := loadgen.New(seed)
	for range n {
		if _, err := w.Write(g.Line()); err != nil {
			return err
		}
	}
	return w.Flush()
}
