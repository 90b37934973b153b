package directory_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/directory/directorytest"
	"github.com/reportbot/reportbot/fault"
)

var now = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func importString(t *testing.T, s directory.Store, csv string) (directory.Report, error) {
	t.Helper()
	return directory.Import(context.Background(), s, strings.NewReader(csv), now)
}

func sampleCSV(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportIsIdempotent(t *testing.T) {
	store := directorytest.New()
	csv := sampleCSV(t)
	first, err := importString(t, store, csv)
	if err != nil {
		t.Fatal(err)
	}
	if first.SyncResult != (directory.SyncResult{Created: 14}) || first.Loaded != 14 || len(first.Problems) != 0 {
		t.Errorf("first import: %+v", first)
	}
	second, err := importString(t, store, csv)
	if err != nil {
		t.Fatal(err)
	}
	if second.SyncResult != (directory.SyncResult{Unchanged: 14}) {
		t.Errorf("second import: %+v", second.SyncResult)
	}
	if got, want := second.String(), "14 people loaded: 0 created, 0 updated, 14 unchanged, 0 marked inactive; no problems"; got != want {
		t.Errorf("String() = %q\nwant       %q", got, want)
	}
	// The supervisor links the store made from e-mails are by ID.
	ana, err := store.PersonByEmail(context.Background(), "ana.lopez@example.gov")
	if err != nil {
		t.Fatal(err)
	}
	ben, _ := store.PersonByEmail(context.Background(), "ben.okafor@example.gov")
	if ana.SupervisorID != ben.ID || ben.ID == 0 {
		t.Errorf("ana's supervisor ID %d, ben's ID %d", ana.SupervisorID, ben.ID)
	}
}

func TestImportUpdatesAndDeactivates(t *testing.T) {
	store := directorytest.New()
	if _, err := importString(t, store, sampleCSV(t)); err != nil {
		t.Fatal(err)
	}
	// Maria leaves, Ana changes unit, a newcomer arrives, and one row is bad.
	var b strings.Builder
	for line := range strings.Lines(sampleCSV(t)) {
		switch {
		case strings.HasPrefix(line, "maria.santos@"):
			continue
		case strings.HasPrefix(line, "ana.lopez@"):
			line = strings.Replace(line, "Krome Clinic", "Otay Mesa Clinic", 1)
		}
		b.WriteString(line)
	}
	b.WriteString("omar.farouk@example.gov,Omar Farouk,grace.kim@example.gov,Otay Mesa Clinic,,,\n")
	b.WriteString("pia.stone@example.gov,Pia Stone,nobody@example.gov,Otay Mesa Clinic,,,\n")

	rep, err := importString(t, store, b.String())
	if err != nil {
		t.Fatal(err)
	}
	want := directory.SyncResult{Created: 2, Updated: 1, Unchanged: 12, Deactivated: 1}
	if rep.SyncResult != want || rep.Loaded != 15 {
		t.Errorf("got %+v, loaded %d; want %+v, loaded 15", rep.SyncResult, rep.Loaded, want)
	}
	wantText := "15 people loaded: 2 created, 1 updated, 12 unchanged, 1 marked inactive; 1 problem:\n" +
		`  line 16: pia.stone@example.gov: unknown supervisor "nobody@example.gov"; loaded without a supervisor`
	if got := rep.String(); got != wantText {
		t.Errorf("String() =\n%s\nwant\n%s", got, wantText)
	}
	maria, err := store.PersonByEmail(context.Background(), "maria.santos@example.gov")
	if err != nil || maria.Active {
		t.Errorf("maria after leaving: %+v, %v", maria, err)
	}
}

func TestImportRefusesAFileWithNobodyInIt(t *testing.T) {
	tests := []struct{ name, csv string }{
		{"header only", "email,name\n"},
		{"every row bad", "email,name\nnot-an-address,A\n,B\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := directorytest.New()
			if _, err := importString(t, store, sampleCSV(t)); err != nil {
				t.Fatal(err)
			}
			rep, err := importString(t, store, tt.csv)
			if !errors.Is(err, directory.ErrNoValidRows) {
				t.Fatalf("err %v, want ErrNoValidRows", err)
			}
			if !strings.Contains(err.Error(), "the directory was left as it was") {
				t.Errorf("err %q does not say nothing changed", err)
			}
			if rep.Loaded != 0 || !strings.HasPrefix(rep.String(), "nobody loaded") {
				t.Errorf("report %q", rep)
			}
			people, _ := store.People(context.Background())
			for _, p := range people {
				if !p.Active {
					t.Fatalf("%s was deactivated by a refused import", p.Email)
				}
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	store := directorytest.New()
	if _, err := importString(t, store, "name,unit\nA,B\n"); err == nil || !strings.Contains(err.Error(), `no "email" column`) {
		t.Errorf("a file without an email column: err %v", err)
	}
	store.FailWith(fault.Wrap(errors.New("dial tcp: refused"), fault.StoreUnavailable))
	rep, err := importString(t, store, "email,name\na@example.gov,A\nbad,B\n")
	if !fault.Is(err, fault.StoreUnavailable) {
		t.Errorf("store down: err %v, want StoreUnavailable", err)
	}
	if len(rep.Problems) != 1 {
		t.Errorf("problems lost when the store failed: %+v", rep)
	}
}

func TestReportString(t *testing.T) {
	rep := directory.Report{
		SyncResult: directory.SyncResult{Created: 1},
		Loaded:     1,
		Problems:   []directory.Problem{{Line: 3, Message: "no e-mail; row skipped"}, {Line: 4, Email: "a@x.gov", Message: "no name"}},
	}
	want := "1 person loaded: 1 created, 0 updated, 0 unchanged, 0 marked inactive; 2 problems:\n  line 3: no e-mail; row skipped\n  line 4: a@x.gov: no name"
	if got := rep.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
