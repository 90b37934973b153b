package classifyio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/reportbot/reportbot/policy"
)

// Run reads JSON Lines from in, classifies each with c and writes one answer
// a line to out, in input order, until the end of in. A refused line is
// answered with an error and does not stop the run; Run fails only when it
// cannot read or write, or when ctx is cancelled. On cancellation it writes
// out the answers already put in order and returns ctx.Err(); it does not
// wait for a Read on in that is blocked, which ends when in does.
func Run(ctx context.Context, in io.Reader, out io.Writer, c *policy.Classifier, opts Options) error {
	if c == nil {
		return errors.New("classifyio: no classifier")
	}
	p := newPipeline(c, opts.withDefaults())
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	start := time.Now()

	readErr := make(chan error, 1)
	go func() { readErr <- p.read(ctx, in) }()
	var workers sync.WaitGroup
	for range p.opts.Workers {
		workers.Go(func() { p.answer(ctx) })
	}
	go func() { workers.Wait(); close(p.done) }()

	err := p.write(ctx, out)
	if err != nil {
		cancel(err)
	}
	workers.Wait()
	if err == nil {
		// The writer saw every batch, so the reader has finished.
		if err = <-readErr; err != nil {
			err = fmt.Errorf("read input: %w", err)
		}
	}
	p.opts.Logger.Debug("classify: finished", slog.Int("lines", p.lines), slog.Int("refused", p.refused),
		slog.Duration("took", time.Since(start)), slog.Any("error", err))
	return err
}

// pipeline is one Run: reader → workers → ordered writer, joined by
// channels whose capacity is the number of batches, so no send blocks.
type pipeline struct {
	classifier *policy.Classifier
	opts       Options
	free       chan *batch // batches ready for the reader; the in-flight window
	work       chan *batch // filled batches for the workers
	done       chan *batch // answered batches for the writer, in any order
	window     int

	lines, refused int // written by the writer, read after it returns
}

func newPipeline(c *policy.Classifier, opts Options) *pipeline {
	window := 4 * opts.Workers
	p := &pipeline{
		classifier: c, opts: opts, window: window,
		free: make(chan *batch, window), work: make(chan *batch, window), done: make(chan *batch, window),
	}
	for range window {
		p.free <- &batch{}
	}
	return p
}

// read splits the input into batches and hands them to the workers. It
// returns the first read error other than io.EOF.
func (p *pipeline) read(ctx context.Context, in io.Reader) error {
	defer close(p.work)
	lr := newLineReader(in, p.opts.MaxLine)
	var b *batch
	var seq uint64
	for ctx.Err() == nil {
		if b != nil && !lr.lineBuffered() {
			p.work <- b // the next read may wait for a person to type: answer what we have
			b = nil
		}
		line, tooLong, err := lr.next()
		if err != nil {
			if b != nil {
				p.work <- b
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if tooLong == 0 && blank(line) {
			continue
		}
		if b == nil {
			select {
			case b = <-p.free:
			case <-ctx.Done():
				return nil
			}
			b.reset(seq)
			seq++
		}
		b.add(line, tooLong, lr.number)
		if b.full() {
			p.work <- b
			b = nil
		}
	}
	return nil
}

// answer answers batches until there are no more or ctx is cancelled.
func (p *pipeline) answer(ctx context.Context) {
	for {
		select {
		case b, ok := <-p.work:
			if !ok {
				return
			}
			if ctx.Err() == nil {
				p.process(b)
			}
			p.done <- b
		case <-ctx.Done():
			return
		}
	}
}

// write puts answered batches back in input order and writes them. It
// flushes whenever no batch is ready, so answers never wait in the buffer
// while the input is idle.
func (p *pipeline) write(ctx context.Context, out io.Writer) error {
	bw := bufio.NewWriterSize(out, 64<<10)
	pending := make([]*batch, p.window) // by seq modulo the window: at most window batches exist
	var next uint64
	for {
		var b *batch
		var ok bool
		select {
		case b, ok = <-p.done:
		default:
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
			select {
			case b, ok = <-p.done:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if !ok { // every worker has stopped: at the end of the input, or cancelled
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
			return ctx.Err()
		}
		pending[b.seq%uint64(p.window)] = b
		for {
			nb := pending[next%uint64(p.window)]
			if nb == nil || nb.seq != next {
				break
			}
			if err := ctx.Err(); err != nil {
				if ferr := bw.Flush(); ferr != nil {
					return fmt.Errorf("write output: %w", ferr)
				}
				return err
			}
			if _, err := bw.Write(nb.out); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
			p.lines += len(nb.lines)
			p.refused += nb.refused
			pending[next%uint64(p.window)] = nil
			next++
			p.free <- nb
		}
	}
}
