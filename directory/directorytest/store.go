package directorytest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// Store is an in-memory directory.Store, safe for concurrent use. Its zero
// value is ready; IDs are assigned from 1 in order of creation.
type Store struct {
	mu     sync.Mutex
	people []directory.Person // people[i].ID == i+1
	fail   error
}

var _ directory.Store = (*Store)(nil)

// New returns an empty Store.
func New() *Store { return &Store{} }

// Seeded returns a Store holding people, as if synced from a file. It
// panics if they cannot be synced (a duplicate e-mail), which in a test is
// a mistake in the test.
func Seeded(people ...directory.Person) *Store {
	s := New()
	if _, err := s.SyncPeople(context.Background(), people, time.Time{}); err != nil {
		panic(err)
	}
	return s
}

// FailWith makes every later call return err, as a store whose database is
// down would (use fault.Wrap(…, fault.StoreUnavailable)); nil heals it.
func (s *Store) FailWith(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *Store) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.fail
}

// Person implements directory.Store.
func (s *Store) Person(ctx context.Context, id int64) (directory.Person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return directory.Person{}, err
	}
	if id < 1 || id > int64(len(s.people)) {
		return directory.Person{}, fault.E(fault.PersonNotFound, fmt.Sprintf("person %d", id))
	}
	return clone(s.people[id-1]), nil
}

// PersonByEmail implements directory.Store; case and surrounding space do
// not matter. Inactive people are found too, with Active false.
func (s *Store) PersonByEmail(ctx context.Context, email string) (directory.Person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return directory.Person{}, err
	}
	if i, ok := indexOf(s.people, directory.NormalizeEmail(email)); ok {
		return clone(s.people[i]), nil
	}
	return directory.Person{}, fault.E(fault.PersonNotFound, strings.TrimSpace(email))
}

// PersonByChatID implements directory.Store.
func (s *Store) PersonByChatID(ctx context.Context, platform directory.Platform, userID string) (directory.Person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return directory.Person{}, err
	}
	if userID != "" {
		for _, p := range s.people {
			if chatID(p, platform) == userID {
				return clone(p), nil
			}
		}
	}
	return directory.Person{}, fault.E(fault.PersonNotFound, fmt.Sprintf("%s user %s", platform, userID))
}

// People implements directory.Store: everyone, active or not, by e-mail.
func (s *Store) People(ctx context.Context) ([]directory.Person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := make([]directory.Person, len(s.people))
	for i, p := range s.people {
		out[i] = clone(p)
	}
	slices.SortFunc(out, func(a, b directory.Person) int { return strings.Compare(a.Email, b.Email) })
	return out, nil
}

// LinkChatID implements directory.Store. An ID already held by someone
// else is refused, as a unique index in a database would refuse it.
func (s *Store) LinkChatID(ctx context.Context, id int64, platform directory.Platform, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if platform != directory.Slack && platform != directory.Mattermost {
		return fmt.Errorf("directorytest: unknown platform %q", platform)
	}
	if id < 1 || id > int64(len(s.people)) {
		return fault.E(fault.PersonNotFound, fmt.Sprintf("person %d", id))
	}
	if userID != "" {
		for _, p := range s.people {
			if p.ID != id && chatID(p, platform) == userID {
				return fmt.Errorf("directorytest: %s user ID %s already belongs to %s", platform, userID, p.Email)
			}
		}
	}
	setChatID(&s.people[id-1], platform, userID)
	return nil
}

func chatID(p directory.Person, platform directory.Platform) string {
	switch platform {
	case directory.Slack:
		return p.SlackUserID
	case directory.Mattermost:
		return p.MattermostUserID
	}
	return ""
}

func setChatID(p *directory.Person, platform directory.Platform, userID string) {
	switch platform {
	case directory.Slack:
		p.SlackUserID = userID
	case directory.Mattermost:
		p.MattermostUserID = userID
	}
}

func clone(p directory.Person) directory.Person {
	p.Roles = slices.Clone(p.Roles)
	return p
}
