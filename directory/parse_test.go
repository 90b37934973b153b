package directory_test

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/directory"
)

// want describes one expected problem: its line, e-mail, severity and a
// piece of its message.
type want struct {
	line     int
	email    string
	severity string
	contains string
}

func checkProblems(t *testing.T, got []directory.Problem, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%d problems, want %d:\n%s", len(got), len(wants), problemList(got))
	}
	for i, w := range wants {
		g := got[i]
		if g.Line != w.line || g.Email != w.email || g.Severity != w.severity || !strings.Contains(g.Message, w.contains) {
			t.Errorf("problem %d = [%s] %s\nwant line %d, e-mail %q, %s, containing %q", i, g.Severity, g, w.line, w.email, w.severity, w.contains)
		}
	}
}

func problemList(ps []directory.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  [" + p.Severity + "] " + p.String() + "\n")
	}
	return b.String()
}

func emails(people []directory.Person) []string {
	var out []string
	for _, p := range people {
		out = append(out, p.Email)
	}
	return out
}

const (
	errS  = directory.SeverityError
	warnS = directory.SeverityWarning
)

func TestParseRows(t *testing.T) {
	const hdr = "email,name,supervisor_email,unit,roles,slack_user_id,mattermost_user_id\n"
	long := strings.Repeat("é", 201)
	tests := []struct {
		name     string
		in       string
		loaded   []string
		problems []want
	}{
		{"clean", hdr + "a@example.gov,A,,,,,\nb@example.gov,B,a@example.gov,,,,\n",
			[]string{"a@example.gov", "b@example.gov"}, nil},
		{"bad e-mails", hdr +
			"no-at-sign,A,,,,,\n" +
			"a@localhost,A,,,,,\n" +
			"a b@example.gov,A,,,,,\n" +
			"a@@example.gov,A,,,,,\n" +
			"a@example.g0v,A,,,,,\n" +
			".a@example.gov,A,,,,,\n" +
			"a@-example.gov,A,,,,,\n" +
			"a@example..gov,A,,,,,\n" +
			"<a@example.gov>,A,,,,,\n" +
			longEmail(254) + ",A,,,,,\n" +
			longEmail(255) + ",A,,,,,\n" +
			strings.Repeat("a", 65) + "@example.gov,A,,,,,\n" + // local part over 64
			"a@" + strings.Repeat("d", 64) + ".gov,A,,,,,\n", // domain label over 63
			[]string{longEmail(254)},
			[]want{
				{2, "", errS, `bad e-mail "no-at-sign"`}, {3, "", errS, `bad e-mail "a@localhost"`},
				{4, "", errS, `"a b@example.gov"`}, {5, "", errS, "row skipped"}, {6, "", errS, "row skipped"},
				{7, "", errS, "row skipped"}, {8, "", errS, "row skipped"}, {9, "", errS, "row skipped"},
				{10, "", errS, "row skipped"}, {12, "", errS, "row skipped"}, {13, "", errS, "row skipped"},
				{14, "", errS, "row skipped"},
			}},
		{"no e-mail", hdr + ",Ana,,,,,\n  ,Ben,,,,,\n", nil,
			[]want{{2, "", errS, "no e-mail; row skipped"}, {3, "", errS, "no e-mail"}}},
		{"no name loads with the e-mail as name", hdr + "a@example.gov, ,,,,,\n", []string{"a@example.gov"},
			[]want{{2, "a@example.gov", warnS, "no name; loaded with the e-mail address as the name"}}},
		{"duplicate e-mail, in another case", hdr + "a@example.gov,A,,,,,\nb@example.gov,B,,,,,\n A@EXAMPLE.gov,A2,,,,,\n",
			[]string{"a@example.gov", "b@example.gov"},
			[]want{{4, "a@example.gov", errS, "duplicate e-mail, already on line 2; row skipped"}}},
		{"self-supervision", hdr + "a@example.gov,A,A@example.gov,,,,\n", []string{"a@example.gov"},
			[]want{{2, "a@example.gov", errS, "is their own supervisor; loaded without a supervisor"}}},
		{"unknown supervisor", hdr + "a@example.gov,A,,,,,\nc@example.gov,C,x@example.gov,,,,\n",
			[]string{"a@example.gov", "c@example.gov"},
			[]want{{3, "c@example.gov", errS, `unknown supervisor "x@example.gov"; loaded without a supervisor`}}},
		{"supervisor whose row was skipped is unknown", hdr + "a@example.gov,A,b@example.gov,,,,\nb@example.gov,B,,,,,\n",
			[]string{"a@example.gov", "b@example.gov"}, nil},
		{"bad supervisor e-mail", hdr + "a@example.gov,A,Ben Okafor,,,,\n", []string{"a@example.gov"},
			[]want{{2, "a@example.gov", errS, `bad supervisor e-mail "Ben Okafor"; loaded without a supervisor`}}},
		{"Slack ID shapes", hdr +
			"a@example.gov,A,,,,U0A,\nb@example.gov,B,,,,W0B,\nc@example.gov,C,,,,u0c,\nd@example.gov,D,,,,X0D,\n" +
			"e@example.gov,E,,,,U,\nf@example.gov,F,,,,U0-F,\ng@example.gov,G,,,, U0G ,\n",
			[]string{"a@example.gov", "b@example.gov", "c@example.gov", "d@example.gov", "e@example.gov", "f@example.gov", "g@example.gov"},
			[]want{
				{4, "c@example.gov", errS, `Slack user ID "u0c" isn't one`}, {5, "d@example.gov", errS, `"X0D"`},
				{6, "e@example.gov", errS, `"U"`}, {7, "f@example.gov", errS, "matched by e-mail"},
			}},
		{"Mattermost ID shapes", hdr +
			"a@example.gov,A,,,,,abcdefghijklmnopqrstuvwxyz\nb@example.gov,B,,,,,abcdefghijklmnopqrstuvwxy\n" +
			"c@example.gov,C,,,,,ABCDEFGHIJKLMNOPQRSTUVWXYZ\nd@example.gov,D,,,,,abcdefghijklmnopqrstuvwxy_\n",
			[]string{"a@example.gov", "b@example.gov", "c@example.gov", "d@example.gov"},
			[]want{
				{3, "b@example.gov", errS, "Mattermost user ID"}, {4, "c@example.gov", errS, "26 lower-case"},
				{5, "d@example.gov", errS, "dropped"},
			}},
		{"duplicate chat IDs", hdr + "a@example.gov,A,,,,U0A,abcdefghijklmnopqrstuvwxyz\nb@example.gov,B,,,,U0A,abcdefghijklmnopqrstuvwxyz\n",
			[]string{"a@example.gov", "b@example.gov"},
			[]want{
				{3, "b@example.gov", errS, "Slack user ID U0A already belongs to a@example.gov (line 2)"},
				{3, "b@example.gov", errS, "Mattermost user ID abcdefghijklmnopqrstuvwxyz already belongs to a@example.gov (line 2)"},
			}},
		{"roles", hdr + "a@example.gov,A,,,Admin ; compliance;;admin,,\nb@example.gov,B,,,compliance;auditor;root,,\n",
			[]string{"a@example.gov", "b@example.gov"},
			[]want{{3, "b@example.gov", errS, `unknown role "auditor"`}, {3, "b@example.gov", errS, `unknown role "root"`}}},
		{"long name and unit are cut, in runes", hdr + "a@example.gov," + long + ",," + long + ",,,\nb@example.gov," + long[:400] + ",,,,,\n",
			[]string{"a@example.gov", "b@example.gov"},
			[]want{{2, "a@example.gov", warnS, "name is longer than 200 characters"}, {2, "a@example.gov", warnS, "unit is longer than 200"}}},
		{"invalid UTF-8", hdr + "a@example.gov,Jos\xe9,,Kr\xf6me,,,\n", []string{"a@example.gov"},
			[]want{{2, "a@example.gov", warnS, "name is not valid UTF-8"}, {2, "a@example.gov", warnS, "unit is not valid UTF-8"}}},
		{"quoted line breaks move later lines", hdr + "a@example.gov,\"Ana\nLopez\",,\"Krome\r\n\r\nClinic\",,,\nbad,B,,,,,\n",
			[]string{"a@example.gov"}, []want{{6, "", errS, `bad e-mail "bad"`}}},
		{"blank lines and empty rows are skipped but counted", hdr + "\n,,,,,,\n \n\nbad,B\n", nil,
			[]want{{6, "", errS, `bad e-mail "bad"`}}},
		{"bad quoting skips the row only", hdr + "a@example.gov,Tom \"TJ\" Jones,,,,,\nb@example.gov,B,,,,,\n",
			[]string{"b@example.gov"}, []want{{2, "", errS, "not valid CSV"}}},
		{"an unterminated quote runs to the end", hdr + "a@example.gov,A,,,,,\nb@example.gov,\"B,,,,,\nc@example.gov,C,,,,,\n",
			[]string{"a@example.gov"}, []want{{3, "", errS, "lines 3–4 skipped"}}},
		{"short and long rows", hdr + "a@example.gov,A\nb@example.gov,B,a@example.gov,Unit,admin,U0B,abcdefghijklmnopqrstuvwxyz,extra,cells\n",
			[]string{"a@example.gov", "b@example.gov"}, nil},
		{"CRLF", strings.ReplaceAll(hdr+"a@example.gov,A,,,,,\nbad,B,,,,,\n", "\n", "\r\n"),
			[]string{"a@example.gov"}, []want{{3, "", errS, "bad e-mail"}}},
		{"header only", hdr, nil, nil},
		{"blank lines before the header", "\n\n" + hdr + "bad,B\n", nil, []want{{4, "", errS, "bad e-mail"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people, problems, err := directory.Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("err %v", err)
			}
			if got := emails(people); !slices.Equal(got, tt.loaded) {
				t.Errorf("loaded %v, want %v", got, tt.loaded)
			}
			checkProblems(t, problems, tt.problems)
		})
	}
}

