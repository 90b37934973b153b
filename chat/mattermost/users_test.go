package mattermost

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// TestUserCache: Mattermost's answers are remembered with the injected
// clock: an unknown user for a minute, an e-mail for ten; a failing API
// is not remembered.
func TestUserCache(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const newcomer = "newc0mernewc0mernewc0mer00"
	lookups := func() int { return len(only(w.api.take(), "GET /users/{id}")) }

	if _, err := w.a.users.resolve(ctx, newcomer); !fault.Is(err, fault.UnknownPerson) {
		t.Fatalf("unknown: %v", err)
	}
	w.api.addUser(newcomer, "emma.brooks", "emma.brooks@example.gov")
	if _, err := w.a.users.resolve(ctx, newcomer); !fault.Is(err, fault.UnknownPerson) || lookups() != 1 {
		t.Fatalf("the unknown answer was not remembered: %v", err)
	}
	w.clock.Advance(unknownTTL + time.Second)
	p, err := w.a.users.resolve(ctx, newcomer)
	if err != nil || p.Email != "emma.brooks@example.gov" || lookups() != 1 {
		t.Fatalf("after a minute: %+v %v", p, err)
	}
	// Emma is linked now: the directory answers without the API.
	if p, err := w.store.PersonByChatID(ctx, directory.Mattermost, newcomer); err != nil || p.Email != "emma.brooks@example.gov" {
		t.Fatalf("not linked: %v", err)
	}

	// A Mattermost that fails is not remembered: the next try asks again.
	const other = "0therusr0therusr0therusr00"
	w.api.setFail("GET /users/{id}", func(rw http.ResponseWriter, r *http.Request) { appError(rw, http.StatusInternalServerError, "down") })
	if _, err := w.a.users.resolve(ctx, other); !errors.Is(err, errSlow) {
		t.Fatalf("failing API: %v", err)
	}
	w.api.setFail("GET /users/{id}", nil)
	lookups()
	if _, err := w.a.users.resolve(ctx, other); !fault.Is(err, fault.UnknownPerson) || lookups() != 1 {
		t.Fatalf("after the failure: %v", err)
	}

	// Bots and deactivated accounts are nobody, whatever their e-mail.
	w.api.mu.Lock()
	w.api.users[other] = &model.User{Id: other, Username: "bot", Email: "kofi.asante@example.gov", IsBot: true}
	w.api.mu.Unlock()
	w.clock.Advance(unknownTTL + time.Second)
	if _, err := w.a.users.resolve(ctx, other); !fault.Is(err, fault.UnknownPerson) {
		t.Fatalf("a bot: %v", err)
	}
	// Nonsense IDs never reach the API.
	for _, id := range []string{"", "U0ANA", "../users/me", "AAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if _, err := w.a.users.resolve(ctx, id); !fault.Is(err, fault.UnknownPerson) {
			t.Errorf("%q: %v", id, err)
		}
	}
	if n := lookups(); n != 1 {
		t.Errorf("%d look-ups", n)
	}
}

// TestSlowMattermost: a look-up that does not answer in time is cut short
// and the person is told to try again; nothing is filed.
func TestSlowMattermost(t *testing.T) {
	w := newWorld(t)
	w.a.apiTimeout = 50 * time.Millisecond
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	w.api.setFail("GET /users/{id}", func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	w.api.addUser(maria, "maria.santos", "maria.santos@example.gov")
	contains(t, ephemeralText(t, w.command(maria, "https://example.com/p/1 a detainee photo")), "didn't tell me who you are quickly enough")
	if _, err := w.store.Case(context.Background(), 1); err == nil {
		t.Fatal("filed anyway")
	}
}
