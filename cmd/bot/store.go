package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/store/sqlstore"
)

// defaultDatabaseURL is the embedded SQLite file (INTERFACES.md).
const defaultDatabaseURL = "sqlite:reportbot.db"

// databaseURL reads DATABASE_URL.
func (e *env) databaseURL() string {
	if u := strings.TrimSpace(e.getenv("DATABASE_URL")); u != "" {
		return u
	}
	return defaultDatabaseURL
}

// openStore opens the database and applies pending migrations. The URL is
// never printed whole: it may hold a password.
func (e *env) openStore(ctx context.Context) (*sqlstore.Store, error) {
	url := e.databaseURL()
	s, err := sqlstore.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("database %s: %s", redactURL(url), storeSentence(err))
	}
	return s, nil
}

// storeSentence keeps the detail of store errors the catalogue knows and
// passes others through, for the operator reading stderr.
func storeSentence(err error) string {
	if fault.CodeOf(err) == fault.Unavailable {
		return fault.Sentence(err) + " (" + err.Error() + ")"
	}
	return err.Error()
}

// redactURL hides a password in a database URL.
func redactURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	creds, host, ok := strings.Cut(rest, "@")
	if !ok {
		return u
	}
	user, _, _ := strings.Cut(creds, ":")
	return scheme + "://" + user + ":***@" + host
}
