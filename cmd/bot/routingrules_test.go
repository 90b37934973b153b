package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func consoleEnv(t *testing.T, routingFile string) map[string]string {
	return map[string]string{
		"DATABASE_URL":   "sqlite:" + filepath.Join(t.TempDir(), "bot.db"),
		"DIRECTORY_FILE": filepath.Join("..", "..", "testdata", "directory", "sample.csv"),
		"ROUTING_FILE":   routingFile,
	}
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "routing.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRoutingFileAtStart(t *testing.T) {
	bad := writeFile(t, "defaults:\n  acknowledge: 4x\n")
	r := runBot(t, consoleEnv(t, bad), "quit\n", "console")
	oneLineError(t, r, 1, "ROUTING_FILE: routing rules "+bad+`: line 2: defaults.acknowledge: "4x" is not a duration`)

	missing := filepath.Join(t.TempDir(), "nope.yaml")
	r = runBot(t, consoleEnv(t, missing), "quit\n", "console")
	oneLineError(t, r, 1, "ROUTING_FILE: routing rules "+missing+": no such file or directory")

	stranger := writeFile(t, "categories:\n  \"4-2.f\":\n    notify: [security@example.gov]\n")
	r = runBot(t, consoleEnv(t, stranger), "quit\n", "console")
	oneLineError(t, r, 1, "notify security@example.gov is not in the directory")

	// The documented example loads, and its recipients are told of a 4-2.f report.
	example := filepath.Join("..", "..", "deploy", "routing.example.yaml")
	r = runBot(t, consoleEnv(t, example), "/report she posted a picture of a detainee in the intake area, you can read his wristband\n", "console", "--as", "ana.lopez@example.gov")
	if r.code != 0 {
		t.Fatalf("example: %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"[to slack:C0SECURITY] New report CASE-1 (§4-2.f, high severity)", "[to kofi.asante@example.gov] New report CASE-1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestServeConfigAcceptsRoutingFile(t *testing.T) {
	cfg, err := parseServeConfig(func(k string) string { return with(slackEnv(), "ROUTING_FILE", " routing.yaml ")[k] })
	if err != nil || cfg.RoutingFile != "routing.yaml" {
		t.Fatalf("got %+v, %v", cfg.RoutingFile, err)
	}
}
