package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// personRow is a row of people with the supervisor's e-mail joined in.
type personRow struct {
	ID               int64          `db:"id"`
	Email            string         `db:"email"`
	Name             string         `db:"name"`
	SupervisorID     sql.NullInt64  `db:"supervisor_id"`
	SupervisorEmail  sql.NullString `db:"supervisor_email"`
	Unit             string         `db:"unit"`
	Roles            string         `db:"roles"`
	SlackUserID      sql.NullString `db:"slack_user_id"`
	MattermostUserID sql.NullString `db:"mattermost_user_id"`
	Active           bool           `db:"active"`
}

const personSelect = `SELECT p.id, p.email, p.name, p.supervisor_id, s.email AS supervisor_email,
	p.unit, p.roles, p.slack_user_id, p.mattermost_user_id, p.active
	FROM people p LEFT JOIN people s ON s.id = p.supervisor_id`

func (r personRow) toPerson() directory.Person {
	return directory.Person{
		ID:               r.ID,
		Email:            r.Email,
		Name:             r.Name,
		SupervisorEmail:  r.SupervisorEmail.String,
		SupervisorID:     r.SupervisorID.Int64,
		Unit:             r.Unit,
		Roles:            splitRoles(r.Roles),
		SlackUserID:      r.SlackUserID.String,
		MattermostUserID: r.MattermostUserID.String,
		Active:           r.Active,
	}
}

func joinRoles(roles []directory.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ";")
}

func splitRoles(s string) []directory.Role {
	var out []directory.Role
	for r := range strings.SplitSeq(s, ";") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, directory.Role(r))
		}
	}
	return out
}

// Person reads a person by store ID; PersonNotFound when there is none.
func (s *Store) Person(ctx context.Context, id int64) (directory.Person, error) {
	return s.getPerson(ctx, fmt.Sprintf("person #%d", id), `p.id = ?`, id)
}

// PersonByEmail reads a person by e-mail, without regard to case.
func (s *Store) PersonByEmail(ctx context.Context, email string) (directory.Person, error) {
	email = directory.NormalizeEmail(email)
	return s.getPerson(ctx, email, `p.email = ?`, email)
}

// PersonByChatID reads the person linked to a Slack or Mattermost user ID.
// Should two people carry the same ID, an active one wins, then the oldest.
func (s *Store) PersonByChatID(ctx context.Context, platform directory.Platform, userID string) (directory.Person, error) {
	col, err := chatColumn(platform)
	if err != nil {
		return directory.Person{}, err
	}
	if userID == "" {
		return directory.Person{}, fault.E(fault.PersonNotFound, string(platform)+" user (none)")
	}
	return s.getPerson(ctx, string(platform)+" user "+userID,
		`p.`+col+` = ? ORDER BY p.active DESC, p.id LIMIT 1`, userID)
}

func (s *Store) getPerson(ctx context.Context, who, where string, args ...any) (directory.Person, error) {
	var row personRow
	err := sqlx.GetContext(ctx, s.r, &row, s.rebind(personSelect+` WHERE `+where), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return directory.Person{}, fault.E(fault.PersonNotFound, who)
	}
	if err != nil {
		return directory.Person{}, mapErr(err)
	}
	return row.toPerson(), nil
}

// People returns everyone, active or not, ordered by e-mail.
func (s *Store) People(ctx context.Context) ([]directory.Person, error) {
	var rows []personRow
	if err := sqlx.SelectContext(ctx, s.r, &rows, personSelect+` ORDER BY p.email`); err != nil {
		return nil, mapErr(err)
	}
	out := make([]directory.Person, len(rows))
	for i, r := range rows {
		out[i] = r.toPerson()
	}
	return out, nil
}

// LinkChatID records a person's platform user ID; PersonNotFound when there
// is no such person.
func (s *Store) LinkChatID(ctx context.Context, id int64, platform directory.Platform, userID string) error {
	col, err := chatColumn(platform)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, s.rebind(`UPDATE people SET `+col+` = ?, updated_at = ? WHERE id = ?`),
		nullString(userID), s.now().UnixMilli(), id)
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fault.E(fault.PersonNotFound, fmt.Sprintf("person #%d", id))
	}
	return nil
}

// chatColumn is the people column holding a platform's user IDs. The
// column name goes into SQL text, so only these two can come out.
func chatColumn(p directory.Platform) (string, error) {
	switch p {
	case directory.Slack:
		return "slack_user_id", nil
	case directory.Mattermost:
		return "mattermost_user_id", nil
	}
	return "", fault.Wrap(fmt.Errorf("sqlstore: unknown chat platform %q", p), fault.InternalError)
}

