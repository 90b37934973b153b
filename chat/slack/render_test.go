package slack

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

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
		t.Errorf("%s differs (go test ./chat/slack -run %s -update to accept):\n%s", path, t.Name(), buf.Bytes())
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

func TestGoldenCards(t *testing.T) {
	for _, status := range []cases.Status{cases.StatusOpen, cases.StatusAcknowledged, cases.StatusResolved} {
		t.Run(string(status), func(t *testing.T) {
			c := sampleCase(status)
			blocks := CardBlocks(commands.CaseCard(c, samplePerson, true), c.ID.String())
			golden(t, "card_"+string(status), blocks)
			hasActions := strings.Contains(mustJSON(t, blocks), `"type":"actions"`)
			if hasActions != (status != cases.StatusResolved) {
				t.Errorf("%s card: actions block %v", status, hasActions)
			}
		})
	}
	// After a reassignment or escalation, the earlier assignee's card.
	t.Run("moved", func(t *testing.T) {
		c := sampleCase(cases.StatusOpen)
		blocks := CardBlocks(commands.CaseCard(c, samplePerson, false), c.ID.String())
		golden(t, "card_moved", blocks)
		js := mustJSON(t, blocks)
		if strings.Contains(js, `"type":"actions"`) || !strings.Contains(js, "Now with") {
			t.Errorf("moved card: %s", js)
		}
	})
}

func TestGoldenModals(t *testing.T) {
	forms := map[string]*chat.Form{
		"report":   commands.NewReportForm("https://example.slack.com/archives/C1/p1", "Look at <this> & that", "U0DAVID", sharedClassifier(t).Categories()),
		"resolve":  commands.ResolveForm(7),
		"reassign": commands.ReassignForm(7),
		"escalate": reasonForm("escalate", 7),
	}
	for name, f := range forms {
		t.Run(name, func(t *testing.T) {
			v := ModalView(f)
			if !slackapi.ValidateUniqueBlockID(v) {
				t.Error("block IDs are not unique")
			}
			if v.CallbackID != f.ID || v.PrivateMetadata != f.State {
				t.Errorf("callback %q metadata %q", v.CallbackID, v.PrivateMetadata)
			}
			golden(t, "modal_"+name, v)
		})
	}
}

func TestGoldenEphemeral(t *testing.T) {
	for name, text := range map[string]string{
		"one_line": "You can't acknowledge CASE-1, so nothing was changed.",
		"filed":    "Thank you. Your report is CASE-1.\nClassification: §4-2.f — Images of detainees (matched: \"detainee\")\nNotified: Ben Okafor (supervisor of the reporter).",
		"listing":  "Your reports, newest first:\nCASE-2  open         filed 2026-11-23 09:00 UTC  §4-2.f  with Ben Okafor\nCASE-1  resolved     filed 2026-11-22 09:00 UTC  no category  with Ben Okafor",
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Ephemeral(chat.Reply{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			golden(t, "ephemeral_"+name, v)
		})
	}
}

func TestGoldenHome(t *testing.T) {
	golden(t, "home", homeView([]homeSection{
		{"Your reports", "Your reports, newest first:\nCASE-1  open         filed 2026-11-23 09:00 UTC  §4-2.f  with Ben Okafor"},
		{"Waiting on you", "Nothing is waiting on you."},
	}))
}

// TestNoPingInjection: a description, a name or a link that speaks Slack's
// markup is shown, never acted on.
func TestNoPingInjection(t *testing.T) {
	const evil = "<!channel> <@U123> <https://evil|click> & *bold* <!here|here> <#C1>"
	c := sampleCase(cases.StatusOpen)
	c.Description = evil
	c.Link = "https://example.com/?q=<!everyone>"
	c.RoutingReasons = []string{evil}
	people := map[int64]directory.Person{1: {ID: 1, Name: "<!channel>", Email: "a@example.gov"}, 2: samplePeople[2], 4: samplePeople[4]}
	card := commands.CaseCard(c, func(id int64) directory.Person { return people[id] }, true)
	out := []string{mustJSON(t, CardBlocks(card, "CASE-7")), CardText(evil, card)}
	eph, err := Ephemeral(chat.Reply{Text: "What they saw: " + evil + "\nline two " + evil})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(eph), mustJSON(t, homeView([]homeSection{{evil, evil}})))
	for _, o := range out {
		// Decode JSON escapes (\u003c) before looking.
		var v any
		text := o
		if json.Unmarshal([]byte(o), &v) == nil {
			text = mustJSONRaw(t, v)
		}
		for _, bad := range []string{"<!", "<@", "<#", "<http"} {
			if strings.Contains(text, bad) {
				t.Errorf("unescaped %q in:\n%s", bad, text)
			}
		}
		if !strings.Contains(text, "&lt;!channel&gt;") && !strings.Contains(text, "&lt;@U123&gt;") {
			t.Errorf("the words were lost rather than escaped:\n%s", text)
		}
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustJSONRaw marshals without HTML escaping, so that < shows as itself.
func mustJSONRaw(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestLongTextStaysWithinLimits(t *testing.T) {
	c := sampleCase(cases.StatusOpen)
	c.Description = strings.Repeat("&<>", 1500) // 4,500 characters, 18,000 escaped
	blocks := CardBlocks(commands.CaseCard(c, samplePerson, true), "CASE-7")
	for _, b := range blocks {
		s, ok := b.(*slackapi.SectionBlock)
		if !ok {
			continue
		}
		if s.Text != nil {
			if err := s.Text.Validate(); err != nil {
				t.Errorf("section text: %v", err)
			}
			if strings.Count(s.Text.Text, "&") != strings.Count(s.Text.Text, ";") {
				t.Errorf("an entity was cut: %.80q", s.Text.Text)
			}
		}
	}
	f := commands.NewReportForm("", strings.Repeat("x", 5000), "", nil)
	v := ModalView(f)
	in := v.Blocks.BlockSet[1].(*slackapi.InputBlock).Element.(*slackapi.PlainTextInputBlockElement)
	if len([]rune(in.InitialValue)) > maxInput {
		t.Errorf("initial value of %d characters", len(in.InitialValue))
	}
}
