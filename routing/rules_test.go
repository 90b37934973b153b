package routing_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/routing"
)

func TestExampleRulesFile(t *testing.T) {
	r, err := routing.Load(filepath.Join("..", "deploy", "routing.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Location().String(); got != "America/New_York" {
		t.Errorf("time zone %s", got)
	}
	d := r.DeadlinesFor("4-2.f", "high")
	if d.Acknowledge != time.Hour || d.Escalate != 4*time.Hour || d.Resolve != 10*24*time.Hour {
		t.Errorf("4-2.f high: %+v", d)
	}
	if got := r.ExtraRecipients("4-2.f", "high"); len(got) != 2 || got[0].Channel != "slack:C0SECURITY" || got[1].Email != "kofi.asante@example.gov" {
		t.Errorf("recipients %v", got)
	}
	if r.Hours() == nil {
		t.Error("no working hours")
	}
}

func TestDefaults(t *testing.T) {
	for _, r := range []*routing.Rules{nil, routing.DefaultRules(), mustParse(t, "")} {
		if got := r.DeadlinesFor("4-2.f", "high"); got != routing.DefaultDeadlines() {
			t.Errorf("defaults: %+v", got)
		}
		if got := r.ExtraRecipients("4-2.f", "high"); got != nil {
			t.Errorf("recipients %v", got)
		}
		at := time.Date(2026, 12, 26, 3, 0, 0, 0, time.UTC) // a Saturday night
		if got := r.Due(at, time.Hour); !got.Equal(at.Add(time.Hour)) {
			t.Errorf("due %v", got)
		}
	}
	d := routing.DefaultDeadlines()
	if d.Acknowledge != 4*time.Hour || d.Escalate != 24*time.Hour || d.RemindEvery != 4*time.Hour ||
		d.Resolve != 240*time.Hour || d.RemindResolveEvery != 48*time.Hour {
		t.Errorf("built-in defaults %+v", d)
	}
}

func mustParse(t *testing.T, s string) *routing.Rules {
	t.Helper()
	r, err := routing.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDeadlinesForPrecedence(t *testing.T) {
	r := mustParse(t, `
defaults:
  acknowledge: 3h
  resolve: 5d
severities:
  high:
    acknowledge: 2h
    remind_every: 1h
categories:
  "4-2.f":
    acknowledge: 30m
  "4-5":
    resolve: 1d12h
`)
	tests := []struct {
		cat, sev string
		want     routing.Deadlines
	}{
		{"", "", routing.Deadlines{Acknowledge: 3 * time.Hour, Resolve: 5 * 24 * time.Hour, Escalate: 24 * time.Hour, RemindEvery: 4 * time.Hour, RemindResolveEvery: 48 * time.Hour}},
		{"4-4.a", "high", routing.Deadlines{Acknowledge: 2 * time.Hour, Resolve: 5 * 24 * time.Hour, Escalate: 24 * time.Hour, RemindEvery: time.Hour, RemindResolveEvery: 48 * time.Hour}},
		{"4-2.f", "high", routing.Deadlines{Acknowledge: 30 * time.Minute, Resolve: 5 * 24 * time.Hour, Escalate: 24 * time.Hour, RemindEvery: time.Hour, RemindResolveEvery: 48 * time.Hour}},
		{"4-2.f", "low", routing.Deadlines{Acknowledge: 30 * time.Minute, Resolve: 5 * 24 * time.Hour, Escalate: 24 * time.Hour, RemindEvery: 4 * time.Hour, RemindResolveEvery: 48 * time.Hour}},
		{"4-5", "", routing.Deadlines{Acknowledge: 3 * time.Hour, Resolve: 36 * time.Hour, Escalate: 24 * time.Hour, RemindEvery: 4 * time.Hour, RemindResolveEvery: 48 * time.Hour}},
	}
	for _, tt := range tests {
		if got := r.DeadlinesFor(tt.cat, tt.sev); got != tt.want {
			t.Errorf("DeadlinesFor(%q, %q) = %+v, want %+v", tt.cat, tt.sev, got, tt.want)
		}
	}
}

func TestExtraRecipients(t *testing.T) {
	r := mustParse(t, `
severities:
  high:
    notify: [mattermost:w7c2p9xk4nbz6tq1hjr8fmy3ga, Sec.Office@Example.gov]
categories:
  "4-2.f":
    notify: sec.office@example.gov
`)
	got := r.ExtraRecipients("4-2.f", "high")
	if len(got) != 2 || got[0].Email != "sec.office@example.gov" || got[1].Channel != "mattermost:w7c2p9xk4nbz6tq1hjr8fmy3ga" {
		t.Errorf("4-2.f high: %v", got)
	}
	if got := r.ExtraRecipients("4-4.a", "low"); len(got) != 0 {
		t.Errorf("4-4.a low: %v", got)
	}
	if got := r.AllRecipients(); len(got) != 2 {
		t.Errorf("all: %v", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"not yaml", "defaults: [", "not valid YAML"},
		{"not a mapping", "- a\n- b\n", "line 1: the file must be a mapping"},
		{"unknown top field", "defualts:\n  acknowledge: 4h\n", "line 1: defualts: unknown field; use defaults, categories"},
		{"bad duration", "defaults:\n  acknowledge: 4x\n", `line 2: defaults.acknowledge: "4x" is not a duration; write e.g. 4h, 90m or 10d`},
		{"zero duration", "defaults:\n  resolve: 0h\n", `line 2: defaults.resolve: "0h" must be longer than zero`},
		{"negative duration", "defaults:\n  resolve: -3h\n", `line 2: defaults.resolve: "-3h" must be longer than zero`},
		{"duration list", "defaults:\n  resolve: [1h]\n", "line 2: defaults.resolve: must be a single value"},
		{"unknown duration field", "defaults:\n  acknowlege: 1h\n", "line 2: defaults.acknowlege: unknown field; use acknowledge, escalate, remind_every, resolve, remind_resolve_every"},
		{"notify in defaults", "defaults:\n  notify: [slack:C1]\n", "line 2: defaults.notify: extra recipients go under a category or a severity"},
		{"unknown category", "categories:\n  \"4-9.z\":\n    acknowledge: 1h\n", `line 2: categories.4-9.z: unknown category "4-9.z"; use one of the directive's paragraphs (4-2.f`},
		{"unknown severity", "severities:\n  urgent:\n    acknowledge: 1h\n", `line 2: severities.urgent: unknown severity "urgent"; use high, medium or low`},
		{"repeated category", "categories:\n  \"4-5\":\n    acknowledge: 1h\n  \"4-5\":\n    resolve: 1d\n", "line 4: categories.4-5: given twice"},
		{"bad channel", "categories:\n  \"4-5\":\n    notify: [slack:general]\n", `line 3: categories.4-5.notify: "slack:general" does not hold a Slack channel ID`},
		{"bad mattermost channel", "categories:\n  \"4-5\":\n    notify: [mattermost:town-square]\n", `does not hold a Mattermost channel ID`},
		{"bad recipient", "categories:\n  \"4-5\":\n    notify:\n      - security office\n", `line 4: categories.4-5.notify: "security office" is neither slack:CHANNEL_ID, mattermost:CHANNEL_ID nor an e-mail address`},
		{"bad time zone", "time_zone: Mars/Olympus\n", `line 1: time_zone: "Mars/Olympus" is not an IANA time zone`},
		{"local time zone", "time_zone: Local\n", `line 1: time_zone: "Local" is not an IANA time zone`},
		{"bad day", "working_hours:\n  days: [mon, funday]\n  start: \"08:00\"\n  end: \"17:00\"\n", `line 2: working_hours.days: "funday" is not a day`},
		{"bad start", "working_hours:\n  start: 8am\n  end: \"17:00\"\n", `line 2: working_hours.start: "8am" is not a time of day as HH:MM`},
		{"start after end", "working_hours:\n  start: \"18:00\"\n  end: \"09:00\"\n", "line 2: working_hours: start must be before end"},
		{"no end", "working_hours:\n  start: \"08:00\"\n", "working_hours: needs both start and end"},
		{"escalate before acknowledge", "categories:\n  \"4-5\":\n    acknowledge: 30h\n", "categories.4-5: escalate (24h0m0s) must be later than acknowledge (30h0m0s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := routing.Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := routing.Parse([]byte("defaults:\n  acknowledge: soon\n  resolve: later\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("got %v", err)
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "routing.yaml")
	if err := os.WriteFile(path, []byte("time_zone: Nowhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := routing.Load(path)
	if err == nil || !strings.Contains(err.Error(), "routing rules "+path+": line 1: time_zone") {
		t.Errorf("got %v", err)
	}
	_, err = routing.Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"4h": 4 * time.Hour, "90m": 90 * time.Minute, "10d": 240 * time.Hour, "2d12h": 60 * time.Hour, "1h30m": 90 * time.Minute} {
		if got, err := routing.ParseDuration(in); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "d", "4", "x4h", "1dd", "-1d"} {
		if _, err := routing.ParseDuration(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestWorkingHoursNext(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	w := &routing.WorkingHours{Start: 8 * time.Hour, End: 17 * time.Hour, Location: ny}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		w.Days[d] = true
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, ny) }
	tests := []struct {
		name     string
		in, want time.Time
	}{
		{"inside", at(2026, 11, 23, 10, 0), at(2026, 11, 23, 10, 0)},
		{"at start", at(2026, 11, 23, 8, 0), at(2026, 11, 23, 8, 0)},
		{"before start", at(2026, 11, 23, 6, 30), at(2026, 11, 23, 8, 0)},
		{"at end", at(2026, 11, 23, 17, 0), at(2026, 11, 24, 8, 0)},
		{"evening", at(2026, 11, 23, 22, 0), at(2026, 11, 24, 8, 0)},
		{"friday evening", at(2026, 11, 27, 18, 0), at(2026, 11, 30, 8, 0)},
		{"saturday", at(2026, 11, 28, 12, 0), at(2026, 11, 30, 8, 0)},
		{"across DST change", at(2026, 3, 7, 12, 0), at(2026, 3, 9, 8, 0)},
	}
	for _, tt := range tests {
		got := w.Next(tt.in.UTC())
		if !got.Equal(tt.want) {
			t.Errorf("%s: Next(%v) = %v, want %v", tt.name, tt.in, got.In(ny), tt.want)
		}
		if got.Location() != time.UTC {
			t.Errorf("%s: result in %v, want the input's zone", tt.name, got.Location())
		}
	}
	var none *routing.WorkingHours
	if got := none.Next(tt0); !got.Equal(tt0) {
		t.Errorf("nil hours moved %v", got)
	}
}

var tt0 = time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)

func TestRulesDueUsesWorkingHours(t *testing.T) {
	r := mustParse(t, "time_zone: UTC\nworking_hours:\n  start: \"09:00\"\n  end: \"17:00\"\n")
	filed := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) // Friday
	if got, want := r.Due(filed, 4*time.Hour), time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("due %v, want %v", got, want)
	}
}
