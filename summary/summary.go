// Package summary renders the compliance summary and the case export in the
// formats people ask for: text for chat and terminals, JSON for tools
// (INTERFACES.md, `bot summary --format json`), CSV for spreadsheets.
package summary

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// Format is how a summary is written.
type Format string

const (
	Text Format = "text"
	JSON Format = "json"
	CSV  Format = "csv"
)

// ParseFormat accepts text, json or csv.
func ParseFormat(s string) (Format, bool) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case Text, JSON, CSV:
		return f, true
	}
	return "", false
}

// jsonSummary is the contract's JSON shape.
type jsonSummary struct {
	Since                      string         `json:"since"`
	Total                      int            `json:"total"`
	ByStatus                   map[string]int `json:"by_status"`
	ByCategory                 map[string]int `json:"by_category"`
	ByUnit                     map[string]int `json:"by_unit"`
	ByOutcome                  map[string]int `json:"by_outcome"`
	Overdue                    int            `json:"overdue"`
	MedianSecondsToAcknowledge *int64         `json:"median_seconds_to_acknowledge"`
	MedianSecondsToResolve     *int64         `json:"median_seconds_to_resolve"`
}

// Render writes s in format f.
func Render(s cases.Summary, f Format) ([]byte, error) {
	switch f {
	case JSON:
		return renderJSON(s)
	case CSV:
		return renderCSV(s)
	default:
		return []byte(renderText(s)), nil
	}
}

func since(s cases.Summary) string {
	if s.Since.IsZero() {
		return ""
	}
	return s.Since.UTC().Format(time.RFC3339)
}

func renderJSON(s cases.Summary) ([]byte, error) {
	out := jsonSummary{
		Since: since(s), Total: s.Total, Overdue: s.Overdue,
		ByStatus: map[string]int{}, ByCategory: map[string]int{}, ByUnit: map[string]int{}, ByOutcome: map[string]int{},
		MedianSecondsToAcknowledge: s.MedianSecondsToAcknowledge, MedianSecondsToResolve: s.MedianSecondsToResolve,
	}
	for k, v := range s.ByStatus {
		out.ByStatus[string(k)] = v
	}
	for k, v := range s.ByCategory {
		if k == "" {
			k = "unclassified"
		}
		out.ByCategory[k] = v
	}
	for k, v := range s.ByUnit {
		out.ByUnit[unitName(k)] = v
	}
	for k, v := range s.ByOutcome {
		out.ByOutcome[string(k)] = v
	}
	b, err := json.Marshal(out)
	return append(b, '\n'), err
}

func unitName(u string) string {
	if u == "" {
		return "no unit"
	}
	return u
}

// rows lists the summary as (section, key, value) lines, in a stable order.
func rows(s cases.Summary) [][3]string {
	var out [][3]string
	add := func(section, key string, v any) { out = append(out, [3]string{section, key, fmt.Sprint(v)}) }
	add("total", "", s.Total)
	for _, st := range cases.Statuses() {
		if n := s.ByStatus[st]; n > 0 {
			add("status", string(st), n)
		}
	}
	for _, k := range sortedKeys(s.ByCategory) {
		name := k
		if name == "" {
			name = "unclassified"
		}
		add("category", name, s.ByCategory[k])
	}
	for _, k := range sortedKeys(s.ByUnit) {
		add("unit", unitName(k), s.ByUnit[k])
	}
	for _, o := range cases.Outcomes() {
		if n := s.ByOutcome[o]; n > 0 {
			add("outcome", string(o), n)
		}
	}
	add("overdue", "", s.Overdue)
	if m := s.MedianSecondsToAcknowledge; m != nil {
		add("median_seconds_to_acknowledge", "", *m)
	}
	if m := s.MedianSecondsToResolve; m != nil {
		add("median_seconds_to_resolve", "", *m)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func renderCSV(s cases.Summary) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"since", "section", "key", "value"})
	for _, r := range rows(s) {
		w.Write([]string{since(s), r[0], SafeCell(r[1]), r[2]})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func renderText(s cases.Summary) string {
	var b strings.Builder
	if s.Since.IsZero() {
		fmt.Fprintf(&b, "Compliance summary, all time: %s\n", countCases(s.Total))
	} else {
		fmt.Fprintf(&b, "Compliance summary since %s: %s\n", s.Since.UTC().Format("2006-01-02 15:04 MST"), countCases(s.Total))
	}
	section := ""
	for _, r := range rows(s)[1:] {
		switch r[0] {
		case "overdue":
			fmt.Fprintf(&b, "Overdue now (whenever filed): %s\n", r[2])
			continue
		case "median_seconds_to_acknowledge":
			fmt.Fprintf(&b, "Median time to acknowledge: %s\n", duration(r[2]))
			continue
		case "median_seconds_to_resolve":
			fmt.Fprintf(&b, "Median time to resolve: %s\n", duration(r[2]))
			continue
		}
		if r[0] != section {
			section = r[0]
			fmt.Fprintf(&b, "By %s:\n", section)
		}
		fmt.Fprintf(&b, "  %-28s %s\n", r[1], r[2])
	}
	if s.MedianSecondsToAcknowledge == nil {
		b.WriteString("Median time to acknowledge: none acknowledged yet\n")
	}
	if s.MedianSecondsToResolve == nil {
		b.WriteString("Median time to resolve: none resolved yet\n")
	}
	return b.String()
}

func duration(seconds string) string {
	var n int64
	fmt.Sscan(seconds, &n)
	return (time.Duration(n) * time.Second).String()
}

// SafeCell keeps a spreadsheet from reading a cell as a formula: values that
// start with = + - @ or a tab get a leading apostrophe.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func countCases(n int) string {
	if n == 1 {
		return "1 case"
	}
	return fmt.Sprintf("%d cases", n)
}