// longEmail is a valid address of n characters (n ≥ 200), with the
// longest local part and domain labels allowed.
func longEmail(n int) string {
	local := strings.Repeat("a", 64)
	third := n - len(local) - 1 - 2*64 - len(".gov")
	return local + "@" + strings.Repeat("d", 63) + "." + strings.Repeat("d", 63) + "." + strings.Repeat("d", third) + ".gov"
}

func TestParseValues(t *testing.T) {
	in := "\uFEFF Mattermost_User_ID ,Phone,ROLES,Name,Unit,EMAIL,Supervisor_Email,slack_user_id,Notes\n" +
		"abcdefghijklmnopqrstuvwxyz,555-0100,Compliance;admin,\"  Ana\n  Lopez \",\" Krome  Clinic \", Ana.Lopez@Example.GOV ,BEN.okafor@example.gov, U0ANA ,x\n" +
		",,,Ben Okafor,Krome Clinic,ben.okafor@example.gov,,,\n"
	people, problems, err := directory.Parse(strings.NewReader(in))
	if err != nil || len(problems) != 0 {
		t.Fatalf("err %v, problems:\n%s", err, problemList(problems))
	}
	got := people[0]
	want := directory.Person{
		Email: "ana.lopez@example.gov", Name: "Ana Lopez", SupervisorEmail: "ben.okafor@example.gov",
		Unit: "Krome Clinic", Roles: []directory.Role{directory.RoleAdmin, directory.RoleCompliance},
		SlackUserID: "U0ANA", MattermostUserID: "abcdefghijklmnopqrstuvwxyz", Active: true,
	}
	if got.Email != want.Email || got.Name != want.Name || got.SupervisorEmail != want.SupervisorEmail ||
		got.Unit != want.Unit || !slices.Equal(got.Roles, want.Roles) || got.SlackUserID != want.SlackUserID ||
		got.MattermostUserID != want.MattermostUserID || got.Active != want.Active || got.ID != 0 || got.SupervisorID != 0 {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if len(people[1].Roles) != 0 || people[1].SlackUserID != "" || !people[1].Active {
		t.Errorf("ben = %+v", people[1])
	}
}

func TestParseLongFieldsAreCutToTheLimit(t *testing.T) {
	in := "email,name\na@example.gov," + strings.Repeat("ñ", 250) + "\nb@example.gov," + strings.Repeat("ñ", 200) + "\n"
	people, problems, err := directory.Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(people[0].Name)); n != 200 {
		t.Errorf("cut name has %d runes, want 200", n)
	}
	if people[1].Name != strings.Repeat("ñ", 200) || len(problems) != 1 {
		t.Errorf("a 200-rune name was changed or reported: %s", problemList(problems))
	}
}

