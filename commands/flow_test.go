package commands_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/store/storetest"
)

// TestFlows runs every scenario on a fresh SQLite store and, when a server
// is available (always under CI=true), on PostgreSQL.
func TestFlows(t *testing.T) {
	scenarios := []struct {
		name string
		run  func(*testing.T, *world)
	}{
		{"ReportToSummary", testReportToSummary},
		{"BadInputChangesNothing", testBadInputChangesNothing},
		{"WhoMayPress", testWhoMayPress},
		{"ConcurrentPressesOneWins", testConcurrentPressesOneWins},
		{"ConflictOfInterestAndMentions", testConflictOfInterestAndMentions},
		{"EscalateToTheTopAndCompliance", testEscalateToTheTopAndCompliance},
		{"RelatedLinksAndPII", testRelatedLinksAndPII},
		{"ViewsAndExport", testViewsAndExport},
		{"DatabaseDown", testDatabaseDown},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, newWorld(t, b.NewURL(t))) })
		}
	})
}

func contains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

func testReportToSummary(t *testing.T, w *world) {
	reply := w.command(ana, "https://www.instagram.com/p/abc?igsh=xyz she posted a picture of a detainee in the intake area")
	contains(t, reply, "Your report is CASE-1.", "§4-2.f", "Notified: Ben Okafor", "supervisor")

	c := w.get(1)
	if c.Status != cases.StatusOpen || c.Link != "https://www.instagram.com/p/abc" || c.TopCategory() != "4-2.f" {
		t.Fatalf("filed case %+v", c)
	}
	if c.AckDueAt != start.Add(4*time.Hour) || c.Unit != "Krome Clinic" || c.RulebookVersion == "" {
		t.Errorf("deadline %v unit %q rulebook %q", c.AckDueAt, c.Unit, c.RulebookVersion)
	}

	w.clock.Advance(90 * time.Minute)
	contains(t, w.press(ben, 1, commands.Action{Name: "acknowledge"}), "You acknowledged CASE-1")
	w.clock.Advance(24 * time.Hour)
	contains(t, w.press(ben, 1, commands.Action{Name: "resolve", Outcome: "violation_confirmed", Text: "Post removed; counselled."}),
		"CASE-1 is resolved: violation confirmed")

	c = w.get(1)
	if c.Status != cases.StatusResolved || c.Outcome != cases.OutcomeViolationConfirmed || c.ResolutionNote != "Post removed; counselled." {
		t.Fatalf("resolved case %+v", c)
	}
	events, err := w.store.Events(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, string(e.Kind))
	}
	if strings.Join(kinds, ",") != "filed,acknowledged,resolved" {
		t.Errorf("history %v", kinds)
	}

	sum := w.command(carla, "summary 7d")
	contains(t, sum, "1 case\n", "resolved", "4-2.f", "Krome Clinic", "violation_confirmed", "Median time to acknowledge: 1h30m0s", "Median time to resolve: 25h30m0s")
}

func testBadInputChangesNothing(t *testing.T, w *world) {
	tests := []struct{ text, want string }{
		{"javascript:alert(1) look at this", "Links must be web addresses"},
		{"www.example.gov/page she posted a detainee photo", "Links must be web addresses"},
		{"ftp://files.example.gov/x photos of detainees", "Links must be web addresses"},
		{"https://bank.gov@evil.example/ detainee photo", "Links must be web addresses"},
		{strings.Repeat("a", 4001), "4001 characters and the limit is 4000"},
		{strings.Repeat("é", 8001), "8001 characters and the limit is 8000"},
		{"\u200b\u200d\u2060", "Please say what you saw"},
		{"   ", "Tell me what you saw"},
		{"case CASE-99", "There is no CASE-99."},
		{"case banana", `"banana" isn't a case reference`},
		{"summary", "Only compliance leads can see the summary"},
		{"export 30d", "Only compliance leads can export cases"},
		{"queue", "The queue is for supervisors"},
		{"delegate @ben.okafor@example.gov until 2026-12-01", "Delegation is for supervisors and compliance leads"},
	}
	for _, tt := range tests {
		contains(t, w.command(ana, tt.text), tt.want)
	}
	if _, err := w.store.Case(context.Background(), 1); err == nil {
		t.Error("a refused report filed a case")
	}
	contains(t, w.command(carla, "summary forever"), `"forever" isn't a period`)
}

func testWhoMayPress(t *testing.T, w *world) {
	w.command(ana, "someone posted a video of a detainee on tiktok")
	tests := []struct {
		who  string
		a    commands.Action
		want string
	}{
		{david, commands.Action{Name: "acknowledge"}, "You can't see CASE-1"},
		{ana, commands.Action{Name: "acknowledge"}, "You can't acknowledge CASE-1"},
		{irene, commands.Action{Name: "resolve", Outcome: "no_violation", Text: "x"}, "You can't see CASE-1"},
		{ben, commands.Action{Name: "resolve", Outcome: "maybe", Text: "x"}, `"maybe" isn't an outcome`},
		{ben, commands.Action{Name: "resolve", Outcome: "no_violation", Text: "  "}, "Please add a note"},
		{ben, commands.Action{Name: "escalate"}, "Please give a reason to escalate CASE-1"},
		{ben, commands.Action{Name: "frobnicate"}, `"frobnicate" isn't a button`},
		{ben, commands.Action{Name: "withdraw"}, "You can't withdraw CASE-1"},
		{ana, commands.Action{Name: "reopen", Text: "x"}, "You can't reopen CASE-1"},
	}
	for _, tt := range tests {
		contains(t, w.press(tt.who, 1, tt.a), tt.want)
	}
	if c := w.get(1); c.Status != cases.StatusOpen || c.Version != 1 {
		t.Errorf("refused presses changed the case: %+v", c)
	}
	// Carla is above Ben, and compliance besides: she may act.
	contains(t, w.press(carla, 1, commands.Action{Name: "acknowledge"}), "You acknowledged CASE-1")
	// Pressing again is answered, not applied twice.
	contains(t, w.press(ben, 1, commands.Action{Name: "acknowledge"}), "CASE-1 was already acknowledged")
	contains(t, w.press(ana, 1, commands.Action{Name: "withdraw"}), "You withdrew CASE-1")
	contains(t, w.press(ben, 1, commands.Action{Name: "resolve", Outcome: "no_violation", Text: "x"}), "CASE-1 is withdrawn, so it can't be resolved")
	contains(t, w.press(kofi, 1, commands.Action{Name: "reopen", Text: "the reporter asked us to look again"}), "CASE-1 is open again")
}

