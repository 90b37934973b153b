package directory_test

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/directory"
)

// TestCycles checks which link is removed (the cycle member lowest in the
// file) and that every member is reported with the cycle written so that
// its last arrow is the removed link.
func TestCycles(t *testing.T) {
	tests := []struct {
		name string
		rows string // email,supervisor_email per line, starting on line 2
		// sups is each loaded person's supervisor after Parse, in file order.
		sups     []string
		problems []want
	}{
		{"length 1: self", "a,a\n", []string{""},
			[]want{{2, "a@x.gov", errS, "is their own supervisor"}}},
		{"length 2", "a,b\nb,a\n", []string{"b", ""},
			[]want{
				{2, "a@x.gov", warnS, "supervisor cycle a@x.gov → b@x.gov → a@x.gov; broken by loading b@x.gov (line 3) without a supervisor"},
				{3, "b@x.gov", errS, "supervisor cycle a@x.gov → b@x.gov → a@x.gov; loaded without a supervisor to break it"},
			}},
		{"length 3, found from its middle", "b,c\na,b\nc,a\n", []string{"c", "b", ""},
			[]want{
				{2, "b@x.gov", warnS, "a@x.gov → b@x.gov → c@x.gov → a@x.gov; broken by loading c@x.gov (line 4)"},
				{3, "a@x.gov", warnS, "a@x.gov → b@x.gov → c@x.gov → a@x.gov; broken by loading c@x.gov (line 4)"},
				{4, "c@x.gov", errS, "a@x.gov → b@x.gov → c@x.gov → a@x.gov; loaded without a supervisor to break it"},
			}},
		{"length 3, listed from the cut link's far end", "c,a\nb,c\na,b\n", []string{"a", "c", ""},
			[]want{
				{2, "c@x.gov", warnS, "b@x.gov → c@x.gov → a@x.gov → b@x.gov; broken by loading a@x.gov (line 4)"},
				{3, "b@x.gov", warnS, "b@x.gov → c@x.gov → a@x.gov → b@x.gov"},
				{4, "a@x.gov", errS, "b@x.gov → c@x.gov → a@x.gov → b@x.gov; loaded without a supervisor"},
			}},
		{"a tail into a cycle keeps its links", "t,u\nu,a\na,b\nb,a\n", []string{"u", "a", "b", ""},
			[]want{{4, "a@x.gov", warnS, "a@x.gov → b@x.gov → a@x.gov"}, {5, "b@x.gov", errS, "a@x.gov → b@x.gov → a@x.gov"}}},
		{"two cycles and a clean chain", "a,b\nb,a\nc,d\nd,c\ne,f\nf,\n", []string{"b", "", "d", "", "f", ""},
			[]want{
				{2, "a@x.gov", warnS, "a@x.gov → b@x.gov → a@x.gov"}, {3, "b@x.gov", errS, "a@x.gov → b@x.gov → a@x.gov"},
				{4, "c@x.gov", warnS, "c@x.gov → d@x.gov → c@x.gov"}, {5, "d@x.gov", errS, "c@x.gov → d@x.gov → c@x.gov"},
			}},
		{"a cycle through an unknown supervisor is no cycle", "a,b\nb,zz\n", []string{"b", ""},
			[]want{{3, "b@x.gov", errS, `unknown supervisor "zz@x.gov"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in strings.Builder
			in.WriteString("email,name,supervisor_email\n")
			for line := range strings.Lines(tt.rows) {
				email, sup, _ := strings.Cut(strings.TrimSpace(line), ",")
				if sup != "" {
					sup += "@x.gov"
				}
				in.WriteString(email + "@x.gov," + strings.ToUpper(email) + "," + sup + "\n")
			}
			people, problems, err := directory.Parse(strings.NewReader(in.String()))
			if err != nil {
				t.Fatal(err)
			}
			checkProblems(t, problems, tt.problems)
			if len(people) != len(tt.sups) {
				t.Fatalf("%d people loaded, want %d", len(people), len(tt.sups))
			}
			for i, p := range people {
				want := tt.sups[i]
				if want != "" {
					want += "@x.gov"
				}
				if p.SupervisorEmail != want {
					t.Errorf("%s: supervisor %q, want %q", p.Email, p.SupervisorEmail, want)
				}
			}
			assertNoCycles(t, people)
		})
	}
}

// assertNoCycles checks that walking up from anyone ends, at someone
// without a supervisor, within len(people) steps, and that every
// supervisor is among people.
func assertNoCycles(t *testing.T, people []directory.Person) {
	t.Helper()
	sup := map[string]string{}
	for _, p := range people {
		sup[p.Email] = p.SupervisorEmail
	}
	for _, p := range people {
		e := p.Email
		for steps := 0; sup[e] != ""; steps++ {
			if _, ok := sup[sup[e]]; !ok {
				t.Fatalf("%s has supervisor %s, who was not loaded", e, sup[e])
			}
			if steps > len(people) {
				t.Fatalf("walking up from %s never ends", p.Email)
			}
			e = sup[e]
		}
	}
}