// SyncPeople makes the stored directory match people in one transaction.
// People are matched by lower-case e-mail. A person is Unchanged when nothing
// stored differs, Updated otherwise (a person coming back counts as Updated).
// Supervisor links are set after every row is written, so the order of
// people does not matter; an unknown supervisor e-mail leaves none (the
// directory package reports it before calling). A chat user ID missing from
// people keeps the stored one: it was found by e-mail (LinkChatID) and would
// only have to be looked up again. Stored people not in the list become
// inactive and keep their cases.
func (s *Store) SyncPeople(ctx context.Context, people []directory.Person, now time.Time) (directory.SyncResult, error) {
	var res directory.SyncResult
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.syncPeople(ctx, tx, people, now.UnixMilli())
		return err
	})
	if err != nil {
		return directory.SyncResult{}, err
	}
	return res, nil
}

// syncState is one listed person as the sync goes.
type syncState struct {
	email, supervisorEmail string
	created, changed       bool
}

func (s *Store) syncPeople(ctx context.Context, tx *sqlx.Tx, people []directory.Person, now int64) (directory.SyncResult, error) {
	var res directory.SyncResult
	var rows []personRow
	if err := sqlx.SelectContext(ctx, tx, &rows, personSelect); err != nil {
		return res, mapErr(err)
	}
	stored := make(map[string]personRow, len(rows))
	for _, r := range rows {
		stored[r.Email] = r
	}

	// Pass 1: every listed person's own fields.
	listed := make(map[string]*syncState, len(people))
	order := make([]*syncState, 0, len(people))
	for _, p := range people {
		email := directory.NormalizeEmail(p.Email)
		if email == "" {
			return res, fault.Wrap(errors.New("sqlstore: SyncPeople: a person without an e-mail"), fault.InternalError)
		}
		st := listed[email]
		if st == nil { // a repeated e-mail: the later row wins, counted once
			st = &syncState{email: email}
			listed[email] = st
			order = append(order, st)
		}
		st.supervisorEmail = directory.NormalizeEmail(p.SupervisorEmail)
		want := personRow{
			Email:            email,
			Name:             p.Name,
			Unit:             p.Unit,
			Roles:            joinRoles(p.Roles),
			SlackUserID:      nullString(p.SlackUserID),
			MattermostUserID: nullString(p.MattermostUserID),
			Active:           true,
		}
		old, ok := stored[email]
		if !ok {
			err := tx.QueryRowxContext(ctx, s.rebind(`INSERT INTO people (email, name, unit, roles,
				slack_user_id, mattermost_user_id, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				email, want.Name, want.Unit, want.Roles, want.SlackUserID, want.MattermostUserID, true, now).Scan(&want.ID)
			if err != nil {
				return res, mapErr(err)
			}
			st.created = true
			stored[email] = want
			continue
		}
		want.ID, want.SupervisorID = old.ID, old.SupervisorID
		if !want.SlackUserID.Valid {
			want.SlackUserID = old.SlackUserID
		}
		if !want.MattermostUserID.Valid {
			want.MattermostUserID = old.MattermostUserID
		}
		if want.Name == old.Name && want.Unit == old.Unit && want.Roles == old.Roles &&
			want.SlackUserID == old.SlackUserID && want.MattermostUserID == old.MattermostUserID && old.Active {
			continue
		}
		_, err := tx.ExecContext(ctx, s.rebind(`UPDATE people SET name = ?, unit = ?, roles = ?,
			slack_user_id = ?, mattermost_user_id = ?, active = ?, updated_at = ? WHERE id = ?`),
			want.Name, want.Unit, want.Roles, want.SlackUserID, want.MattermostUserID, true, now, want.ID)
		if err != nil {
			return res, mapErr(err)
		}
		if !st.created {
			st.changed = true
		}
		stored[email] = want
	}

	// Pass 2: supervisor links, now that every listed person has an ID.
	for _, st := range order {
		me := stored[st.email]
		var sup int64
		if st.supervisorEmail != "" {
			sup = stored[st.supervisorEmail].ID // 0 when unknown
		}
		if sup == me.SupervisorID.Int64 {
			continue
		}
		_, err := tx.ExecContext(ctx, s.rebind(`UPDATE people SET supervisor_id = ?, updated_at = ? WHERE id = ?`),
			nullID(sup), now, me.ID)
		if err != nil {
			return res, mapErr(err)
		}
		if !st.created {
			st.changed = true
		}
	}

	for _, st := range order {
		switch {
		case st.created:
			res.Created++
		case st.changed:
			res.Updated++
		default:
			res.Unchanged++
		}
	}

	// Pass 3: whoever is not listed any more.
	for email, r := range stored {
		if listed[email] != nil || !r.Active {
			continue
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE people SET active = ?, updated_at = ? WHERE id = ?`),
			false, now, r.ID); err != nil {
			return res, mapErr(err)
		}
		res.Deactivated++
	}
	return res, nil
}
