package main

import (
	"context"
	"flag"
	"fmt"
)

const migrateHelp = `Usage: bot migrate

Apply pending database migrations and exit. bot serve and bot console apply
them at start too.

Environment:
  DATABASE_URL  postgres://… for PostgreSQL, sqlite:PATH for the embedded
                SQLite file (default sqlite:reportbot.db)
`

func migrateCommand() command {
	return command{name: "migrate", summary: "apply pending database migrations", help: migrateHelp, run: runMigrate}
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	if err := e.parseFlags(flag.NewFlagSet("migrate", flag.ContinueOnError), "migrate", migrateHelp, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(e.stdout, "%s database %s is up to date.\n", s.Dialect(), redactURL(e.databaseURL()))
	return nil
}
