package classifyio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// readBufferSize is the bufio.Reader size: most lines are read straight out
// of it without a copy.
const readBufferSize = 64 << 10

// lineReader reads lines of bounded length. Unlike bufio.Scanner it does not
// stop at a line that is too long: it skips the rest of that line, keeping
// only its length, so one huge line costs no more memory than the limit.
type lineReader struct {
	br     *bufio.Reader
	max    int
	acc    []byte // a line that did not fit in br's buffer
	number int    // physical line number of the last line returned, from 1
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, readBufferSize), max: max}
}

// next returns the next line without its "\n" or "\r\n". For a line longer
// than the limit it returns a nil line and the line's length instead, unless
// the line is blank, which it returns as an empty line. A UTF-8 byte order
// mark at the start of the input is dropped. The line is valid until the
// next call. At the end of the input it returns io.EOF.
func (r *lineReader) next() (line []byte, tooLong int, err error) {
	r.acc = r.acc[:0]
	total, over, blankSoFar := 0, false, true
	for {
		chunk, err := r.br.ReadSlice('\n')
		if r.number == 0 && total == 0 {
			chunk = bytes.TrimPrefix(chunk, utf8BOM) // the first chunk is a whole line or a full buffer
		}
		total += len(chunk)
		switch {
		case over:
			blankSoFar = blankSoFar && blank(chunk)
		case len(r.acc)+len(chunk) > r.max+2: // +2: the line ending is not counted
			over = true
			blankSoFar = blank(r.acc) && blank(chunk)
			r.acc = r.acc[:0] // grow never lets it exceed the limit, so it is kept
		case err == nil && len(r.acc) == 0:
			line = chunk // the common case: the whole line is in br's buffer
		default:
			r.acc = grow(r.acc, len(chunk), r.max+2)
			r.acc = append(r.acc, chunk...)
			line = r.acc
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, 0, err
		}
		if total == 0 {
			return nil, 0, io.EOF
		}
		r.number++
		eol := eolLen(chunk)
		switch {
		case over && blankSoFar, !over && total-eol > r.max && blank(line):
			return r.acc[:0], 0, nil
		case over || total-eol > r.max:
			return nil, total - eol, nil
		}
		return line[:len(line)-eol], 0, nil
	}
}

// grow makes room for n more bytes in b, doubling its capacity up to limit:
// append's gentler growth for large slices would allocate several times the
// line's size on the way to a long line.
func grow(b []byte, n, limit int) []byte {
	if len(b)+n <= cap(b) {
		return b
	}
	c := min(max(2*cap(b), len(b)+n, readBufferSize), max(limit, len(b)+n))
	nb := make([]byte, len(b), c)
	copy(nb, b)
	return nb
}

// lineBuffered reports whether a whole line is already buffered, so that
// reading it cannot block. When it is false the caller should pass on the
// lines it holds before reading: the next line may be a long time coming.
func (r *lineReader) lineBuffered() bool {
	buf, _ := r.br.Peek(r.br.Buffered())
	return bytes.IndexByte(buf, '\n') >= 0
}

// eolLen is the length of the line ending at the end of chunk.
func eolLen(chunk []byte) int {
	n := len(chunk)
	switch {
	case n >= 2 && chunk[n-2] == '\r' && chunk[n-1] == '\n':
		return 2
	case n >= 1 && chunk[n-1] == '\n':
		return 1
	}
	return 0
}

// utf8BOM is dropped at the start of the input: some Windows tools write it.
var utf8BOM = []byte("\xef\xbb\xbf")

// blank reports whether a line holds only spaces, tabs and line-ending bytes.
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}
