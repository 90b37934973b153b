package directory_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/directory/directorytest"
)

func sample(t *testing.T) *directory.Directory {
	t.Helper()
	people, problems := parseFile(t, "sample.csv")
	if len(problems) != 0 {
		t.Fatalf("sample.csv has problems:\n%s", problemList(problems))
	}
	return directory.New(people)
}

func TestSampleDirectory(t *testing.T) {
	d := sample(t)
	if d.Len() != 14 {
		t.Errorf("sample has %d people, want 14", d.Len())
	}
	first, ok := d.FirstWithSupervisor()
	if !ok || first.Email != "ana.lopez@example.gov" {
		t.Errorf("FirstWithSupervisor = %s, %v; want ana.lopez (bot console starts as her)", first.Email, ok)
	}
	units := map[string]bool{}
	var noIDs, admins int
	for _, p := range d.People() {
		units[p.Unit] = true
		if p.SlackUserID == "" && p.MattermostUserID == "" {
			noIDs++
		}
		if p.Has(directory.RoleAdmin) {
			admins++
		}
	}
	if len(units) < 2 || noIDs == 0 || admins == 0 || len(d.Compliance()) < 2 {
		t.Errorf("sample lacks variety: units %v, %d without chat IDs, %d admins, %d compliance", units, noIDs, admins, len(d.Compliance()))
	}
	farid, _ := d.ByEmail("farid.haddad@example.gov")
	if n := len(d.Chain(farid)); n < 3 {
		t.Errorf("the longest chain has %d supervisors above its bottom, want at least 3", n)
	}
}

func TestDirectoryLookups(t *testing.T) {
	d := sample(t)
	ana, ok := d.ByEmail(" Ana.Lopez@EXAMPLE.gov")
	if !ok || ana.Name != "Ana Lopez" {
		t.Fatalf("ByEmail is case-sensitive: %+v, %v", ana, ok)
	}
	if _, ok := d.ByEmail("nobody@example.gov"); ok {
		t.Error("found nobody")
	}
	if _, ok := d.ByID(0); ok {
		t.Error("ByID(0) found someone: unsaved people have no ID")
	}
	sup, ok := d.Supervisor(ana)
	if !ok || sup.Email != "ben.okafor@example.gov" {
		t.Errorf("Supervisor(ana) = %s, %v", sup.Email, ok)
	}
	carla, _ := d.ByEmail("carla.diaz@example.gov")
	if _, ok := d.Supervisor(carla); ok {
		t.Error("carla has a supervisor")
	}
}

func TestChainReportsCompliance(t *testing.T) {
	d := sample(t)
	person := func(e string) directory.Person {
		p, ok := d.ByEmail(e + "@example.gov")
		if !ok {
			t.Fatalf("%s not in the sample", e)
		}
		return p
	}
	tests := []struct {
		name string
		got  []directory.Person
		want []string
	}{
		{"chain from the bottom", d.Chain(person("farid.haddad")), []string{"grace.kim", "henry.mensah", "irene.novak"}},
		{"chain into compliance", d.Chain(person("ana.lopez")), []string{"ben.okafor", "carla.diaz"}},
		{"chain from the top", d.Chain(person("irene.novak")), nil},
		{"chain of someone not in the directory", d.Chain(directory.Person{Email: "new@example.gov", SupervisorEmail: "grace.kim@example.gov"}),
			[]string{"grace.kim", "henry.mensah", "irene.novak"}},
		{"reports in file order", d.Reports(person("ben.okafor")), []string{"ana.lopez", "david.cho", "emma.brooks", "maria.santos"}},
		{"reports of the top", d.Reports(person("irene.novak")), []string{"henry.mensah", "julia.reyes", "lena.fischer"}},
		{"no reports", d.Reports(person("ana.lopez")), nil},
		{"compliance", d.Compliance(), []string{"carla.diaz", "kofi.asante"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range tt.got {
				got = append(got, p.Email)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, w+"@example.gov")
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
		})
	}
}

