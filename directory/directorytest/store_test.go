package directorytest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/directory/directorytest"
	"github.com/reportbot/reportbot/fault"
)

func TestStore(t *testing.T) {
	directorytest.RunStoreTests(t, func(*testing.T) directory.Store { return directorytest.New() })
}

func TestSyncRefusesDuplicatesAndChangesNothing(t *testing.T) {
	s := directorytest.Seeded(directory.Person{Email: "a@example.gov", Name: "A"})
	_, err := s.SyncPeople(context.Background(), []directory.Person{
		{Email: "b@example.gov", Name: "B"},
		{Email: "B@example.gov", Name: "B again"},
	}, time.Time{})
	if err == nil {
		t.Fatal("a list naming b twice was accepted")
	}
	people, _ := s.People(context.Background())
	if len(people) != 1 || !people[0].Active {
		t.Errorf("after a refused sync: %+v", people)
	}
}

func TestSyncTakesChatIDsFromOthers(t *testing.T) {
	ctx := context.Background()
	s := directorytest.Seeded(directory.Person{Email: "a@example.gov"}, directory.Person{Email: "b@example.gov"})
	a, _ := s.PersonByEmail(ctx, "a@example.gov")
	if err := s.LinkChatID(ctx, a.ID, directory.Slack, "U1"); err != nil {
		t.Fatal(err)
	}
	b, _ := s.PersonByEmail(ctx, "b@example.gov")
	if err := s.LinkChatID(ctx, b.ID, directory.Slack, "U1"); err == nil {
		t.Error("LinkChatID gave b the ID a holds")
	}
	// The file says U1 is b's: the file wins, and a loses the linked ID.
	res, err := s.SyncPeople(ctx, []directory.Person{{Email: "a@example.gov"}, {Email: "b@example.gov", SlackUserID: "U1"}}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res != (directory.SyncResult{Updated: 2}) {
		t.Errorf("result %+v, want 2 updated", res)
	}
	if p, err := s.PersonByChatID(ctx, directory.Slack, "U1"); err != nil || p.Email != "b@example.gov" {
		t.Errorf("U1 is %+v, %v; want b", p, err)
	}
}

func TestFailWith(t *testing.T) {
	ctx := context.Background()
	s := directorytest.Seeded(directory.Person{Email: "a@example.gov"})
	s.FailWith(fault.Wrap(errors.New("dial tcp: refused"), fault.StoreUnavailable))
	if _, err := s.PersonByEmail(ctx, "a@example.gov"); !fault.Is(err, fault.StoreUnavailable) {
		t.Errorf("err %v, want StoreUnavailable", err)
	}
	s.FailWith(nil)
	if _, err := s.PersonByEmail(ctx, "a@example.gov"); err != nil {
		t.Errorf("after healing: %v", err)
	}
}

func TestReturnedPeopleAreCopies(t *testing.T) {
	ctx := context.Background()
	s := directorytest.Seeded(directory.Person{Email: "a@example.gov", Roles: []directory.Role{directory.RoleAdmin}})
	p, _ := s.PersonByEmail(ctx, "a@example.gov")
	p.Roles[0] = directory.RoleCompliance
	if q, _ := s.PersonByEmail(ctx, "a@example.gov"); q.Has(directory.RoleCompliance) {
		t.Error("changing a returned person changed the store")
	}
}

// TestConcurrentUse is for the race detector.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	s := directorytest.New()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				people := []directory.Person{
					{Email: "boss@example.gov", Name: "Boss"},
					{Email: fmt.Sprintf("p%d@example.gov", i%5), SupervisorEmail: "boss@example.gov", Name: fmt.Sprint(g)},
				}
				if _, err := s.SyncPeople(ctx, people, time.Time{}); err != nil {
					t.Error(err)
				}
				if _, err := s.People(ctx); err != nil {
					t.Error(err)
				}
				if p, err := s.PersonByEmail(ctx, "boss@example.gov"); err == nil {
					_ = s.LinkChatID(ctx, p.ID, directory.Mattermost, "")
				}
			}
		})
	}
	wg.Wait()
	if people, _ := s.People(ctx); len(people) != 6 {
		t.Errorf("%d people, want 6", len(people))
	}
}
