package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

const mattermostToolsHelp = `Usage: bot mattermost <subcommand> [flags]

Set-up tasks on a Mattermost server.

Subcommands:
  register   create the /report slash command in a team (or show the one
             that exists) and print its token for MATTERMOST_COMMAND_TOKENS

Run 'bot mattermost register --help' for its flags.
`

const mattermostRegisterHelp = `Usage: bot mattermost register --team NAME [--trigger report] [--url BOT_PUBLIC_URL]

Create the bot's slash command in a Mattermost team and print its token, to
be added to MATTERMOST_COMMAND_TOKENS. The command calls BOT_PUBLIC_URL +
/mattermost/commands with POST and autocompletes.

It is idempotent: when the team already has a custom command with the same
trigger, nothing is created; its token is printed instead (with a note when
it calls another URL). Run it once per team.

Flags:
  --team NAME      the team's name as in its URL (e.g. ihsc for
                   https://chat.example.gov/ihsc), not its display name
  --trigger WORD   the trigger, without the slash (default report)
  --url URL        the bot's public base URL (default BOT_PUBLIC_URL)

Environment:
  MATTERMOST_URL          the Mattermost server's base URL (required)
  MATTERMOST_ADMIN_TOKEN  an access token (personal access token or session
                          token) of a system admin or of an admin of the
                          team: creating slash commands needs the
                          manage_slash_commands permission, which bot
                          accounts and plain members do not have by default
  MATTERMOST_BOT_TOKEN    used when MATTERMOST_ADMIN_TOKEN is unset; works
                          only when the bot account was given that
                          permission (e.g. made a team admin)
  BOT_PUBLIC_URL          used when --url is not given

Tokens are read from the environment only, never from flags, so that they
stay out of shell history and process lists. The printed command token is
the one secret this command shows: it is what you came for.
`

// mattermostRegisterTimeout bounds the whole registration (three API calls).
const mattermostRegisterTimeout = 30 * time.Second

// Defaults of the slash command created by bot mattermost register.
const (
	defaultTrigger            = "report"
	mattermostCommandPath     = "/mattermost/commands" // chat/mattermost.CommandPath
	registerDisplayName       = "reportbot"
	registerDescription       = "Report a posting that breaks IHSC Directive 01-22 to your supervisor (§4-7)"
	registerAutoCompleteDesc  = "File a report: a link and what you saw. Also: help, mine, queue, case, summary, export, delegate"
	registerAutoCompleteHint  = "[link] [what you saw] | help | mine | queue | case CASE-n"
	registerCommandTokensName = "MATTERMOST_COMMAND_TOKENS"
)

// validTrigger is Mattermost's rule for a trigger (model.Command.IsValid),
// without the leading slash.
var validTrigger = regexp.MustCompile(`^[a-z0-9_.-][a-z0-9_./-]*$`)

func mattermostToolsCommand() command {
	return command{name: "mattermost", summary: "Mattermost set-up: register the slash command (bot mattermost register)",
		help: mattermostToolsHelp, run: runMattermostTools}
}

func runMattermostTools(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("mattermost: use 'bot mattermost register --team NAME' (see 'bot mattermost --help')")
	}
	if isHelp(args[0]) {
		fmt.Fprint(e.stdout, mattermostToolsHelp)
		return errHelpShown
	}
	switch args[0] {
	case "register":
		return runMattermostRegister(ctx, e, args[1:])
	}
	return usagef("mattermost: unknown subcommand %q; the subcommands are: register (see 'bot mattermost --help')", args[0])
}

// registerSettings is what bot mattermost register works from.
type registerSettings struct {
	serverURL string // MATTERMOST_URL, without a trailing "/"
	token     secret
	tokenVar  string // the variable the token came from, for error messages
	team      string
	trigger   string
	publicURL string // the bot's base URL, without a trailing "/"
}

func (s registerSettings) commandURL() string { return s.publicURL + mattermostCommandPath }

func runMattermostRegister(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("mattermost register", flag.ContinueOnError)
	team := fs.String("team", "", "team name")
	trigger := fs.String("trigger", defaultTrigger, "trigger")
	public := fs.String("url", "", "bot public URL")
	if err := e.parseFlags(fs, "mattermost register", mattermostRegisterHelp, args); err != nil {
		return err
	}
	s, err := registerConfig(e.getenv, *team, *trigger, *public)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, mattermostRegisterTimeout)
	defer cancel()
	res, err := registerCommand(ctx, s)
	if err != nil {
		return err
	}
	res.print(e, s)
	return nil
}

