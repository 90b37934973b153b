package mattermost

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares v, as indented JSON, with testdata/name.golden.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs (go test ./chat/mattermost -run %s -update to accept):\n%s", path, t.Name(), buf.Bytes())
	}
}

var samplePeople = map[int64]directory.Person{
	1: {ID: 1, Name: "Ana Lopez", Email: "ana.lopez@example.gov"},
	2: {ID: 2, Name: "Ben Okafor", Email: "ben.okafor@example.gov"},
	4: {ID: 4, Name: "David Cho", Email: "david.cho@example.gov"},
}

func samplePerson(id int64) directory.Person { return samplePeople[id] }

func sampleCase(status cases.Status) cases.Case {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	c := cases.Case{
		ID: 7, Status: status, ReporterID: 1, SubjectID: 4, AssigneeID: 2,
		Link:        "https://www.instagram.com/p/abc?x=1&y=2",
		Description: "She posted a picture of a detainee in the intake area.\nIt is still up.",
		Categories: []cases.Category{
			{ID: "4-2.f", Title: "Images of detainees", Score: 0.9, Evidence: []string{"detainee"}},
		},
		RulebookVersion: "test", Unit: "Krome Clinic",
		RoutingReasons: []string{"supervisor of the reporter"},
		CreatedAt:      at, AckDueAt: at.Add(4 * time.Hour), ResolveDueAt: at.Add(240 * time.Hour),
	}
	switch status {
	case cases.StatusAcknowledged:
		c.AcknowledgedAt = at.Add(time.Hour)
	case cases.StatusResolved:
		c.AcknowledgedAt, c.ResolvedAt = at.Add(time.Hour), at.Add(25*time.Hour)
		c.Outcome, c.ResolutionNote = cases.OutcomeViolationConfirmed, "Removed."
	}
	return c
}

var testSigner = signer{key: []byte(actionSecret)}

func sampleAttachment(c cases.Case) *model.MessageAttachment {
	return sampleAttachmentFor(c, true)
}

func sampleAttachmentFor(c cases.Case, mayAct bool) *model.MessageAttachment {
	card := commands.CaseCard(c, samplePerson, mayAct)
	return CardAttachment(card, c.Status, c.Link, publicURL+ActionPath, func(action string) map[string]any {
		return testSigner.buttonContext(c.ID.String(), action, c.AssigneeID)
	})
}

func TestGoldenCards(t *testing.T) {
	for _, status := range []cases.Status{cases.StatusOpen, cases.StatusAcknowledged, cases.StatusResolved} {
		t.Run(string(status), func(t *testing.T) {
			att := sampleAttachment(sampleCase(status))
			if err := att.IsValid(); err != nil {
				t.Fatal(err)
			}
			golden(t, "card_"+string(status), att)
			if (len(att.Actions) > 0) != (status != cases.StatusResolved) {
				t.Errorf("%s card: %d buttons", status, len(att.Actions))
			}
			for _, a := range att.Actions {
				if !alphanumeric.MatchString(a.Id) {
					t.Errorf("action ID %q", a.Id)
				}
				if cc, ok := testSigner.checkContext(roundTrip(t, a.Integration.Context)); !ok || cc.Action != a.Id || cc.Ref != "CASE-7" || cc.Recipient != "2" {
					t.Errorf("context %v does not verify", a.Integration.Context)
				}
			}
		})
	}
	// After a reassignment or escalation, the earlier assignee's card.
	t.Run("moved", func(t *testing.T) {
		att := sampleAttachmentFor(sampleCase(cases.StatusOpen), false)
		golden(t, "card_moved", att)
		var fields []string
		for _, f := range att.Fields {
			fields = append(fields, f.Title)
		}
		if len(att.Actions) > 0 || !strings.Contains(strings.Join(fields, ","), "Now with") {
			t.Errorf("moved card: %d buttons, fields %v", len(att.Actions), fields)
		}
	})
}

