package classifyio_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/classifyio"
	"github.com/reportbot/reportbot/internal/loadgen"
)

// TestRunKeepsOrder sends lines of very different cost through many workers;
// the answers must come back in input order and each must be right.
func TestRunKeepsOrder(t *testing.T) {
	c := newClassifier(t)
	g := loadgen.New(7)
	var in strings.Builder
	var texts []string
	for i := range 3000 {
		text := g.Next().Text
		switch i % 97 {
		case 0:
			text = strings.Repeat(text+" ", 100) // tens of KB: slow to classify
		case 1:
			text = ""
		}
		texts = append(texts, text)
		fmt.Fprintf(&in, `{"id":%d,"text":%s}`+"\n", i, jsonString(text))
	}
	for _, workers := range []int{1, 3, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			got := run(t, c, classifyio.Options{Workers: workers}, in.String())
			if len(got) != len(texts) {
				t.Fatalf("got %d answers, want %d", len(got), len(texts))
			}
			for i, line := range got {
				if want := wantAnswer(c, fmt.Sprint(i), texts[i], false); line != want {
					t.Fatalf("answer %d:\n got %.300s\nwant %.300s", i, line, want)
				}
			}
		})
	}
}

// repeatReader yields the same byte forever without allocating.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestRunHugeLine sends a 5 MiB line: it must be answered with an error,
// without being held in memory, and the next line must still be answered.
func TestRunHugeLine(t *testing.T) {
	c := newClassifier(t)
	const size = 5 << 20
	head := `{"id":"big","text":"`
	in := io.MultiReader(strings.NewReader(head), io.LimitReader(repeatReader('a'), size),
		strings.NewReader("\"}\r\n"+`{"id":"next","text":"x"}`+"\n"+strings.Repeat(" ", 3<<20)+"\n"))
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := classifyio.Run(context.Background(), in, &out, c, classifyio.Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("Run allocated %d bytes", alloc)
	if alloc > 4<<20 {
		t.Errorf("Run allocated %d bytes for a %d-byte line; want it to drop what is over the limit", alloc, size)
	}
	got := outputLines(t, out.Bytes())
	if len(got) != 2 { // the 3 MiB line of spaces is blank: skipped
		t.Fatalf("got %d answers, want 2:\n%.500s", len(got), out.String())
	}
	checkAnswer(t, c, got[0], want{id: `null`, err: fmt.Sprintf("line is %d bytes; the limit is 1048576 bytes", len(head)+size+2)})
	checkAnswer(t, c, got[1], want{id: `"next"`, text: "x"})
}

// TestRunSmallLimits checks that Options.MaxText and MaxLine apply.
func TestRunSmallLimits(t *testing.T) {
	c := newClassifier(t)
	opts := classifyio.Options{MaxText: 10, MaxLine: 40}
	got := run(t, c, opts, `{"id":1,"text":"0123456789"}`+"\n"+`{"id":2,"text":"0123456789a"}`+"\n"+
		`{"id":3,"text":"0123456789","pad":"0123456789"}`+"\n"+strings.Repeat(" ", 100)+"\n")
	if len(got) != 3 {
		t.Fatalf("got %d answers, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
	checkAnswer(t, c, got[0], want{id: `1`, text: "0123456789"})
	checkAnswer(t, c, got[1], want{id: `2`, err: "text is 11 bytes; the limit is 10 bytes"})
	checkAnswer(t, c, got[2], want{id: `null`, err: "line is 47 bytes; the limit is 40 bytes"})
}

// TestRunInteractive types one line at a time and waits for its answer
// before typing the next, as a person at a terminal would: Run must not hold
// answers back until more input arrives.
func TestRunInteractive(t *testing.T) {
	c := newClassifier(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- classifyio.Run(context.Background(), inR, outW, c, classifyio.Options{}); outW.Close() }()
	answers := bufio.NewReader(outR)
	for i, text := range []string{"she posted a picture of a detainee on instagram", "", "potluck on friday"} {
		if _, err := fmt.Fprintf(inW, `{"id":%d,"text":%s}`+"\n", i, jsonString(text)); err != nil {
			t.Fatal(err)
		}
		line := readLine(t, answers)
		checkAnswer(t, c, line, want{id: fmt.Sprint(i), text: text})
	}
	inW.Close()
	if err := waitErr(t, done); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

// TestRunCancel cancels a run that is waiting for input: Run must return
// promptly with the context's error.
func TestRunCancel(t *testing.T) {
	c := newClassifier(t)
	inR, inW := io.Pipe()
	defer inW.Close() // lets the reader blocked in Read go
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- classifyio.Run(ctx, inR, outW, c, classifyio.Options{}); outW.Close() }()
	fmt.Fprintln(inW, `{"id":1,"text":"x"}`)
	checkAnswer(t, c, readLine(t, bufio.NewReader(outR)), want{id: `1`, text: "x"})
	cancel()
	if err := waitErr(t, done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
}

// TestRunCancelBusy cancels a run in the middle of a large input.
func TestRunCancelBusy(t *testing.T) {
	c := newClassifier(t)
	g := loadgen.New(3)
	var in bytes.Buffer
	for range 20000 {
		in.Write(g.Line())
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &cancellingWriter{after: 3, cancel: cancel}
	err := classifyio.Run(ctx, &in, out, c, classifyio.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if !bytes.HasSuffix(out.buf.Bytes(), []byte("\n")) {
		t.Errorf("output stops mid-line")
	}
}

// cancellingWriter cancels the run after some writes.
type cancellingWriter struct {
	buf    bytes.Buffer
	after  int
	cancel func()
}

func (w *cancellingWriter) Write(p []byte) (int, error) {
	if w.after--; w.after == 0 {
		w.cancel()
	}
	return w.buf.Write(p)
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestRunWriteError(t *testing.T) {
	c := newClassifier(t)
	g := loadgen.New(4)
	var in bytes.Buffer
	for range 5000 {
		in.Write(g.Line())
	}
	full := errors.New("disk full")
	err := classifyio.Run(context.Background(), &in, failingWriter{full}, c, classifyio.Options{})
	if !errors.Is(err, full) {
		t.Fatalf("Run = %v, want %v", err, full)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestRunReadError(t *testing.T) {
	c := newClassifier(t)
	broken := errors.New("connection reset")
	in := io.MultiReader(strings.NewReader(`{"id":1,"text":"x"}`+"\n"+`{"id":2,"te`), failingReader{broken})
	var out bytes.Buffer
	err := classifyio.Run(context.Background(), in, &out, c, classifyio.Options{})
	if !errors.Is(err, broken) {
		t.Fatalf("Run = %v, want %v", err, broken)
	}
	got := outputLines(t, out.Bytes())
	if len(got) != 1 {
		t.Fatalf("got %d answers, want the 1 complete line answered:\n%s", len(got), out.String())
	}
	checkAnswer(t, c, got[0], want{id: `1`, text: "x"})
}

func TestRunExplain(t *testing.T) {
	c := goldenClassifier(t)
	const text = "she posted a picture of a detainee on instagram"
	input := `{"id":1,"text":` + jsonString(text) + `}`
	for _, explain := range []bool{false, true} {
		got := run(t, c, classifyio.Options{Explain: explain}, input)
		if want := wantAnswer(c, "1", text, explain); len(got) != 1 || got[0] != want {
			t.Errorf("explain=%v:\n got %s\nwant %s", explain, got, want)
		}
		if strings.Contains(got[0], `"rules"`) != explain {
			t.Errorf("explain=%v: rules shown is %v: %s", explain, !explain, got[0])
		}
	}
}

func TestRunNoClassifier(t *testing.T) {
	if err := classifyio.Run(context.Background(), strings.NewReader(""), io.Discard, nil, classifyio.Options{}); err == nil {
		t.Fatal("Run without a classifier succeeded")
	}
}

func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() { line, err := r.ReadString('\n'); ch <- result{line, err} }()
	select {
	case res := <-ch:
		if res.err != nil {
			t.Fatalf("reading an answer: %v", res.err)
		}
		return strings.TrimSuffix(res.line, "\n")
	case <-time.After(10 * time.Second):
		t.Fatal("no answer within 10s: the output was not flushed")
	}
	return ""
}

func waitErr(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s")
	}
	return nil
}
