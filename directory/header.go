package directory

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The columns of the directory CSV (INTERFACES.md, "Directory CSV").
const (
	colEmail      = "email"
	colName       = "name"
	colSupervisor = "supervisor_email"
	colUnit       = "unit"
	colRoles      = "roles"
	colSlack      = "slack_user_id"
	colMattermost = "mattermost_user_id"
)

var knownColumns = []string{colEmail, colName, colSupervisor, colUnit, colRoles, colSlack, colMattermost}

// columns maps a known column name to its index in a record. Unknown
// columns are not in it: they are ignored.
type columns map[string]int

// readHeader reads the header row: names are trimmed and compared without
// regard to case, in any order. A missing required column or a known column
// given twice makes the whole file unusable, so both are errors, not problems.
func readHeader(cr *csv.Reader) (columns, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the directory file is empty; it needs a header row naming its columns (email,name,…)")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the directory header: %w", err)
	}
	line, _ := cr.FieldPos(0)
	cols := columns{}
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(knownColumns, name) {
			continue
		}
		if _, dup := cols[name]; dup {
			return nil, fmt.Errorf("the directory header (line %d) names the column %q twice", line, name)
		}
		cols[name] = i
	}
	var missing []string
	for _, name := range []string{colEmail, colName} {
		if _, ok := cols[name]; !ok {
			missing = append(missing, fmt.Sprintf("%q", name))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the directory header (line %d) has no %s column; the first row must name the columns: %s",
			line, strings.Join(missing, " or "), strings.Join(knownColumns, ","))
	}
	return cols, nil
}

// get returns the record's cell for a column, "" when the column is absent
// or the record is short.
func (c columns) get(rec []string, name string) string {
	i, ok := c[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// blank reports whether every cell of rec is empty or space, as in the
// ",,,,," rows spreadsheets leave behind. Such rows are skipped silently.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
