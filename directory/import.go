package directory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ErrNoValidRows is Import's refusal of a file from which nobody could be
// loaded. Syncing it would mark everyone inactive; a file that bad is far
// more likely a wrong file or a broken export than an empty organisation.
var ErrNoValidRows = errors.New("no valid rows; the directory was left as it was")

// Report is what an import did, for `bot directory import` to print.
type Report struct {
	SyncResult
	// Problems are the rows, or values in them, that were not loaded as written.
	Problems []Problem
	// Loaded is the number of people sent to the store.
	Loaded int
}

// Import reads a directory CSV and makes the store match it (Store.SyncPeople):
// people in the file are created or updated, people not in it are marked
// inactive. Importing the same file again changes nothing. The Report
// carries the problems even when err is not nil, so that the caller can
// show why a file was refused.
func Import(ctx context.Context, store Store, r io.Reader, now time.Time) (Report, error) {
	people, problems, err := Parse(r)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Problems: problems}
	if len(people) == 0 {
		return rep, ErrNoValidRows
	}
	res, err := store.SyncPeople(ctx, people, now)
	if err != nil {
		return rep, fmt.Errorf("saving the directory: %w", err)
	}
	rep.SyncResult = res
	rep.Loaded = len(people)
	return rep, nil
}

// String summarises the import on one line, then lists each problem on a
// line of its own:
//
//	12 people loaded: 3 created, 1 updated, 8 unchanged, 2 marked inactive; 2 problems:
//	  line 7: …
func (r Report) String() string {
	var b strings.Builder
	if r.Loaded == 0 {
		b.WriteString("nobody loaded")
	} else {
		fmt.Fprintf(&b, "%s loaded: %d created, %d updated, %d unchanged, %d marked inactive",
			plural(r.Loaded, "person", "people"), r.Created, r.Updated, r.Unchanged, r.Deactivated)
	}
	if len(r.Problems) == 0 {
		b.WriteString("; no problems")
		return b.String()
	}
	fmt.Fprintf(&b, "; %s:", plural(len(r.Problems), "problem", "problems"))
	for _, p := range r.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
