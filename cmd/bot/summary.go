package main

import (
	"context"
	"flag"
	"time"

	"github.com/reportbot/reportbot/summary"
)

const summaryHelp = `Usage: bot summary [--since DURATION] [--format text|json|csv]

The compliance summary: cases by status, category and unit, outcomes, the
number overdue, and the median times to acknowledge and to resolve.

Flags:
  --since DURATION  only cases filed in this period: 30d, 2w, 24h, 90m
                    (default: all cases)
  --format FORMAT   text (default), json or csv

Environment:
  DATABASE_URL  as for bot migrate
`

func summaryCommand() command {
	return command{name: "summary", summary: "print the compliance summary", help: summaryHelp, run: runSummary}
}

func runSummary(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	sinceArg := fs.String("since", "", "period")
	formatArg := fs.String("format", "text", "text, json or csv")
	if err := e.parseFlags(fs, "summary", summaryHelp, args); err != nil {
		return err
	}
	format, ok := summary.ParseFormat(*formatArg)
	if !ok {
		return usagef("summary: --format must be text, json or csv, not %q", *formatArg)
	}
	now := time.Now().UTC()
	var since time.Time
	if *sinceArg != "" {
		d, ok := summary.ParseSince(*sinceArg)
		if !ok {
			return usagef("summary: --since %q is not a period like 30d, 2w, 24h or 90m", *sinceArg)
		}
		since = now.Add(-d)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := s.Summary(ctx, since, now)
	if err != nil {
		return err
	}
	out, err := summary.Render(sum, format)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(out)
	return err
}