// registerConfig checks the flags and the environment before anything is
// sent.
func registerConfig(getenv func(string) string, team, trigger, public string) (registerSettings, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	s := registerSettings{team: strings.ToLower(strings.TrimSpace(team))}
	if s.team == "" {
		return s, usagef("mattermost register: --team NAME is required (the team's name as in its URL)")
	}
	s.trigger = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(trigger), "/"))
	if len(s.trigger) > model.MaxTriggerLength || !validTrigger.MatchString(s.trigger) {
		return s, usagef("mattermost register: --trigger %q must be letters, digits, '_', '.', '-' or '/' (not first), at most %d", trigger, model.MaxTriggerLength)
	}
	raw := get("MATTERMOST_URL")
	if raw == "" {
		return s, usagef("mattermost register: MATTERMOST_URL is required (the Mattermost server's base URL)")
	}
	var err error
	if s.serverURL, err = baseURL("MATTERMOST_URL", raw); err != nil {
		return s, &usageError{err.Error()}
	}
	for _, k := range []string{"MATTERMOST_ADMIN_TOKEN", "MATTERMOST_BOT_TOKEN"} {
		if v := get(k); v != "" {
			s.token, s.tokenVar = secret(v), k
			break
		}
	}
	if s.token == "" {
		return s, usagef("mattermost register: MATTERMOST_ADMIN_TOKEN is required (a system or team admin's access token; MATTERMOST_BOT_TOKEN is used when the bot may manage slash commands)")
	}
	name, value := "--url", strings.TrimSpace(public)
	if value == "" {
		name, value = "BOT_PUBLIC_URL", get("BOT_PUBLIC_URL")
	}
	if value == "" {
		return s, usagef("mattermost register: --url or BOT_PUBLIC_URL is required (the address at which Mattermost reaches this bot)")
	}
	if s.publicURL, err = baseURL(name, value); err != nil {
		return s, &usageError{err.Error()}
	}
	return s, nil
}

// registered is the outcome of a registration.
type registered struct {
	command *model.Command
	created bool
	team    *model.Team
}

// print tells the operator what happened and the line to add.
func (r registered) print(e *env, s registerSettings) {
	c := r.command
	if r.created {
		fmt.Fprintf(e.stdout, "Created /%s in team %q (command %s), calling %s %s.\n", c.Trigger, r.team.Name, c.Id, methodName(c.Method), c.URL)
	} else {
		fmt.Fprintf(e.stdout, "/%s already exists in team %q (command %s); nothing was created.\n", c.Trigger, r.team.Name, c.Id)
		if c.URL != s.commandURL() || c.Method != model.CommandMethodPost {
			fmt.Fprintf(e.stdout, "Note: it calls %s %s, not POST %s; change it in Integrations > Slash Commands, or delete it and run this again.\n",
				methodName(c.Method), c.URL, s.commandURL())
		}
	}
	have := false
	for _, t := range strings.Split(e.getenv(registerCommandTokensName), ",") {
		if strings.TrimSpace(t) == c.Token {
			have = true
		}
	}
	if have {
		fmt.Fprintf(e.stdout, "%s already holds its token.\n", registerCommandTokensName)
	} else {
		fmt.Fprintf(e.stdout, "Add its token to the bot's settings (comma-separated when there are several):\n")
	}
	fmt.Fprintf(e.stdout, "%s=%s\n", registerCommandTokensName, c.Token)
}

// methodName spells out a command's method ("P" is POST, "G" is GET).
func methodName(m string) string {
	switch m {
	case model.CommandMethodPost:
		return "POST"
	case model.CommandMethodGet:
		return "GET"
	}
	return m
}

