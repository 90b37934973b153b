package directory_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/directory"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output")

const testdata = "../testdata/directory"

func parseFile(t *testing.T, name string) ([]directory.Person, []directory.Problem) {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	people, problems, err := directory.Parse(f)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return people, problems
}

// TestBrokenGolden pins every problem kind, its line, severity and wording,
// on a file laid out as a real export would be. Run with -update to rewrite.
func TestBrokenGolden(t *testing.T) {
	people, problems := parseFile(t, "broken.csv")
	var b strings.Builder
	for _, p := range problems {
		fmt.Fprintf(&b, "%-7s %s\n", p.Severity, p)
	}
	fmt.Fprintf(&b, "\nloaded:\n")
	for _, p := range people {
		fmt.Fprintf(&b, "%s | %s | sup %q | %q | %v | slack %q | mm %q\n",
			p.Email, p.Name, p.SupervisorEmail, p.Unit, p.Roles, p.SlackUserID, p.MattermostUserID)
	}
	golden := filepath.Join(testdata, "broken.problems.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestBrokenGolden -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("problems differ from %s (run with -update if the change is intended):\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}