func TestParseRefusesUnusableFiles(t *testing.T) {
	tests := []struct{ name, in, contains string }{
		{"empty", "", "empty"},
		{"only blank lines", "\n\n\n", "empty"},
		{"no email column", "mail,name\na@example.gov,A\n", `no "email" column`},
		{"no name column", "email,full_name\na@example.gov,A\n", `no "name" column`},
		{"neither: a data row where the header should be", "a@example.gov,A\n", `no "email" or "name" column`},
		{"duplicate column, in another case", "email,name,Unit,UNIT\n", `names the column "unit" twice`},
		{"duplicate email column", "email,name, Email\n", `"email" twice`},
		{"bad quoting in the header", "email,\"name\n", "header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people, problems, err := directory.Parse(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.contains) {
				t.Fatalf("err %v, want one containing %q", err, tt.contains)
			}
			if people != nil || problems != nil {
				t.Errorf("people %v and problems %v returned with an error", people, problems)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	for _, r := range []io.Reader{failingReader{}, io.MultiReader(strings.NewReader("email,name\na@x.gov,A\n"), failingReader{})} {
		people, _, err := directory.Parse(r)
		if !errors.Is(err, errBroken) || people != nil {
			t.Errorf("a failing reader: %v, %v", people, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errBroken }

var errBroken = errors.New("disk on fire")

func TestProblemString(t *testing.T) {
	p := directory.Problem{Line: 7, Email: "carla.diaz@example.gov", Message: `unknown supervisor "x@example.gov"; loaded without a supervisor`}
	if got, want := p.String(), `line 7: carla.diaz@example.gov: unknown supervisor "x@example.gov"; loaded without a supervisor`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if got := (directory.Problem{Line: 3, Message: "no e-mail; row skipped"}).String(); got != "line 3: no e-mail; row skipped" {
		t.Errorf("without an e-mail: %s", got)
	}
}
