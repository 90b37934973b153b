package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/reportbot/reportbot/classifyio"
)

const classifyHelp = `Usage: bot classify [--rules FILE] [--workers N] [--explain]

Classify reports against IHSC Directive 01-22. Reads one JSON object a line
from standard input:

  {"id": "r-1", "text": "she posted a picture of a detainee on instagram", "url": "https://…"}

and writes one JSON line per input line to standard output, in the same order:

  {"id":"r-1","categories":[{"id":"4-2.f","title":"…","citation":"…","severity":"high",
   "score":0.99,"evidence":[{"start":26,"end":34,"text":"detainee"},…]}],"pii":[],"rulebook":"…"}

"id" is echoed as given (null when missing); "text" is required, at most
65536 bytes; "url" is optional. Offsets count characters (runes) of "text".
A line that cannot be classified gets {"id":…,"error":"…"} and the run goes
on. Blank lines are skipped. Answers are written as soon as they are ready.

Flags:
  --rules FILE   rulebook YAML to use instead of the built-in one
                 (default: $RULEBOOK_FILE, else built in)
  --workers N    reports classified at once (default 0: one per CPU)
  --explain      also list the rules that fired for each category

Environment:
  RULEBOOK_FILE  rulebook file, when --rules is not given
  LOG_LEVEL      debug, info, warn or error (default info); debug logs each
                 refused line's number and reason to stderr
`

func classifyCommand() command {
	return command{
		name:    "classify",
		summary: "classify reports read as JSON Lines from stdin",
		help:    classifyHelp,
		run:     runClassify,
	}
}

func runClassify(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	rules := fs.String("rules", "", "rulebook file")
	workers := fs.Int("workers", 0, "reports classified at once")
	explain := fs.Bool("explain", false, "list the rules that fired")
	if err := e.parseFlags(fs, "classify", classifyHelp, args); err != nil {
		return err
	}
	if *workers < 0 {
		return usagef("classify: --workers must be 0 or more, not %d", *workers)
	}
	log, err := e.logger()
	if err != nil {
		return err
	}
	path := *rules
	if path == "" {
		path = e.getenv("RULEBOOK_FILE")
	}
	c, source, err := loadClassifier(path)
	if err != nil {
		return err
	}
	if e.getenv("GOGC") == "" {
		// classify keeps a live heap of a few MB, so at the default GOGC=100
		// the collector runs every few hundred lines. 400 measured about 20%
		// less CPU and 30% less wall time for some 20 MB more memory
		// (BENCHMARKS.md). A GOGC set in the environment wins.
		debug.SetGCPercent(400)
	}
	log.Debug("classify: starting", slog.String("rulebook", c.Version()), slog.String("rules_from", source),
		slog.Int("workers", *workers))
	err = classifyio.Run(ctx, e.stdin, e.stdout, c, classifyio.Options{Workers: *workers, Explain: *explain, Logger: log})
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return fmt.Errorf("classify stopped: %w", context.Cause(ctx))
	}
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	return nil
}
