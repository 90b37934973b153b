package sqlstore

import (
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
)

func testMessageRefs(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
	if _, ok, err := s.MessageRef(ctx, c.ID, p["Ben"], "slack"); ok || err != nil {
		t.Fatalf("before saving: %v %v", ok, err)
	}
	first := cases.MessageRef{CaseID: c.ID, PersonID: p["Ben"], Platform: "slack", Channel: "D0BEN", MessageID: "1.1"}
	if err := s.SaveMessageRef(ctx, first, T0); err != nil {
		t.Fatal(err)
	}
	again := first
	again.MessageID = "2.2"
	if err := s.SaveMessageRef(ctx, again, T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.MessageRef(ctx, c.ID, p["Ben"], "slack")
	if err != nil || !ok || got != again {
		t.Fatalf("got %+v %v %v, want %+v", got, ok, err, again)
	}
	if _, ok, _ := s.MessageRef(ctx, c.ID, p["Ben"], "mattermost"); ok {
		t.Error("a Slack card was found for Mattermost")
	}
}
