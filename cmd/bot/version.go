package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

const versionHelp = `Usage: bot version

Print the version of bot, the Go version that built it, the source revision
when the build recorded it, and the rulebook version in use (RULEBOOK_FILE
when set, else the built-in rulebook).
`

func versionCommand() command {
	return command{
		name:    "version",
		summary: "print version and build information",
		help:    versionHelp,
		run:     runVersion,
	}
}

func runVersion(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := e.parseFlags(fs, "version", versionHelp, args); err != nil {
		return err
	}
	if _, err := e.logger(); err != nil {
		return err // the configuration is checked the same way for every command
	}
	c, source, err := loadClassifier(e.getenv("RULEBOOK_FILE"))
	if err != nil {
		return err
	}
	fmt.Fprint(e.stdout, buildInfo())
	fmt.Fprintf(e.stdout, "rulebook: %s (%s)\n", c.Version(), source)
	return nil
}

// buildInfo describes the binary from what the Go toolchain recorded in it;
// no version is stamped in by hand.
func buildInfo() string {
	var b strings.Builder
	version := "(unknown)"
	info, ok := debug.ReadBuildInfo()
	if ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	fmt.Fprintf(&b, "bot %s\n", version)
	fmt.Fprintf(&b, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if !ok {
		return b.String()
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += " (modified)"
		}
		if t := settings["vcs.time"]; t != "" {
			rev += " " + t
		}
		fmt.Fprintf(&b, "revision: %s\n", rev)
	}
	return b.String()
}
