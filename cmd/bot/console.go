package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/console"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/routing"
)

// sampleDirectory is used when DIRECTORY_FILE is not set (INTERFACES.md).
const sampleDirectory = "testdata/directory/sample.csv"

const consoleHelp = `Usage: bot console [--as EMAIL]

A local chat on the same code as Slack and Mattermost. Type lines:

  /report …                  the slash command, as the current person
  as EMAIL                   become another person in the directory
  press CASE-n ACTION [ARGS] press a button: acknowledge, resolve OUTCOME NOTE…,
                             reassign EMAIL REASON…, escalate REASON…, withdraw,
                             reopen REASON… (compliance)
  tick DURATION              move the console's clock forward (tick 5h)
  quit                       leave (end of input does the same)

Every message is printed with the person who would see it: [to EMAIL] ….
Without --as the console starts as the first person in the directory who has
a supervisor.

Environment:
  DATABASE_URL    as for bot migrate (default sqlite:reportbot.db)
  DIRECTORY_FILE  the directory CSV to sync at start (default: the sample in
                  testdata/directory/sample.csv)
  RULEBOOK_FILE   a rulebook that replaces the built-in one
  ROUTING_FILE    routing rules (YAML): time limits, extra recipients,
                  working hours (default: built-in limits)
  LOG_LEVEL       debug, info, warn or error
`

func consoleCommand() command {
	return command{name: "console", summary: "chat locally with the bot on the embedded store", help: consoleHelp, run: runConsole}
}

func runConsole(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("console", flag.ContinueOnError)
	as := fs.String("as", "", "start as this person (e-mail)")
	if err := e.parseFlags(fs, "console", consoleHelp, args); err != nil {
		return err
	}
	// The console is a conversation: routine logs would interleave with it,
	// so it logs only warnings unless LOG_LEVEL asks for more.
	log, err := e.loggerDefault("warn")
	if err != nil {
		return err
	}
	classifier, _, err := loadClassifier(e.getenv("RULEBOOK_FILE"))
	if err != nil {
		return err
	}
	routingFile := e.getenv("ROUTING_FILE")
	routingRules, err := loadRoutingRules(routingFile)
	if err != nil {
		return err
	}
	path := e.getenv("DIRECTORY_FILE")
	if path == "" {
		path = sampleDirectory
	}
	csvData, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("directory %s: %w (set DIRECTORY_FILE, or run from the repository root for the sample)", path, unwrapPath(err))
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	clock := console.NewClock(time.Now().UTC())
	report, err := directory.Import(ctx, store, bytes.NewReader(csvData), clock.Now())
	if err != nil {
		return fmt.Errorf("directory %s: %w", path, err)
	}
	fmt.Fprintf(e.stdout, "Directory %s: %s\n", path, report)
	if err := checkRoutingRecipients(ctx, store, routingRules, routingFile, nil); err != nil {
		return err
	}
	me, err := startingPerson(ctx, store, csvData, *as)
	if err != nil {
		return err
	}
	svc := cases.NewService(store, store, clock.Now, routing.DefaultDeadlines(), log)
	useRoutingRules(svc, routingRules, classifier)
	handler := commands.New(svc, store, store, classifier, clock.Now, log)
	c := console.New(console.Config{
		Handler: handler, Store: store, People: store, Clock: clock,
		// tick moves the clock, then runs the deadline worker once.
		Tick: func(ctx context.Context) error { _, err := svc.Tick(ctx); return err },
		Out:  e.stdout, Prompt: isTerminal(e.stdin), Log: log,
	}, me)
	if err := c.Run(ctx, e.stdin); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// startingPerson is --as, or the first person in the file with a supervisor.
func startingPerson(ctx context.Context, people directory.Store, csvData []byte, as string) (directory.Person, error) {
	if as == "" {
		parsed, _, err := directory.Parse(bytes.NewReader(csvData))
		if err != nil {
			return directory.Person{}, err
		}
		first, ok := directory.New(parsed).FirstWithSupervisor()
		if !ok {
			return directory.Person{}, usagef("console: nobody in the directory has a supervisor; use --as EMAIL")
		}
		as = first.Email
	}
	p, err := people.PersonByEmail(ctx, as)
	if err != nil {
		return directory.Person{}, usagef("console: --as %q is not in the directory", as)
	}
	return p, nil
}

// isTerminal reports whether r is a terminal, to show a prompt.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
