package sqlstore

import (
	"testing"
	"time"

	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/storetest"
)

func TestDelegations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s, err := Open(ctx, b.NewURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.now = func() time.Time { return T0 }
		p := seedPeople(t, s)
		until := T0.Add(48 * time.Hour).Truncate(time.Millisecond)

		if _, ok, err := s.Delegation(ctx, p["Ben"], T0); err != nil || ok {
			t.Fatalf("none yet: %v %v", ok, err)
		}
		if err := s.SetDelegation(ctx, routing.Delegation{PersonID: p["Ben"], DelegateID: p["Dan"], Until: until, CreatedAt: T0}); err != nil {
			t.Fatal(err)
		}
		d, ok, err := s.Delegation(ctx, p["Ben"], T0)
		if err != nil || !ok || d.DelegateID != p["Dan"] || !d.Until.Equal(until) || d.PersonID != p["Ben"] {
			t.Fatalf("got %+v %v %v", d, ok, err)
		}
		// Set again: replaced, not added.
		if err := s.SetDelegation(ctx, routing.Delegation{PersonID: p["Ben"], DelegateID: p["Carla"], Until: until}); err != nil {
			t.Fatal(err)
		}
		if d, ok, _ := s.Delegation(ctx, p["Ben"], T0); !ok || d.DelegateID != p["Carla"] {
			t.Fatalf("replaced: %+v", d)
		}
		// Expired ones are ignored.
		if _, ok, _ := s.Delegation(ctx, p["Ben"], until); ok {
			t.Error("expired delegation still active")
		}
		// Others are untouched.
		if _, ok, _ := s.Delegation(ctx, p["Ana"], T0); ok {
			t.Error("Ana has a delegation")
		}
		// A delegation to oneself or to nobody is refused.
		if err := s.SetDelegation(ctx, routing.Delegation{PersonID: p["Ben"], DelegateID: p["Ben"], Until: until}); err == nil {
			t.Error("self delegation stored")
		}
		if err := s.SetDelegation(ctx, routing.Delegation{PersonID: p["Ben"], DelegateID: 9999, Until: until}); err == nil {
			t.Error("delegation to an unknown person stored")
		}
		had, err := s.ClearDelegation(ctx, p["Ben"])
		if err != nil || !had {
			t.Fatalf("clear: %v %v", had, err)
		}
		if had, err := s.ClearDelegation(ctx, p["Ben"]); err != nil || had {
			t.Fatalf("clear again: %v %v", had, err)
		}
		if _, ok, _ := s.Delegation(ctx, p["Ben"], T0); ok {
			t.Error("cleared delegation still active")
		}
		// Clearing an expired one removes it but reports none.
		if err := s.SetDelegation(ctx, routing.Delegation{PersonID: p["Ana"], DelegateID: p["Ben"], Until: T0.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if had, err := s.ClearDelegation(ctx, p["Ana"]); err != nil || had {
			t.Fatalf("clear expired: %v %v", had, err)
		}
	})
}
