package directorytest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// RunStoreTests checks that a directory.Store behaves as the interface
// says, so that the in-memory Store and a database store agree. open must
// return a new, empty store for each call.
func RunStoreTests(t *testing.T, open func(t *testing.T) directory.Store) {
	t.Run("SyncCreatesAndLinksSupervisors", func(t *testing.T) { testSyncCreates(t, open(t)) })
	t.Run("SyncIsIdempotent", func(t *testing.T) { testSyncIdempotent(t, open(t)) })
	t.Run("SyncUpdatesDeactivatesReactivates", func(t *testing.T) { testSyncChanges(t, open(t)) })
	t.Run("ChatIDs", func(t *testing.T) { testChatIDs(t, open(t)) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, open(t)) })
}

// trio has a report listed before her supervisor, so that a store must
// resolve supervisors after writing everyone.
func trio() []directory.Person {
	return []directory.Person{
		{Email: "ana.lopez@example.gov", Name: "Ana Lopez", SupervisorEmail: "ben.okafor@example.gov", Unit: "Krome Clinic", SlackUserID: "U0ANA", MattermostUserID: "8h3kq1xw7bfz9rj5t2ycm6ndpa", Active: true},
		{Email: "ben.okafor@example.gov", Name: "Ben Okafor", SupervisorEmail: "carla.diaz@example.gov", Unit: "Krome Clinic", Active: true},
		{Email: "carla.diaz@example.gov", Name: "Carla Diaz", Unit: "IHSC HQ", Roles: []directory.Role{directory.RoleAdmin, directory.RoleCompliance}, SlackUserID: "U0CARLA", Active: true},
	}
}

var epoch = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func mustSync(t *testing.T, s directory.Store, people []directory.Person, want directory.SyncResult) {
	t.Helper()
	got, err := s.SyncPeople(context.Background(), people, epoch)
	if err != nil {
		t.Fatalf("SyncPeople: %v", err)
	}
	if got != want {
		t.Fatalf("SyncPeople = %+v, want %+v", got, want)
	}
}

func mustGet(t *testing.T, s directory.Store, email string) directory.Person {
	t.Helper()
	p, err := s.PersonByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("PersonByEmail(%q): %v", email, err)
	}
	return p
}

