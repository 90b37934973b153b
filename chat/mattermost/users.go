package mattermost

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// How long Mattermost's answer about a user is remembered, and for how many.
const (
	knownTTL   = 10 * time.Minute
	unknownTTL = time.Minute
	maxUsers   = 10000
)

// errSlow says the API did not answer a look-up in time or failed; it is
// not remembered, and the person is asked to try again.
var errSlow = errors.New("mattermost: user look-up timed out or failed")

// slowSentence is what a person sees when Mattermost was too slow to say
// who they are.
const slowSentence = "Mattermost didn't tell me who you are quickly enough, so nothing was done. Please try again in a moment."

// sentence is what a person sees for an error of the adapter.
func sentence(err error) string {
	if errors.Is(err, errSlow) {
		return slowSentence
	}
	return fault.Sentence(err)
}

// otherPersonSentence is what is shown when a person picked in a form or
// named in a mention cannot be found.
func otherPersonSentence(err error) string {
	switch {
	case errors.Is(err, errSlow):
		return "Mattermost didn't say who that is quickly enough; please submit the form again."
	case fault.Is(err, fault.UnknownPerson):
		return fault.E(fault.PersonNotFound, "That person").Sentence()
	}
	return fault.Sentence(err)
}

// statusOf is the HTTP status of a failed API call: the response's, else
// the AppError's, else 0 (no answer at all).
func statusOf(resp *model.Response, err error) int {
	if resp != nil && resp.StatusCode != 0 {
		return resp.StatusCode
	}
	var ae *model.AppError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// userEntry is Mattermost's answer about a user: their ID and e-mail, or
// an empty e-mail when it has none to give (no such user, a bot, a
// deactivated account).
type userEntry struct {
	id, email string
	until     time.Time
}

// users turns Mattermost user IDs and usernames into people of the
// directory: by the linked ID first, else by the e-mail Mattermost knows,
// which is then linked so that the next look-up needs no API call.
// Mattermost's answers are remembered for a while; the directory is read
// every time, so a change of role or status counts at once.
type users struct {
	people directory.Store
	api    *model.Client4
	now    func() time.Time
	log    *slog.Logger

	mu     sync.Mutex
	byID   map[string]userEntry
	byName map[string]userEntry
}

func newUsers(people directory.Store, api *model.Client4, now func() time.Time, log *slog.Logger) *users {
	return &users{people: people, api: api, now: now, log: log, byID: map[string]userEntry{}, byName: map[string]userEntry{}}
}

// resolve finds the person behind a Mattermost user ID. An unknown user is
// a fault.UnknownPerson error; a Mattermost that does not answer is
// errSlow; a database that does not answer is the store's error.
func (u *users) resolve(ctx context.Context, id string) (directory.Person, error) {
	if !validUserID(id) {
		return directory.Person{}, fault.E(fault.UnknownPerson, "your Mattermost account")
	}
	p, err := u.people.PersonByChatID(ctx, directory.Mattermost, id)
	if err == nil || !fault.Is(err, fault.PersonNotFound) {
		return p, err
	}
	e, err := u.lookup(ctx, u.byID, id, func(ctx context.Context) (*model.User, *model.Response, error) {
		return u.api.GetUser(ctx, id, "")
	})
	if err != nil {
		return directory.Person{}, err
	}
	return u.byEmail(ctx, id, e.email)
}

// byEmail finds the person with the e-mail Mattermost gave for user id, and
// links the account when the directory has none for them.
func (u *users) byEmail(ctx context.Context, id, email string) (directory.Person, error) {
	if email == "" {
		return directory.Person{}, fault.E(fault.UnknownPerson, "your Mattermost account")
	}
	p, err := u.people.PersonByEmail(ctx, email)
	if fault.Is(err, fault.PersonNotFound) {
		return directory.Person{}, fault.E(fault.UnknownPerson, email)
	}
	if err != nil {
		return directory.Person{}, err
	}
	switch p.MattermostUserID {
	case "":
		if err := u.people.LinkChatID(ctx, p.ID, directory.Mattermost, id); err != nil {
			u.log.Warn("linking a Mattermost user failed", "person", p.ID, "err", err)
		}
		p.MattermostUserID = id
	case id:
	default:
		// The directory names another account for this e-mail; Mattermost
		// vouches for the address, so the person is who they say, but the
		// link the directory keeps is left alone.
		u.log.Warn("mattermost user matched by e-mail differs from the directory's", "person", p.ID, "user", id)
	}
	return p, nil
}

// byUsername finds the person a "@username" mention names.
func (u *users) byUsername(ctx context.Context, name string) (directory.Person, error) {
	e, err := u.lookup(ctx, u.byName, name, func(ctx context.Context) (*model.User, *model.Response, error) {
		return u.api.GetUserByUsername(ctx, name, "")
	})
	if err != nil {
		return directory.Person{}, err
	}
	if e.id == "" {
		return directory.Person{}, fault.E(fault.UnknownPerson, "@"+name)
	}
	p, err := u.people.PersonByChatID(ctx, directory.Mattermost, e.id)
	if err == nil || !fault.Is(err, fault.PersonNotFound) {
		return p, err
	}
	return u.byEmail(ctx, e.id, e.email)
}

// lookup asks Mattermost about a user once in a while, remembering the
// answer in cache under key.
func (u *users) lookup(ctx context.Context, cache map[string]userEntry, key string, get func(context.Context) (*model.User, *model.Response, error)) (userEntry, error) {
	now := u.now()
	u.mu.Lock()
	e, ok := cache[key]
	u.mu.Unlock()
	if ok && now.Before(e.until) {
		return e, nil
	}
	user, resp, err := get(ctx)
	if err != nil {
		if st := statusOf(resp, err); st != http.StatusNotFound && st != http.StatusForbidden {
			u.log.Warn("mattermost user look-up failed", "status", st, "err", err)
			return userEntry{}, errSlow
		}
		user = &model.User{}
	}
	if user == nil {
		user = &model.User{}
	}
	e = userEntry{id: user.Id, email: directory.NormalizeEmail(user.Email)}
	if user.IsBot || user.DeleteAt != 0 || !validUserID(user.Id) {
		e = userEntry{}
	}
	ttl := knownTTL
	if e.email == "" {
		ttl = unknownTTL
	}
	e.until = now.Add(ttl)
	u.remember(cache, key, e)
	return e, nil
}

// remember keeps an answer, making room when the cache is full.
func (u *users) remember(cache map[string]userEntry, key string, e userEntry) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(cache) >= maxUsers {
		now := u.now()
		for k, v := range cache {
			if !now.Before(v.until) {
				delete(cache, k)
			}
		}
		if len(cache) >= maxUsers {
			clear(cache)
		}
	}
	cache[key] = e
}

// mentions is the commands.MentionResolver for Mattermost: "@username"
// resolves through the username's account. Each look-up is bounded by ctx.
func (u *users) mentions() commands.MentionResolver {
	return func(ctx context.Context, token string) (directory.Person, bool) {
		name, ok := username(token)
		if !ok {
			return directory.Person{}, false
		}
		p, err := u.byUsername(ctx, name)
		return p, err == nil
	}
}
