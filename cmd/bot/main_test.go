package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testRulebook is a small valid rulebook (version "golden-1") kept with the
// classify protocol's golden test.
const testRulebook = "../../classifyio/testdata/golden/rulebook.yaml"

type result struct {
	code           int
	stdout, stderr string
}

func runBot(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	return runBotCtx(t, context.Background(), env, strings.NewReader(stdin), args...)
}

func runBotCtx(t *testing.T, ctx context.Context, env map[string]string, stdin io.Reader, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, stdin, &stdout, &stderr, func(k string) string { return env[k] })
	return result{code, stdout.String(), stderr.String()}
}

// oneLineError checks the contract for failures: a non-zero status and one
// line on stderr, starting with "bot: " and containing want.
func oneLineError(t *testing.T, r result, code int, want string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit status %d, want %d (stderr %q)", r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "bot: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one line starting with \"bot: \": %q", r.stderr)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not contain %q", r.stderr, want)
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string // all must appear on stdout
	}{
		{[]string{"--help"}, []string{"classify", "version", "help", "LOG_LEVEL", "RULEBOOK_FILE"}},
		{[]string{"-h"}, []string{"classify", "version"}},
		{[]string{"help"}, []string{"classify", "version"}},
		{[]string{"help", "classify"}, []string{"Usage: bot classify", "--rules", "--workers", "--explain", "RULEBOOK_FILE", "LOG_LEVEL"}},
		{[]string{"classify", "--help"}, []string{"Usage: bot classify"}},
		{[]string{"classify", "-h"}, []string{"Usage: bot classify"}},
		{[]string{"version", "--help"}, []string{"Usage: bot version"}},
		{[]string{"help", "version"}, []string{"Usage: bot version"}},
		{[]string{"help", "--help"}, []string{"classify", "version"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			// Help must work even when the configuration is wrong.
			r := runBot(t, map[string]string{"LOG_LEVEL": "bogus", "RULEBOOK_FILE": "/nonexistent"}, "", tt.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("help does not mention %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}

func TestHelpListsServe(t *testing.T) {
	r := runBot(t, nil, "", "--help")
	if !strings.Contains(r.stdout, "  serve ") {
		t.Errorf("help does not list serve:\n%s", r.stdout)
	}
	r = runBot(t, map[string]string{"LOG_LEVEL": "bogus"}, "", "serve", "--help")
	for _, w := range []string{"Usage: bot serve", "BOT_LISTEN_ADDR", "SLACK_BOT_TOKEN", "MATTERMOST_URL", "COMPLIANCE_CHANNEL"} {
		if r.code != 0 || !strings.Contains(r.stdout, w) {
			t.Errorf("bot serve --help lacks %q (exit %d)", w, r.code)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"serve without a platform", nil, []string{"serve"}, "bot serve needs Slack (SLACK_BOT_TOKEN) or Mattermost (MATTERMOST_URL) settings"},
		{"help on unknown command", nil, []string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", nil, []string{"classify", "--nope"}, "flag provided but not defined: -nope"},
		{"bad flag value", nil, []string{"classify", "--workers", "many"}, "invalid value"},
		{"negative workers", nil, []string{"classify", "--workers", "-1"}, "--workers must be 0 or more"},
		{"stray argument", nil, []string{"classify", "file.jsonl"}, `unexpected argument "file.jsonl"`},
		{"version takes no arguments", nil, []string{"version", "extra"}, `unexpected argument "extra"`},
		{"bad LOG_LEVEL", map[string]string{"LOG_LEVEL": "verbose"}, []string{"classify"},
			`LOG_LEVEL "verbose" is not one of debug, info, warn, error`},
		{"bad LOG_LEVEL for version", map[string]string{"LOG_LEVEL": "trace"}, []string{"version"}, "LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, tt.env, `{"id":1,"text":"x"}`, tt.args...)
			oneLineError(t, r, exitUsage, tt.want)
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestNoArguments(t *testing.T) {
	r := runBot(t, nil, "")
	if r.code != exitUsage || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("bot with no arguments: exit %d, stderr %q; want 2 and the usage", r.code, r.stderr)
	}
}

// answer is the part of an output line these tests look at.
type answer struct {
	ID         json.RawMessage `json:"id"`
	Categories []struct {
		ID    string   `json:"id"`
		Rules []string `json:"rules"`
	} `json:"categories"`
	PII      []json.RawMessage `json:"pii"`
	Rulebook string            `json:"rulebook"`
	Error    string            `json:"error"`
}

func answers(t *testing.T, stdout string) []answer {
	t.Helper()
	var out []answer
	for line := range strings.Lines(stdout) {
		var a answer
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("output line is not JSON: %v: %q", err, line)
		}
		out = append(out, a)
	}
	return out
}

func TestClassify(t *testing.T) {
	in := `{"id":"a","text":"she posted a picture of a detainee on instagram"}` + "\n\n" +
		`{"id":2,"text":"potluck friday"}` + "\n" + `not json` + "\n"
	r := runBot(t, nil, in, "classify")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	got := answers(t, r.stdout)
	if len(got) != 3 {
		t.Fatalf("got %d answers, want 3:\n%s", len(got), r.stdout)
	}
	if string(got[0].ID) != `"a"` || string(got[1].ID) != `2` || string(got[2].ID) != `null` {
		t.Errorf("ids %s %s %s, want \"a\" 2 null", got[0].ID, got[1].ID, got[2].ID)
	}
	if got[0].Rulebook == "" || got[0].Categories == nil || got[1].Categories == nil {
		t.Errorf("classified lines lack rulebook or categories:\n%s", r.stdout)
	}
	if got[2].Error == "" {
		t.Errorf("bad line got no error:\n%s", r.stdout)
	}
}

func TestClassifyRulesAndExplain(t *testing.T) {
	in := `{"id":1,"text":"she posted a picture of a detainee on instagram"}`
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		version string
		rules   bool
	}{
		{"flag", nil, []string{"classify", "--rules", testRulebook}, "golden-1", false},
		{"environment", map[string]string{"RULEBOOK_FILE": testRulebook}, []string{"classify"}, "golden-1", false},
		{"flag overrides environment", map[string]string{"RULEBOOK_FILE": "/nonexistent.yaml"},
			[]string{"classify", "--rules=" + testRulebook}, "golden-1", false},
		{"explain", nil, []string{"classify", "--rules", testRulebook, "--explain", "--workers", "3"}, "golden-1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, tt.env, in, tt.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			got := answers(t, r.stdout)
			// The version is the rulebook's, then "+" and the built-in model's.
			if len(got) != 1 || !strings.HasPrefix(got[0].Rulebook, tt.version+"+m") || len(got[0].Categories) == 0 {
				t.Fatalf("want one classified answer from rulebook %s:\n%s", tt.version, r.stdout)
			}
			if hasRules := len(got[0].Categories[0].Rules) > 0; hasRules != tt.rules {
				t.Errorf("rules shown: %v, want %v", hasRules, tt.rules)
			}
		})
	}
}

func TestClassifyBadRulebook(t *testing.T) {
	dir := t.TempDir()
	notYAML := filepath.Join(dir, "broken.yaml")
	invalid := filepath.Join(dir, "invalid.yaml")
	if err := os.WriteFile(notYAML, []byte("version: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(invalid, []byte("version: \"\"\nthreshold: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"missing file", nil, []string{"classify", "--rules", missing}, "bot: rulebook " + missing + ": no such file or directory"},
		{"not YAML", nil, []string{"classify", "--rules", notYAML}, "bot: rulebook " + notYAML + ": "},
		{"invalid rulebook, many problems on one line", nil, []string{"classify", "--rules", invalid}, "bot: rulebook " + invalid + ": "},
		{"from the environment", map[string]string{"RULEBOOK_FILE": missing}, []string{"classify"}, "bot: rulebook " + missing},
		{"version", map[string]string{"RULEBOOK_FILE": missing}, []string{"version"}, "bot: rulebook " + missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, tt.env, `{"id":1,"text":"x"}`, tt.args...)
			oneLineError(t, r, exitError, tt.want)
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestClassifyDebugLog(t *testing.T) {
	r := runBot(t, map[string]string{"LOG_LEVEL": "DEBUG"}, "{\"id\":1,\"text\":\"secret words\"}\n[1]\n", "classify")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, w := range []string{"level=DEBUG", "classify: starting", "line=2", "classify: finished"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("debug log lacks %q:\n%s", w, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "secret") {
		t.Errorf("the log shows report text:\n%s", r.stderr)
	}
	if r := runBot(t, map[string]string{"LOG_LEVEL": "warn"}, "[1]\n", "classify"); r.stderr != "" {
		t.Errorf("LOG_LEVEL=warn logged %q", r.stderr)
	}
}

func TestClassifyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stdin, w := io.Pipe() // never written: only cancellation can end the run
	defer w.Close()
	r := runBotCtx(t, ctx, nil, stdin, "classify")
	oneLineError(t, r, exitError, "classify stopped: context canceled")
}

func TestVersion(t *testing.T) {
	r := runBot(t, nil, "", "version")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, w := range []string{"bot ", "go: go1.", "rulebook: ", "(built in)"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("version output lacks %q:\n%s", w, r.stdout)
		}
	}
	r = runBot(t, map[string]string{"RULEBOOK_FILE": testRulebook}, "", "version")
	if want := "rulebook: golden-1+m"; !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "("+testRulebook+")") {
		t.Errorf("version output lacks %q:\n%s", want, r.stdout)
	}
}
