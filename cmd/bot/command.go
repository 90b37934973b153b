package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command ran and failed
	exitUsage = 2 // the command line or the configuration is wrong
)

// command is one subcommand of bot.
type command struct {
	name    string
	summary string // one line for `bot --help`
	help    string // the text of `bot NAME --help`
	run     func(ctx context.Context, e *env, args []string) error
}

// subcommands lists the subcommands that exist, in the order help shows them.
func subcommands() []command {
	return []command{serveCommand(), consoleCommand(), classifyCommand(), summaryCommand(), directoryCommand(), migrateCommand(), mattermostToolsCommand(), versionCommand()}
}

// env is what a subcommand may use: the process's streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// platforms replaces platformFactories() when set (tests).
	platforms map[string]platformFactory
}

// usageError is a mistake in the command line or the configuration.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errHelpShown means the command printed its help as asked.
var errHelpShown = errors.New("help shown")

func (e *env) dispatch(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, mainHelp())
		return exitUsage
	}
	name, rest := args[0], args[1:]
	if isHelp(name) {
		return e.help(rest)
	}
	cmd, ok := lookup(name)
	if !ok {
		return e.fail(usagef("unknown command %q; the commands are %s (see 'bot --help')", name, commandNames()))
	}
	return e.fail(cmd.run(ctx, e, rest))
}

// help prints the main help, or a command's help with `bot help NAME`.
func (e *env) help(args []string) int {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(e.stdout, mainHelp())
		return exitOK
	}
	cmd, ok := lookup(args[0])
	if !ok {
		return e.fail(usagef("no help for unknown command %q; the commands are %s", args[0], commandNames()))
	}
	fmt.Fprint(e.stdout, cmd.help)
	return exitOK
}

// fail prints err as one line and returns the exit status it calls for.
func (e *env) fail(err error) int {
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return exitOK
	}
	// Some errors join several problems with newlines; the contract is one line.
	fmt.Fprintf(e.stderr, "bot: %s\n", strings.ReplaceAll(err.Error(), "\n", "; "))
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}

// parseFlags parses a command's flags; --help prints its help and returns
// errHelpShown. Flags come before the configuration is read, so help works
// even when the environment is wrong.
func (e *env) parseFlags(fs *flag.FlagSet, cmd string, help string, args []string) error {
	fs.SetOutput(io.Discard) // errors are reported in one line below, not with the flag package's usage
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, help)
			return errHelpShown
		}
		return usagef("%s: %v (see 'bot %s --help')", cmd, err, cmd)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q (see 'bot %s --help')", cmd, fs.Arg(0), cmd)
	}
	return nil
}

// logger builds the logger LOG_LEVEL asks for, writing to stderr.
func (e *env) logger() (*slog.Logger, error) { return e.loggerDefault("info") }

// loggerDefault is logger with another level when LOG_LEVEL is unset.
func (e *env) loggerDefault(def string) (*slog.Logger, error) {
	var level slog.Level
	v := strings.ToLower(strings.TrimSpace(e.getenv("LOG_LEVEL")))
	if v == "" {
		v = def
	}
	switch v {
	case "info":
		level = slog.LevelInfo
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		return nil, usagef("LOG_LEVEL %q is not one of debug, info, warn, error", e.getenv("LOG_LEVEL"))
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level})), nil
}

func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

func lookup(name string) (command, bool) {
	for _, c := range subcommands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames() string {
	var names []string
	for _, c := range subcommands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

func mainHelp() string {
	var b strings.Builder
	b.WriteString(`bot is reportbot: reporting under IHSC Directive 01-22 §4-7, with reports
classified against the directive's prohibitions.

Usage:
  bot <command> [flags]

Commands:
`)
	for _, c := range subcommands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "  %-10s %s\n", "help", "show help for a command (also --help after any command)")
	b.WriteString(`
Environment:
  DATABASE_URL    postgres://… or sqlite:PATH (default sqlite:reportbot.db)
  DIRECTORY_FILE  the directory CSV synced at start of bot serve and bot console
  LOG_LEVEL       debug, info, warn or error (default info); logs go to stderr
  RULEBOOK_FILE   a rulebook YAML file that replaces the built-in rulebook
  (the listen address and the Slack and Mattermost settings: bot serve --help)

Run 'bot <command> --help' for a command's flags.
`)
	return b.String()
}
