package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/reportbot/reportbot/directory"
)

const directoryHelp = `Usage: bot directory import FILE

Create or update people from a directory CSV (header row required; columns
email, name, supervisor_email, unit, roles, slack_user_id,
mattermost_user_id in any order). The file is the whole directory: people
not in it are marked inactive and keep their cases. Rows with problems are
reported with their line numbers and the rest still loads. Importing the
same file again changes nothing.

Environment:
  DATABASE_URL  as for bot migrate
`

func directoryCommand() command {
	return command{name: "directory", summary: "import the directory CSV (bot directory import FILE)", help: directoryHelp, run: runDirectory}
}

func runDirectory(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && isHelp(args[0]) || len(args) > 1 && isHelp(args[1]) {
		fmt.Fprint(e.stdout, directoryHelp)
		return errHelpShown
	}
	if len(args) != 2 || args[0] != "import" {
		return usagef("directory: use 'bot directory import FILE' (see 'bot directory --help')")
	}
	report, err := e.importDirectory(ctx, args[1])
	if err != nil {
		// Say why the file was refused, line by line, on stdout: stderr
		// carries the one-line error.
		for _, p := range report.Problems {
			fmt.Fprintln(e.stdout, p)
		}
		return err
	}
	fmt.Fprintln(e.stdout, report)
	return nil
}

// importDirectory syncs the store with a directory file.
func (e *env) importDirectory(ctx context.Context, path string) (directory.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return directory.Report{}, fmt.Errorf("directory %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	s, err := e.openStore(ctx)
	if err != nil {
		return directory.Report{}, err
	}
	defer s.Close()
	report, err := directory.Import(ctx, s, f, time.Now())
	if err != nil {
		return report, fmt.Errorf("directory %s: %w", path, err)
	}
	return report, nil
}

// unwrapPath drops the path from an *os.PathError, named once by the caller.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
