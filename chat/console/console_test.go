package console_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/console"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/policy"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/sqlstore"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts")

// run plays a script through a console on a fresh store with the sample
// directory, at a fixed start time, and returns what it printed.
func run(t *testing.T, script string) string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	csv, err := os.ReadFile(filepath.Join("..", "..", "testdata", "directory", "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	clock := console.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	if _, err := directory.Import(ctx, s, bytes.NewReader(csv), clock.Now()); err != nil {
		t.Fatal(err)
	}
	classifier, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	ana, err := s.PersonByEmail(ctx, "ana.lopez@example.gov")
	if err != nil {
		t.Fatal(err)
	}
	svc := cases.NewService(s, s, clock.Now, routing.DefaultDeadlines(), nil)
	var out bytes.Buffer
	c := console.New(console.Config{
		Handler: commands.New(svc, s, s, classifier, clock.Now, nil),
		Store:   s, People: s, Clock: clock, Out: &out,
		Tick: func(ctx context.Context) error { _, err := svc.Tick(ctx); return err },
	}, ana)
	if err := c.Run(ctx, strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestTranscripts compares whole sessions with golden files: every message
// each person sees, as the console renders it.
func TestTranscripts(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "*.script"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".script")
		t.Run(name, func(t *testing.T) {
			script, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := run(t, string(script))
			golden := strings.TrimSuffix(path, ".script") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (go test ./chat/console -update to accept):\n%s", golden, got)
			}
		})
	}
}

func TestRefusedLinesGoOn(t *testing.T) {
	out := run(t, strings.Join([]string{
		"hello there",
		"as nobody@example.gov",
		"press",
		"press CASE-x acknowledge",
		"press CASE-1 resolve",
		"tick soon",
		"/report " + strings.Repeat("x", 70<<10),
		"/report help",
	}, "\n"))
	for _, want := range []string{
		"I don't understand that line",
		"nobody@example.gov isn't in the directory",
		"Say which case and which button",
		`"CASE-x" isn't a case reference`,
		"Say the outcome and a note",
		`"soon" isn't a period`,
		"the limit is",
		"/report mine",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
