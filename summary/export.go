package summary

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// PersonEmail names a person in the export by their directory key.
type PersonEmail func(id int64) string

// ExportCSV writes cases as CSV for compliance: one row per case, the
// redacted description only (what the bot stores), times in UTC.
func ExportCSV(cs []cases.Case, email PersonEmail) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"case", "status", "filed_at", "category", "categories", "unit", "reporter", "assignee",
		"link", "description", "outcome", "acknowledged_at", "resolved_at", "withdrawn_at", "escalations", "rulebook"})
	for _, c := range cs {
		var cats []string
		for _, cat := range c.Categories {
			cats = append(cats, cat.ID)
		}
		w.Write([]string{
			c.ID.String(), string(c.Status), stamp(c.CreatedAt), c.TopCategory(), strings.Join(cats, ";"),
			SafeCell(c.Unit), SafeCell(email(c.ReporterID)), SafeCell(email(c.AssigneeID)),
			SafeCell(c.Link), SafeCell(c.Description), string(c.Outcome),
			stamp(c.AcknowledgedAt), stamp(c.ResolvedAt), stamp(c.WithdrawnAt),
			strconv.Itoa(c.EscalationLevel), c.RulebookVersion,
		})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
