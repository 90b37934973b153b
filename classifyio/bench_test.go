package classifyio_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/reportbot/reportbot/classifyio"
	"github.com/reportbot/reportbot/internal/loadgen"
)

// BenchmarkRun pushes 10,000 realistic report lines (about 200 characters of
// text each, the shape of a slash-command report) through the whole
// protocol: reading, decoding, classifying, encoding, writing in order.
func BenchmarkRun(b *testing.B) {
	const n = 10_000
	g := loadgen.New(1)
	var in bytes.Buffer
	for range n {
		in.Write(g.Line())
	}
	c := newClassifier(b)
	b.SetBytes(int64(in.Len()))
	for b.Loop() {
		if err := classifyio.Run(context.Background(), bytes.NewReader(in.Bytes()), io.Discard, c, classifyio.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "lines/s")
}
