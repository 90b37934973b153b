package classifyio

import (
	"fmt"
	"log/slog"
)

// Batch limits: a batch is handed on when it holds this many lines or bytes,
// or sooner when the input has nothing more buffered. Batches amortise the
// hand-offs between goroutines, which would otherwise cost more than
// classifying a short report.
const (
	batchLines = 64
	batchBytes = 64 << 10
)

// batch is a run of consecutive input lines and, once processed, their
// answers. Batches are reused; a fixed number of them exist.
type batch struct {
	seq     uint64
	buf     []byte // the lines' bytes, back to back
	lines   []lineRef
	out     []byte // the answers, one line each
	refused int
}

// lineRef locates one line in batch.buf.
type lineRef struct {
	start, end int
	number     int // physical line number, for logs
	tooLong    int // when > 0 the line was this long and was not kept
}

func (b *batch) reset(seq uint64) {
	b.seq = seq
	if cap(b.buf) > 4*batchBytes {
		b.buf = nil // a batch that held a huge line should not keep it alive
	}
	if cap(b.out) > 4*batchBytes {
		b.out = nil
	}
	b.buf, b.lines, b.out, b.refused = b.buf[:0], b.lines[:0], b.out[:0], 0
}

func (b *batch) add(line []byte, tooLong, number int) {
	start := len(b.buf)
	b.buf = append(b.buf, line...)
	b.lines = append(b.lines, lineRef{start: start, end: len(b.buf), number: number, tooLong: tooLong})
}

func (b *batch) full() bool { return len(b.lines) >= batchLines || len(b.buf) >= batchBytes }

// process classifies every line of the batch and encodes the answers.
func (p *pipeline) process(b *batch) {
	for _, ln := range b.lines {
		var problem string
		if ln.tooLong > 0 {
			problem = fmt.Sprintf("line is %d bytes; the limit is %d bytes", ln.tooLong, p.opts.MaxLine)
			b.out = appendError(b.out, nil, problem)
		} else {
			req, msg := decode(b.buf[ln.start:ln.end], p.opts.MaxText)
			if problem = msg; problem != "" {
				b.out = appendError(b.out, req.id, problem)
			} else {
				res := p.classifier.Classify(req.text)
				b.out = appendResult(b.out, req.id, &res, p.opts.Explain)
			}
		}
		if problem != "" {
			b.refused++
			p.opts.Logger.Debug("classify: line refused", slog.Int("line", ln.number), slog.String("reason", problem))
		}
	}
}