// registerCommand finds the team, then the command with the trigger, and
// creates it when there is none.
func registerCommand(ctx context.Context, s registerSettings) (registered, error) {
	client := model.NewAPIv4Client(s.serverURL)
	client.SetToken(string(s.token))

	team, resp, err := client.GetTeamByName(ctx, s.team, "")
	if err != nil {
		return registered{}, s.apiError(ctx, fmt.Sprintf("looking up team %q", s.team), err, resp, func(status int, id string) string {
			switch {
			case status == http.StatusNotFound && strings.HasPrefix(id, "app.team.get_by_name"):
				return fmt.Sprintf("team %q not found on %s (give the team's name as in its URL, not its display name)", s.team, s.serverURL)
			case status == http.StatusForbidden:
				return fmt.Sprintf("no permission to see team %q: the account of %s is not a member of it", s.team, s.tokenVar)
			}
			return ""
		})
	}

	// custom_only lists the custom commands this token may manage: all of
	// the team's with manage_others_slash_commands, its own otherwise.
	existing, resp, err := client.ListCommands(ctx, team.Id, true)
	if err != nil {
		return registered{}, s.apiError(ctx, fmt.Sprintf("listing the slash commands of team %q", team.Name), err, resp, s.permission(team))
	}
	for _, c := range existing {
		if strings.EqualFold(c.Trigger, s.trigger) && c.DeleteAt == 0 {
			return registered{command: c, team: team}, nil
		}
	}

	created, resp, err := client.CreateCommand(ctx, &model.Command{
		TeamId:           team.Id,
		Trigger:          s.trigger,
		Method:           model.CommandMethodPost,
		URL:              s.commandURL(),
		DisplayName:      registerDisplayName,
		Description:      registerDescription,
		AutoComplete:     true,
		AutoCompleteDesc: registerAutoCompleteDesc,
		AutoCompleteHint: registerAutoCompleteHint,
	})
	if err != nil {
		return registered{}, s.apiError(ctx, fmt.Sprintf("creating /%s in team %q", s.trigger, team.Name), err, resp, func(status int, id string) string {
			switch {
			case id == "api.command.duplicate_trigger.app_error":
				return fmt.Sprintf("/%s is already taken in team %q by a command %s may not see (a built-in command, or another user's; ask a team admin for its token)",
					s.trigger, team.Name, s.tokenVar)
			case status == http.StatusNotImplemented || id == "api.command.disabled.app_error":
				return "custom slash commands are disabled on this server (System Console > Integrations > Enable Custom Slash Commands, ServiceSettings.EnableCommands)"
			}
			return s.permission(team)(status, id)
		})
	}
	return registered{command: created, created: true, team: team}, nil
}

// permission explains a 403 on the team's commands.
func (s registerSettings) permission(team *model.Team) func(status int, id string) string {
	return func(status int, _ string) string {
		if status != http.StatusForbidden {
			return ""
		}
		return fmt.Sprintf("no permission to manage slash commands in team %q: the account of %s needs manage_slash_commands (use a system or team admin's token in MATTERMOST_ADMIN_TOKEN)",
			team.Name, s.tokenVar)
	}
}

// apiError turns a failed API call into one line. explain may describe a
// status and error ID in the terms of the call; "" falls back to the
// general cases.
func (s registerSettings) apiError(ctx context.Context, what string, err error, resp *model.Response, explain func(status int, id string) string) error {
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	var appErr *model.AppError
	id, msg := "", ""
	if errors.As(err, &appErr) {
		id, msg = appErr.Id, appErr.Message
		if status == 0 {
			status = appErr.StatusCode
		}
	}
	if status == 0 {
		// Nothing came back: the server could not be reached.
		if ctx.Err() != nil {
			return fmt.Errorf("mattermost register: Mattermost at %s did not answer within %s (%s)", s.serverURL, mattermostRegisterTimeout, what)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("mattermost register: Mattermost at %s is unreachable: %v", s.serverURL, err)
	}
	if line := explain(status, id); line != "" {
		return errors.New("mattermost register: " + line)
	}
	switch {
	case status == http.StatusUnauthorized:
		return fmt.Errorf("mattermost register: Mattermost refused the token in %s (401): it is not valid, has expired or was revoked", s.tokenVar)
	case appErr == nil:
		return fmt.Errorf("mattermost register: %s: %s answered HTTP %d, not a Mattermost API error; is MATTERMOST_URL a Mattermost server?", what, s.serverURL, status)
	}
	return fmt.Errorf("mattermost register: %s: Mattermost answered HTTP %d: %s", what, status, msg)
}
