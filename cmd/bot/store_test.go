package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleCSV = "../../testdata/directory/sample.csv"

func dbEnv(t *testing.T) map[string]string {
	return map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "bot.db")}
}

func TestMigrateDirectorySummary(t *testing.T) {
	env := dbEnv(t)
	r := runBot(t, env, "", "migrate")
	if r.code != 0 || !strings.Contains(r.stdout, "is up to date") {
		t.Fatalf("migrate: %+v", r)
	}
	r = runBot(t, env, "", "directory", "import", sampleCSV)
	if r.code != 0 || !strings.Contains(r.stdout, "14 people loaded: 14 created") {
		t.Fatalf("import: %+v", r)
	}
	r = runBot(t, env, "", "directory", "import", sampleCSV)
	if r.code != 0 || !strings.Contains(r.stdout, "14 unchanged") {
		t.Fatalf("re-import is not idempotent: %+v", r)
	}
	r = runBot(t, env, "", "directory", "import", "../../testdata/directory/broken.csv")
	if r.code != 0 || !strings.Contains(r.stdout, "line ") {
		t.Fatalf("broken import: %+v", r)
	}
	r = runBot(t, env, "", "summary", "--format", "json")
	var sum map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sum) != nil || sum["total"] != 0.0 {
		t.Fatalf("summary json: %+v", r)
	}
	if v, ok := sum["median_seconds_to_acknowledge"]; !ok || v != nil {
		t.Errorf("median with nothing acknowledged should be null: %v", sum)
	}
	for _, f := range []string{"text", "csv"} {
		if r := runBot(t, env, "", "summary", "--since", "30d", "--format", f); r.code != 0 || r.stdout == "" {
			t.Errorf("summary %s: %+v", f, r)
		}
	}
}

func TestStoreCommandErrors(t *testing.T) {
	env := dbEnv(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"bad url", map[string]string{"DATABASE_URL": "mysql://x"}, []string{"migrate"}, exitError, "postgres://"},
		{"unreachable postgres", map[string]string{"DATABASE_URL": "postgres://bot:secret@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"}, []string{"migrate"}, exitError, "can't be reached"},
		{"missing file", env, []string{"directory", "import", "/nonexistent.csv"}, exitError, "no such file"},
		{"no subcommand", env, []string{"directory"}, exitUsage, "bot directory import FILE"},
		{"bad format", env, []string{"summary", "--format", "xml"}, exitUsage, "text, json or csv"},
		{"bad since", env, []string{"summary", "--since", "soon"}, exitUsage, "not a period"},
		{"console unknown person", mergeEnv(env, map[string]string{"DIRECTORY_FILE": sampleCSV}), []string{"console", "--as", "nobody@example.gov"}, exitUsage, "not in the directory"},
		{"console missing directory", mergeEnv(env, map[string]string{"DIRECTORY_FILE": "/nonexistent.csv"}), []string{"console"}, exitError, "DIRECTORY_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, tt.env, "", tt.args...)
			oneLineError(t, r, tt.code, tt.want)
			if strings.Contains(r.stderr, "secret") {
				t.Errorf("password shown: %q", r.stderr)
			}
		})
	}
}

func mergeEnv(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestConsoleScript(t *testing.T) {
	env := mergeEnv(dbEnv(t), map[string]string{"DIRECTORY_FILE": sampleCSV})
	script := strings.Join([]string{
		"/report https://www.facebook.com/p/1 she posted a picture of a detainee",
		"as ben.okafor@example.gov",
		"press CASE-1 acknowledge",
		"press CASE-1 resolve no_violation It was an approved post.",
		"as carla.diaz@example.gov",
		"/report summary",
		"press CASE-9 acknowledge",
		"quit",
		"/report this line is never read",
	}, "\n")
	r := runBot(t, env, script, "console")
	if r.code != 0 {
		t.Fatalf("console: %+v", r)
	}
	for _, want := range []string{
		"You are Ana Lopez <ana.lopez@example.gov>",
		"[to ana.lopez@example.gov] Thank you. Your report is CASE-1.",
		"[to ben.okafor@example.gov] New report CASE-1",
		"[to ben.okafor@example.gov] You acknowledged CASE-1.",
		"[to ana.lopez@example.gov] Your report CASE-1 has been resolved: no violation found.",
		"[to carla.diaz@example.gov] Compliance summary",
		"[to carla.diaz@example.gov] There is no CASE-9.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("console output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "never read") || strings.Contains(r.stdout, "CASE-2") {
		t.Error("the console read past quit")
	}
	if _, err := os.Stat(strings.TrimPrefix(env["DATABASE_URL"], "sqlite:")); err != nil {
		t.Errorf("the database file was not created: %v", err)
	}
}