func testSyncCreates(t *testing.T, s directory.Store) {
	ctx := context.Background()
	mustSync(t, s, trio(), directory.SyncResult{Created: 3})
	ana := mustGet(t, s, "  ANA.Lopez@Example.GOV ")
	ben := mustGet(t, s, "ben.okafor@example.gov")
	carla := mustGet(t, s, "carla.diaz@example.gov")
	if ana.ID == 0 || ben.ID == 0 || carla.ID == 0 || ana.ID == ben.ID || ben.ID == carla.ID || ana.ID == carla.ID {
		t.Fatalf("IDs %d, %d, %d: want distinct and non-zero", ana.ID, ben.ID, carla.ID)
	}
	if ana.SupervisorID != ben.ID || ben.SupervisorID != carla.ID || carla.SupervisorID != 0 {
		t.Errorf("supervisor IDs %d→%d, %d→%d, %d→%d", ana.ID, ana.SupervisorID, ben.ID, ben.SupervisorID, carla.ID, carla.SupervisorID)
	}
	if !ana.Active || ana.Name != "Ana Lopez" || ana.Unit != "Krome Clinic" || ana.SupervisorEmail != "ben.okafor@example.gov" {
		t.Errorf("ana = %+v", ana)
	}
	if !slices.Equal(carla.Roles, []directory.Role{directory.RoleAdmin, directory.RoleCompliance}) || len(ana.Roles) != 0 {
		t.Errorf("roles: carla %v, ana %v", carla.Roles, ana.Roles)
	}
	byID, err := s.Person(ctx, ben.ID)
	if err != nil || byID.Email != ben.Email {
		t.Errorf("Person(%d) = %+v, %v", ben.ID, byID, err)
	}
	all, err := s.People(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, p := range all {
		emails = append(emails, p.Email)
	}
	if want := []string{"ana.lopez@example.gov", "ben.okafor@example.gov", "carla.diaz@example.gov"}; !slices.Equal(emails, want) {
		t.Errorf("People = %v, want %v", emails, want)
	}
}

func testSyncIdempotent(t *testing.T, s directory.Store) {
	mustSync(t, s, trio(), directory.SyncResult{Created: 3})
	mustSync(t, s, trio(), directory.SyncResult{Unchanged: 3})
	shouted := trio()
	for i := range shouted {
		shouted[i].Email = "  " + shouted[i].Email + " "
		shouted[i].ID = 99 // ignored: people are matched by e-mail
	}
	shouted[0].Email = "ANA.LOPEZ@example.gov"
	mustSync(t, s, shouted, directory.SyncResult{Unchanged: 3})
}

func testSyncChanges(t *testing.T, s directory.Store) {
	mustSync(t, s, trio(), directory.SyncResult{Created: 3})
	carlaID := mustGet(t, s, "carla.diaz@example.gov").ID

	two := trio()[:2]
	two[0].Name = "Ana María López"
	two[1].SupervisorEmail = ""
	mustSync(t, s, two, directory.SyncResult{Updated: 2, Deactivated: 1})
	carla := mustGet(t, s, "carla.diaz@example.gov")
	if carla.Active || carla.ID != carlaID {
		t.Errorf("carla after leaving = %+v, want inactive with ID %d", carla, carlaID)
	}
	if ben := mustGet(t, s, "ben.okafor@example.gov"); ben.SupervisorID != 0 || ben.SupervisorEmail != "" {
		t.Errorf("ben after losing his supervisor = %+v", ben)
	}
	mustSync(t, s, two, directory.SyncResult{Unchanged: 2}) // the inactive are not deactivated twice

	back := append(slices.Clone(two), trio()[2])
	mustSync(t, s, back, directory.SyncResult{Updated: 1, Unchanged: 2})
	if carla := mustGet(t, s, "carla.diaz@example.gov"); !carla.Active || carla.ID != carlaID {
		t.Errorf("carla after returning = %+v, want active with ID %d", carla, carlaID)
	}
}

func testChatIDs(t *testing.T, s directory.Store) {
	ctx := context.Background()
	mustSync(t, s, trio(), directory.SyncResult{Created: 3})
	for _, tt := range []struct {
		platform directory.Platform
		id, want string
	}{
		{directory.Slack, "U0ANA", "ana.lopez@example.gov"},
		{directory.Mattermost, "8h3kq1xw7bfz9rj5t2ycm6ndpa", "ana.lopez@example.gov"},
		{directory.Slack, "U0CARLA", "carla.diaz@example.gov"},
	} {
		p, err := s.PersonByChatID(ctx, tt.platform, tt.id)
		if err != nil || p.Email != tt.want {
			t.Errorf("PersonByChatID(%s, %s) = %s, %v; want %s", tt.platform, tt.id, p.Email, err, tt.want)
		}
	}
	if _, err := s.PersonByChatID(ctx, directory.Mattermost, "U0ANA"); !fault.Is(err, fault.PersonNotFound) {
		t.Errorf("a Slack ID looked up on Mattermost: err %v, want PersonNotFound", err)
	}

	ben := mustGet(t, s, "ben.okafor@example.gov")
	if err := s.LinkChatID(ctx, ben.ID, directory.Slack, "U0BEN"); err != nil {
		t.Fatalf("LinkChatID: %v", err)
	}
	if p, err := s.PersonByChatID(ctx, directory.Slack, "U0BEN"); err != nil || p.ID != ben.ID {
		t.Errorf("after LinkChatID: %+v, %v", p, err)
	}
	// The file has no ID for Ben: the linked one stays, and nothing changed.
	mustSync(t, s, trio(), directory.SyncResult{Unchanged: 3})
	if got := mustGet(t, s, ben.Email).SlackUserID; got != "U0BEN" {
		t.Errorf("linked ID after a sync = %q, want U0BEN", got)
	}
}

func testNotFound(t *testing.T, s directory.Store) {
	ctx := context.Background()
	mustSync(t, s, trio(), directory.SyncResult{Created: 3})
	if _, err := s.Person(ctx, 9999); !fault.Is(err, fault.PersonNotFound) {
		t.Errorf("Person(9999): err %v, want PersonNotFound", err)
	}
	if _, err := s.PersonByEmail(ctx, "nobody@example.gov"); !fault.Is(err, fault.PersonNotFound) {
		t.Errorf("PersonByEmail(nobody): err %v, want PersonNotFound", err)
	}
	if _, err := s.PersonByChatID(ctx, directory.Slack, "U0NOBODY"); !fault.Is(err, fault.PersonNotFound) {
		t.Errorf("PersonByChatID(U0NOBODY): err %v, want PersonNotFound", err)
	}
	if err := s.LinkChatID(ctx, 9999, directory.Slack, "U0X"); !fault.Is(err, fault.PersonNotFound) {
		t.Errorf("LinkChatID(9999): err %v, want PersonNotFound", err)
	}
}
