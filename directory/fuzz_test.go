package directory_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/reportbot/reportbot/directory"
)

// FuzzParse checks Parse's promises on any input: it does not panic; with
// no error, every problem points at a data line; every person has a valid,
// lower-case, unique e-mail and a supervisor who was loaded; no cycle is left.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"sample.csv", "broken.csv"} {
		b, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("email,name,supervisor_email\na@x.gov,A,b@x.gov\nb@x.gov,B,a@x.gov\n"))
	f.Add([]byte("\uFEFFEMAIL,Name\n\"a@x.gov\",\"A\nB\"\n"))
	f.Add([]byte("email,name,roles,slack_user_id\nA@X.GOV,,admin;x,U1\na@x.gov,,,U1\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		people, problems, err := directory.Parse(bytes.NewReader(in))
		if err != nil {
			if people != nil || problems != nil {
				t.Fatalf("results with an error: %v", err)
			}
			return
		}
		for _, p := range problems {
			if p.Line < 2 {
				t.Fatalf("problem on line %d: %s", p.Line, p)
			}
			if p.Severity != directory.SeverityError && p.Severity != directory.SeverityWarning {
				t.Fatalf("severity %q", p.Severity)
			}
		}
		seen := map[string]bool{}
		for _, p := range people {
			if !directory.ValidEmail(p.Email) || p.Email != directory.NormalizeEmail(p.Email) {
				t.Fatalf("bad e-mail %q", p.Email)
			}
			if seen[p.Email] {
				t.Fatalf("%s loaded twice", p.Email)
			}
			seen[p.Email] = true
			if p.SupervisorEmail == p.Email || p.Name == "" || !p.Active {
				t.Fatalf("person %+v", p)
			}
		}
		assertNoCycles(t, people)
	})
}
