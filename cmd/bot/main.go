// Command bot is reportbot: it turns the duty of IHSC Directive 01-22 §4-7
// (report a posting that breaks the directive to your supervisor) into a
// slash command, and classifies reports against the directive.
//
// This package is the composition root: the only place that reads flags and
// the environment. Each subcommand lives in its own file.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the whole program behind main, with its inputs passed in so tests
// can drive it. It returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	return e.dispatch(ctx, args)
}
