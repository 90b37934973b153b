package directorytest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/reportbot/reportbot/directory"
)

// SyncPeople implements directory.Store, all or nothing, as one
// transaction would:
//
//   - people are matched to stored ones by e-mail, without regard to case;
//     new ones get the next ID; everyone listed is Active;
//   - supervisor IDs are resolved from SupervisorEmail after every row is
//     written, so order does not matter; an e-mail nobody has gives ID 0;
//   - an empty chat ID keeps the one stored (LinkChatID may have found it
//     by e-mail; forgetting it on every sync would cost a look-up and make
//     no sync idempotent), and an ID given in the list is taken from
//     whoever else held it: the file is the authority;
//   - stored people not in the list are marked inactive, nothing more;
//   - the counts compare each person before and after: Updated when any
//     stored field changed, reactivation included.
//
// A list naming an e-mail twice, or none, is refused and nothing changes.
func (s *Store) SyncPeople(ctx context.Context, people []directory.Person, _ time.Time) (directory.SyncResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var res directory.SyncResult
	if err := s.check(ctx); err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for _, p := range people {
		e := directory.NormalizeEmail(p.Email)
		if e == "" {
			return res, fmt.Errorf("directorytest: a person without an e-mail (%q)", p.Name)
		}
		if seen[e] {
			return res, fmt.Errorf("directorytest: %s is listed twice", e)
		}
		seen[e] = true
	}

	old := s.people
	next := make([]directory.Person, len(old), len(old)+len(people))
	for i, p := range old {
		next[i] = clone(p)
	}
	byEmail := make(map[string]int, len(next))
	for i, p := range next {
		byEmail[p.Email] = i
	}
	listed := map[int]bool{}
	given := map[directory.Platform]map[string]int{directory.Slack: {}, directory.Mattermost: {}}
	for _, p := range people {
		e := directory.NormalizeEmail(p.Email)
		i, ok := byEmail[e]
		if !ok {
			i = len(next)
			next = append(next, directory.Person{ID: int64(i + 1)})
			byEmail[e] = i
		}
		listed[i] = true
		write(&next[i], p)
		for _, pl := range []directory.Platform{directory.Slack, directory.Mattermost} {
			if id := chatID(p, pl); id != "" {
				given[pl][id] = i
			}
		}
	}
	for i := range next {
		for pl, ids := range given {
			if owner, ok := ids[chatID(next[i], pl)]; ok && owner != i {
				setChatID(&next[i], pl, "")
			}
		}
		if !listed[i] {
			next[i].Active = false
			continue
		}
		next[i].SupervisorID = 0
		if j, ok := byEmail[next[i].SupervisorEmail]; ok && next[i].SupervisorEmail != "" {
			next[i].SupervisorID = next[j].ID
		}
	}

	for i := range next {
		switch {
		case i >= len(old):
			res.Created++
		case !listed[i]:
			if old[i].Active {
				res.Deactivated++
			}
		case same(old[i], next[i]):
			res.Unchanged++
		default:
			res.Updated++
		}
	}
	s.people = next
	return res, nil
}

// write copies what the directory file says about a person onto rec.
func write(rec *directory.Person, p directory.Person) {
	rec.Email = directory.NormalizeEmail(p.Email)
	rec.Name = p.Name
	rec.SupervisorEmail = directory.NormalizeEmail(p.SupervisorEmail)
	rec.Unit = p.Unit
	rec.Roles = nil
	if len(p.Roles) > 0 {
		rec.Roles = slices.Clone(p.Roles)
	}
	if p.SlackUserID != "" {
		rec.SlackUserID = p.SlackUserID
	}
	if p.MattermostUserID != "" {
		rec.MattermostUserID = p.MattermostUserID
	}
	rec.Active = true
}

func indexOf(people []directory.Person, email string) (int, bool) {
	for i, p := range people {
		if p.Email == email {
			return i, true
		}
	}
	return 0, false
}

func same(a, b directory.Person) bool {
	return a.ID == b.ID && a.Email == b.Email && a.Name == b.Name &&
		a.SupervisorEmail == b.SupervisorEmail && a.SupervisorID == b.SupervisorID &&
		a.Unit == b.Unit && slices.Equal(a.Roles, b.Roles) &&
		a.SlackUserID == b.SlackUserID && a.MattermostUserID == b.MattermostUserID &&
		a.Active == b.Active
}
