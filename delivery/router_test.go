package delivery_test

import (
	"context"
	"testing"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/directory/directorytest"
)

// recordingSender remembers the IDs of the messages it was given.
type recordingSender struct{ got []int64 }

func (r *recordingSender) Deliver(_ context.Context, m cases.Message) error {
	r.got = append(r.got, m.ID)
	return nil
}

func TestRouterSendsOnTheRecipientsPlatform(t *testing.T) {
	ctx := context.Background()
	people := directorytest.Seeded(
		directory.Person{Email: "both@example.gov", Name: "Both", SlackUserID: "U1", MattermostUserID: "aaaaaaaaaaaaaaaaaaaaaaaaaa", Active: true},
		directory.Person{Email: "mm@example.gov", Name: "MM", MattermostUserID: "bbbbbbbbbbbbbbbbbbbbbbbbbb", Active: true},
		directory.Person{Email: "none@example.gov", Name: "None", Active: true},
	)
	id := func(email string) int64 {
		p, err := people.PersonByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	slack, mm := &recordingSender{}, &recordingSender{}
	r := &delivery.Router{People: people, Names: []string{"slack", "mattermost"}, Senders: []delivery.Sender{slack, mm}}
	msgs := []cases.Message{
		{ID: 1, RecipientID: id("both@example.gov")},
		{ID: 2, RecipientID: id("mm@example.gov")},
		{ID: 3, RecipientID: id("none@example.gov")},
		{ID: 4, Channel: "mattermost:cccccccccccccccccccccccccc"},
		{ID: 5, Channel: "slack:C1"},
	}
	for _, m := range msgs {
		if err := r.Deliver(ctx, m); err != nil {
			t.Fatalf("message %d: %v", m.ID, err)
		}
	}
	if want := []int64{1, 3, 5}; !equal(slack.got, want) {
		t.Errorf("Slack got %v, want %v", slack.got, want)
	}
	if want := []int64{2, 4}; !equal(mm.got, want) {
		t.Errorf("Mattermost got %v, want %v", mm.got, want)
	}
	err := r.Deliver(ctx, cases.Message{ID: 6, Channel: "teams:x"})
	if !delivery.IsPermanent(err) {
		t.Errorf("a channel of no enabled platform: %v, want a permanent error", err)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
