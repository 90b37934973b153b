package directory

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Parse reads a directory CSV (INTERFACES.md, "Directory CSV") and returns
// the people it can load, in file order, each Active and with
// SupervisorEmail set (SupervisorID is the store's business). Every
// returned person has a valid, lower-case, unique e-mail, and every
// supervisor e-mail names another returned person, with no cycles.
//
// What is wrong with a row is a Problem, ordered by line; the rest of the
// file still loads. err is only for input that cannot be read at all: an
// I/O error, an empty file, or a header that lacks "email" or "name" or
// names a column twice.
func Parse(r io.Reader) (people []Person, problems []Problem, err error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // short and long rows are fine; extra cells are ignored
	cols, err := readHeader(cr)
	if err != nil {
		return nil, nil, err
	}
	p := parser{cols: cols, byEmail: map[string]int{}, slack: map[string]int{}, mattermost: map[string]int{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			p.badCSV(pe)
			continue // the reader has consumed the bad row; the next one is readable
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading the directory: %w", err)
		}
		line, _ := cr.FieldPos(0)
		p.row(line, rec)
	}
	p.resolveSupervisors()
	slices.SortStableFunc(p.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return p.people, p.problems, nil
}

// skipBOM drops a UTF-8 byte-order mark, which spreadsheets write at the
// start of "CSV UTF-8" files and which would otherwise be part of the first
// column's name.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	return br
}

// parser holds what has been loaded so far, to find duplicates and, at the
// end, to check supervisors against the whole file.
type parser struct {
	cols     columns
	people   []Person
	lines    []int // lines[i] is the line of people[i]
	problems []Problem
	// byEmail, slack and mattermost map a value to the index of the person
	// who claimed it first.
	byEmail, slack, mattermost map[string]int
}

func (p *parser) problem(line int, email, severity, format string, args ...any) {
	p.problems = append(p.problems, Problem{Line: line, Email: email, Severity: severity, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) badCSV(pe *csv.ParseError) {
	msg := fmt.Sprintf("not valid CSV (%v, line %d column %d); row skipped", pe.Err, pe.Line, pe.Column)
	if pe.Line > pe.StartLine {
		msg = fmt.Sprintf("not valid CSV (%v, line %d column %d); lines %d–%d skipped", pe.Err, pe.Line, pe.Column, pe.StartLine, pe.Line)
	}
	p.problem(pe.StartLine, "", SeverityError, "%s", msg)
}