// TestChainStops uses people Parse would never return, as a corrupt store
// might hold them.
func TestChainStops(t *testing.T) {
	p := func(e, sup string) directory.Person {
		return directory.Person{Email: e + "@x.gov", SupervisorEmail: sup + "@x.gov", Active: true}
	}
	cyc := directory.New([]directory.Person{p("a", "b"), p("b", "c"), p("c", "a"), p("self", "self")})
	a, _ := cyc.ByEmail("a@x.gov")
	if got := emails(cyc.Chain(a)); !slices.Equal(got, []string{"b@x.gov", "c@x.gov"}) {
		t.Errorf("Chain in a cycle = %v", got)
	}
	self, _ := cyc.ByEmail("self@x.gov")
	if got := cyc.Chain(self); len(got) != 0 {
		t.Errorf("Chain of a self-supervisor = %v", emails(got))
	}
	if got := cyc.Reports(self); len(got) != 0 {
		t.Errorf("a self-supervisor reports to themself: %v", emails(got))
	}

	var deep []directory.Person
	for i := range 100 {
		deep = append(deep, p(fmt.Sprint("p", i), fmt.Sprint("p", i+1)))
	}
	if got := len(directory.New(deep).Chain(deep[0])); got != 64 {
		t.Errorf("Chain of a 100-deep line has %d people, want 64", got)
	}
}

// TestDirectoryFromStore builds the view from the store's people, linked by
// ID and in e-mail order, with someone inactive.
func TestDirectoryFromStore(t *testing.T) {
	ctx := context.Background()
	people, _ := parseFile(t, "sample.csv")
	store := directorytest.New()
	if _, err := store.SyncPeople(ctx, people, time.Now()); err != nil {
		t.Fatal(err)
	}
	// Ana and Carla leave.
	var left []directory.Person
	for _, p := range people {
		if p.Email != "ana.lopez@example.gov" && p.Email != "carla.diaz@example.gov" {
			left = append(left, p)
		}
	}
	if _, err := store.SyncPeople(ctx, left, time.Now()); err != nil {
		t.Fatal(err)
	}
	stored, err := store.People(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := directory.New(stored)

	ben, _ := d.ByEmail("ben.okafor@example.gov")
	byID, ok := d.ByID(ben.ID)
	if !ok || byID.Email != ben.Email {
		t.Errorf("ByID(%d) = %s, %v", ben.ID, byID.Email, ok)
	}
	if got := emails(d.Reports(ben)); !slices.Equal(got, []string{"ana.lopez@example.gov", "david.cho@example.gov", "emma.brooks@example.gov", "maria.santos@example.gov"}) {
		t.Errorf("Reports(ben), in e-mail order, inactive included = %v", got)
	}
	if got := emails(d.Compliance()); !slices.Equal(got, []string{"kofi.asante@example.gov"}) {
		t.Errorf("Compliance without inactive carla = %v", got)
	}
	if first, _ := d.FirstWithSupervisor(); first.Email != "david.cho@example.gov" {
		t.Errorf("FirstWithSupervisor = %s; want david, skipping inactive ana and ben, whose supervisor left", first.Email)
	}
	// A link by ID wins over a stale e-mail.
	ben.SupervisorEmail = "nobody@example.gov"
	kofi, _ := d.ByEmail("kofi.asante@example.gov")
	ben.SupervisorID = kofi.ID
	if s, _ := d.Supervisor(ben); s.Email != kofi.Email {
		t.Errorf("Supervisor by ID = %s, want kofi", s.Email)
	}
}

func TestDirectoryIsACopy(t *testing.T) {
	people := []directory.Person{{Email: "a@x.gov", Roles: []directory.Role{directory.RoleCompliance}, Active: true}}
	d := directory.New(people)
	people[0].Roles[0] = directory.RoleAdmin
	got, _ := d.ByEmail("a@x.gov")
	got.Roles[0] = directory.RoleAdmin
	if len(d.Compliance()) != 1 {
		t.Error("changing the input or a result changed the directory")
	}
	empty := directory.New(nil)
	if _, ok := empty.FirstWithSupervisor(); ok || empty.Len() != 0 {
		t.Error("an empty directory found someone")
	}
}