func testConcurrentPressesOneWins(t *testing.T, w *world) {
	w.command(ana, "posted photos of detainees on facebook")
	const n = 8
	var wg sync.WaitGroup
	replies := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := ben
			if i%2 == 1 {
				who = carla
			}
			replies[i] = w.press(who, 1, commands.Action{Name: "acknowledge"})
		}()
	}
	wg.Wait()
	won := 0
	for _, r := range replies {
		switch {
		case strings.Contains(r, "You acknowledged"):
			won++
		case strings.Contains(r, "already acknowledged"), strings.Contains(r, "changed while you were acting"):
		default:
			t.Errorf("unexpected reply %q", r)
		}
	}
	events, _ := w.store.Events(context.Background(), 1)
	if won != 1 || len(events) != 2 {
		t.Errorf("%d presses won, %d events; want 1 and 2", won, len(events))
	}
}

func testConflictOfInterestAndMentions(t *testing.T, w *world) {
	contains(t, w.command(ana, "@ben.okafor@example.gov posted the whole patient census on his facebook"),
		"Notified: Carla Diaz", "the person the report is about")
	if c := w.get(1); c.SubjectID != w.person(ben).ID || c.AssigneeID != w.person(carla).ID {
		t.Errorf("subject %d assignee %d", c.SubjectID, c.AssigneeID)
	}
	// Ben, the subject, may not see the case about him.
	contains(t, w.command(ben, "case CASE-1"), "You can't see CASE-1")
	// Nor may it be handed to him.
	ben := w.person(ben)
	contains(t, w.press(carla, 1, commands.Action{Name: "reassign", To: &ben, Text: "his team"}), "can't be given to the person it is about")
}

func testEscalateToTheTopAndCompliance(t *testing.T, w *world) {
	w.command("farid.haddad@example.gov", "coworker posted a racist meme about mexicans on instagram")
	chain := []string{"Grace Kim", "Henry Mensah", "Irene Novak", "Carla Diaz"}
	for i, who := range []string{"grace.kim@example.gov", "henry.mensah@example.gov", "irene.novak@example.gov"} {
		contains(t, w.press(who, 1, commands.Action{Name: "escalate", Text: "needs a higher level"}), "escalated to "+chain[i+1])
	}
	if c := w.get(1); c.EscalationLevel != 3 {
		t.Errorf("escalation level %d", c.EscalationLevel)
	}
	contains(t, w.command(carla, "case CASE-1"), "escalated by Irene Novak", "went to compliance")
}

func testRelatedLinksAndPII(t *testing.T, w *world) {
	w.command(ana, "https://facebook.com/post/77 detainee photo posted")
	reply := w.command(david, "https://www.facebook.com/post/77/?fbclid=zz same post, his SSN 123-45-6789 is in it")
	contains(t, reply, "Your report is CASE-2", "The same link was reported before (CASE-1)", "a social security number")
	c := w.get(2)
	if strings.Contains(c.Description, "6789") || !strings.Contains(c.Description, "[ssn redacted]") {
		t.Errorf("stored description %q", c.Description)
	}
	contains(t, w.command(carla, "case CASE-2"), "Same link reported in: CASE-1")
}

func testViewsAndExport(t *testing.T, w *world) {
	w.command(ana, "posted a picture of a detainee")
	w.command(ana, "=1+1 selling essential oils on the agency list")
	contains(t, w.command(ana, "mine"), "CASE-2", "CASE-1", "with Ben Okafor")
	contains(t, w.command(ben, "queue"), "CASE-1", "CASE-2", "acknowledge by")
	contains(t, w.command(david, "mine"), "You haven't filed any reports")
	r := w.handler.Command(context.Background(), w.person(carla), "export 7d", nil)
	if r.File == nil || !strings.Contains(string(r.File.Data), "CASE-2") || !strings.Contains(string(r.File.Data), `'=1+1`) {
		t.Fatalf("export %+v", r)
	}
	contains(t, w.command(ana, "help"), "/report mine")
}

func testDatabaseDown(t *testing.T, w *world) {
	w.command(ana, "posted a picture of a detainee")
	me := w.person(ana)
	w.store.Close()
	reply := w.handler.Command(context.Background(), me, "another detainee photo", nil).Text
	contains(t, reply, "nothing was")
	if strings.Contains(reply, "sql") || strings.Contains(reply, "closed") {
		t.Errorf("internal detail shown: %q", reply)
	}
}
