package slack

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// How long Slack's answer about a user is remembered, and for how many.
const (
	knownTTL   = 10 * time.Minute
	unknownTTL = time.Minute
	maxUsers   = 10000
)

// errSlackSlow says the Web API did not answer a look-up in time; it is not
// remembered, and the person is asked to try again.
var errSlackSlow = errors.New("slack: user look-up timed out or failed")

// slowSentence is what a person sees when Slack was too slow to say who
// they are.
const slowSentence = "Slack didn't tell me who you are quickly enough, so nothing was done. Please try again in a moment."

// sentence is what a person sees for an error of the adapter.
func sentence(err error) string {
	if errors.Is(err, errSlackSlow) {
		return slowSentence
	}
	return fault.Sentence(err)
}

// userEntry is Slack's answer about a user: their e-mail, or "" when Slack
// has none to give (no such user, a bot, a deactivated account).
type userEntry struct {
	email string
	until time.Time
}

// users turns Slack user IDs into people of the directory: by the linked ID
// first, else by the e-mail Slack knows (users.info), which it then links so
// that the next look-up needs no API call. Slack's answers, e-mail or none,
// are remembered for a while; the directory is read every time, so a change
// of role or status counts at once.
type users struct {
	people directory.Store
	api    *slackapi.Client
	now    func() time.Time
	log    *slog.Logger

	mu sync.Mutex
	m  map[string]userEntry
}

func newUsers(people directory.Store, api *slackapi.Client, now func() time.Time, log *slog.Logger) *users {
	return &users{people: people, api: api, now: now, log: log, m: map[string]userEntry{}}
}

// resolve finds the person behind a Slack user ID. An unknown user is a
// fault.UnknownPerson error; a Slack that does not answer is errSlackSlow;
// a database that does not answer is the store's error.
func (u *users) resolve(ctx context.Context, id string) (directory.Person, error) {
	if !validUserID(id) {
		return directory.Person{}, fault.E(fault.UnknownPerson, "your Slack account")
	}
	p, err := u.people.PersonByChatID(ctx, directory.Slack, id)
	if err == nil || !fault.Is(err, fault.PersonNotFound) {
		return p, err
	}
	email, err := u.email(ctx, id)
	if err != nil {
		return directory.Person{}, err
	}
	if email == "" {
		return directory.Person{}, fault.E(fault.UnknownPerson, "your Slack account")
	}
	p, err = u.people.PersonByEmail(ctx, email)
	if fault.Is(err, fault.PersonNotFound) {
		return directory.Person{}, fault.E(fault.UnknownPerson, email)
	}
	if err != nil {
		return directory.Person{}, err
	}
	switch p.SlackUserID {
	case "":
		if err := u.people.LinkChatID(ctx, p.ID, directory.Slack, id); err != nil {
			u.log.Warn("linking a Slack user failed", "person", p.ID, "err", err)
		}
		p.SlackUserID = id
	case id:
	default:
		// The directory names another account for this e-mail; Slack vouches
		// for the address, so the person is who they say, but the link the
		// directory keeps is left alone.
		u.log.Warn("slack user matched by e-mail differs from the directory's", "person", p.ID, "user", id)
	}
	return p, nil
}

// email is the e-mail Slack has for a user (users.info), remembered.
func (u *users) email(ctx context.Context, id string) (string, error) {
	now := u.now()
	u.mu.Lock()
	e, ok := u.m[id]
	u.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.email, nil
	}
	info, err := u.api.GetUserInfoContext(ctx, id)
	if err != nil {
		var se slackapi.SlackErrorResponse
		if !errors.As(err, &se) || (se.Err != "user_not_found" && se.Err != "user_not_visible") {
			u.log.Warn("slack users.info failed", "user", id, "err", err)
			return "", errSlackSlow
		}
		info = &slackapi.User{}
	}
	email := directory.NormalizeEmail(info.Profile.Email)
	if info.Deleted || info.IsBot {
		email = ""
	}
	ttl := knownTTL
	if email == "" {
		ttl = unknownTTL
	}
	u.remember(id, userEntry{email: email, until: now.Add(ttl)})
	return email, nil
}

// remember keeps an answer, making room when the cache is full.
func (u *users) remember(id string, e userEntry) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.m) >= maxUsers {
		now := u.now()
		for k, v := range u.m {
			if !now.Before(v.until) {
				delete(u.m, k)
			}
		}
		if len(u.m) >= maxUsers {
			clear(u.m)
		}
	}
	u.m[id] = e
}

// mentions is the commands.MentionResolver for one piece of text: tokens that
// plain rewrote ("@ana") map back to their user IDs, and "<@U123>" or
// "<@U123|ana>" resolve directly. Each look-up is bounded by ctx.
func (u *users) mentions(written map[string]string) commands.MentionResolver {
	return func(ctx context.Context, token string) (directory.Person, bool) {
		id, ok := written[token]
		if !ok {
			if id, ok = userID(token); !ok || !strings.HasPrefix(token, "<@") {
				return directory.Person{}, false
			}
		}
		p, err := u.resolve(ctx, id)
		return p, err == nil
	}
}