// roundTrip is a context as it comes back from the server: through JSON.
func roundTrip(t testing.TB, v map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGoldenDialogs(t *testing.T) {
	forms := map[string]*chat.Form{
		"report":   commands.NewReportForm("https://example.com/p/1", "Look at <this> & that", david, sharedClassifier(t).Categories()),
		"resolve":  commands.ResolveForm(7),
		"reassign": commands.ReassignForm(7),
		"escalate": reasonForm("escalate", 7),
	}
	for name, f := range forms {
		t.Run(name, func(t *testing.T) {
			d := Dialog(f, "STATE")
			req := model.OpenDialogRequest{TriggerId: "trig", URL: publicURL + DialogPath, Dialog: d}
			if err := req.IsValid(); err != nil {
				t.Fatalf("dialog invalid: %v", err)
			}
			if d.CallbackId != f.ID || d.State != "STATE" {
				t.Errorf("callback %q state %q", d.CallbackId, d.State)
			}
			golden(t, "dialog_"+name, d)
		})
	}
}

func TestGoldenAnswer(t *testing.T) {
	for name, text := range map[string]string{
		"one_line": "You can't acknowledge CASE-1, so nothing was changed.",
		"filed":    "Thank you. Your report is CASE-1.\nClassification: §4-2.f — Images of detainees (matched: \"detainee\")\nNotified: Ben Okafor (supervisor of the reporter).",
		"listing":  "Your reports, newest first:\nCASE-2  open         filed 2026-11-23 09:00 UTC  §4-2.f  with Ben Okafor\nCASE-1  resolved     filed 2026-11-22 09:00 UTC  no category  with Ben Okafor",
	} {
		t.Run(name, func(t *testing.T) {
			golden(t, "answer_"+name, Answer(chat.Reply{Text: text}))
		})
	}
}

// evil is user text that speaks every mention syntax there is.
const evil = "@channel @all @here @someone <!channel> <@abc> x.@here ![pic](https://evil.example/p.png)"

// noPing fails when s could mention or ping anyone, or load a picture.
func noPing(t testing.TB, where, s string) {
	t.Helper()
	for _, bad := range []string{"@channel", "@all", "@here", "@someone", "<!channel>", "<@abc", "![", "@abc"} {
		if strings.Contains(s, bad) {
			t.Errorf("%s has %q:\n%s", where, bad, s)
		}
	}
}

// TestNoPingInjection: a description, a name or a reason that speaks
// Mattermost's (or Slack's) mention syntax is shown, never acted on.
func TestNoPingInjection(t *testing.T) {
	c := sampleCase(cases.StatusOpen)
	c.Description = evil
	c.Link = "https://www.tiktok.com/@someone/video/1?`x`"
	c.RoutingReasons = []string{evil}
	people := map[int64]directory.Person{1: {ID: 1, Name: "@channel", Email: "a@example.gov"}, 2: samplePeople[2], 4: samplePeople[4]}
	card := commands.CaseCard(c, func(id int64) directory.Person { return people[id] }, true)
	att := CardAttachment(card, c.Status, c.Link, publicURL+ActionPath, func(string) map[string]any { return nil })
	for _, f := range att.Fields {
		if f.Title != "Link" {
			noPing(t, "field "+f.Title, f.Value.(string))
		}
	}
	noPing(t, "text", att.Text)
	noPing(t, "footer", att.Footer)
	contains(t, att.Text, "@"+zwj+"channel", "@"+zwj+"someone", "<"+zwj+"!channel>", "!"+zwj+"[pic]")
	// The link stays whole, as a code span that nothing parses, and the
	// title links to it.
	for _, f := range att.Fields {
		if f.Title == "Link" && f.Value != "`https://www.tiktok.com/@someone/video/1?%60x%60`" {
			t.Errorf("link field %q", f.Value)
		}
	}
	if att.TitleLink != c.Link {
		t.Errorf("title link %q", att.TitleLink)
	}
	noPing(t, "answer", Answer(chat.Reply{Text: "What they saw: " + evil}).Text)
	noPing(t, "post", cardPost(evil, att).Message)
	noPing(t, "dm", textPost("ch", evil).Message)
	// E-mail addresses are left as they are.
	if got := neutral("ana.lopez@example.gov"); got != "ana.lopez@example.gov" {
		t.Errorf("e-mail changed: %q", got)
	}
}

func TestLongTextStaysWithinLimits(t *testing.T) {
	c := sampleCase(cases.StatusOpen)
	c.Description = strings.Repeat("@all ", 2000)
	c.Link = "https://example.com/" + strings.Repeat("x", 5000)
	att := sampleAttachment(c)
	if err := att.IsValid(); err != nil {
		t.Fatal(err)
	}
	for _, f := range att.Fields {
		if n := len([]rune(f.Value.(string))); n > maxField+2 {
			t.Errorf("field %s has %d characters", f.Title, n)
		}
	}
	f := commands.NewReportForm(strings.Repeat("h", 500), strings.Repeat("é", 5000), "", nil)
	d := Dialog(f, "s")
	if err := d.IsValid(); err != nil {
		t.Fatal(err)
	}
}
