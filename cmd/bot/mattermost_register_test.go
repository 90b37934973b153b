package main

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// fakeMM is the part of the Mattermost REST API that bot mattermost
// register uses: team by name, list and create slash commands.
type fakeMM struct {
	t     *testing.T
	token string // the only token accepted

	mu       sync.Mutex
	teams    map[string]*model.Team // by name
	commands []*model.Command
	created  []*model.Command // bodies of POST /commands
	auth     []string         // Authorization headers seen
	// forbid answers 403 to the routes named ("team", "list", "create").
	forbid map[string]bool
	// createErr, when set, is the AppError ID POST /commands fails with (400).
	createErr string
}

func newFakeMM(t *testing.T) (*fakeMM, *httptest.Server) {
	f := &fakeMM{
		t: t, token: "admintoken",
		teams:  map[string]*model.Team{"ihsc": {Id: model.NewId(), Name: "ihsc", DisplayName: "IHSC"}},
		forbid: map[string]bool{},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeMM) appError(w http.ResponseWriter, status int, id, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(model.AppError{Id: id, Message: msg, StatusCode: status, Where: "fake"})
}

func (f *fakeMM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	// Mattermost reads the scheme without regard to case (Client4 sends "BEARER").
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || token != f.token {
		f.appError(w, http.StatusUnauthorized, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
		return
	}
	forbidden := func(route string) bool {
		if f.forbid[route] {
			f.appError(w, http.StatusForbidden, "api.context.permissions.app_error", "You do not have the appropriate permissions.")
			return true
		}
		return false
	}
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v4/teams/name/"):
		if forbidden("team") {
			return
		}
		team := f.teams[strings.TrimPrefix(r.URL.Path, "/api/v4/teams/name/")]
		if team == nil {
			f.appError(w, http.StatusNotFound, "app.team.get_by_name.missing.app_error", "No team with that name exists")
			return
		}
		json.NewEncoder(w).Encode(team)
	case r.Method == http.MethodGet && r.URL.Path == "/api/v4/commands":
		if forbidden("list") {
			return
		}
		if r.URL.Query().Get("custom_only") != "true" {
			f.t.Errorf("list commands without custom_only=true: %s", r.URL.RawQuery)
		}
		out := []*model.Command{}
		for _, c := range f.commands {
			if c.TeamId == r.URL.Query().Get("team_id") {
				out = append(out, c)
			}
		}
		json.NewEncoder(w).Encode(out)
	case r.Method == http.MethodPost && r.URL.Path == "/api/v4/commands":
		var c model.Command
		if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
			f.appError(w, http.StatusBadRequest, "api.context.invalid_param.app_error", "bad body")
			return
		}
		cp := c
		f.created = append(f.created, &cp)
		if forbidden("create") {
			return
		}
		if f.createErr != "" {
			status := http.StatusBadRequest
			if f.createErr == "api.command.disabled.app_error" {
				status = http.StatusNotImplemented
			}
			f.appError(w, status, f.createErr, "refused")
			return
		}
		c.Id, c.Token, c.CreatorId = model.NewId(), model.NewId(), model.NewId()
		c.CreateAt, c.UpdateAt = model.GetMillis(), model.GetMillis()
		f.commands = append(f.commands, &c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	default:
		f.appError(w, http.StatusNotFound, "api.context.404.app_error", "Sorry, we could not find the page.")
	}
}

func registerEnv(url string) map[string]string {
	return map[string]string{
		"MATTERMOST_URL":         url,
		"MATTERMOST_ADMIN_TOKEN": "admintoken",
		"MATTERMOST_BOT_TOKEN":   "bottoken",
		"BOT_PUBLIC_URL":         "https://bot.example.gov/",
	}
}

// tokenLine is the MATTERMOST_COMMAND_TOKENS=… line of the output.
func tokenLine(t *testing.T, stdout string) string {
	t.Helper()
	for line := range strings.Lines(stdout) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "MATTERMOST_COMMAND_TOKENS="); ok {
			return v
		}
	}
	t.Fatalf("no MATTERMOST_COMMAND_TOKENS= line in:\n%s", stdout)
	return ""
}

func TestMattermostRegisterCreates(t *testing.T) {
	f, srv := newFakeMM(t)
	r := runBot(t, registerEnv(srv.URL), "", "mattermost", "register", "--team", "ihsc")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if len(f.created) != 1 {
		t.Fatalf("%d commands created, want 1", len(f.created))
	}
	c := f.created[0]
	if c.TeamId != f.teams["ihsc"].Id || c.Trigger != "report" || c.Method != model.CommandMethodPost ||
		c.URL != "https://bot.example.gov/mattermost/commands" || !c.AutoComplete ||
		c.AutoCompleteDesc == "" || c.AutoCompleteHint == "" || c.DisplayName == "" || c.Description == "" {
		t.Errorf("command created as %+v", c)
	}
	if len(c.Description) > 128 || len(c.DisplayName) > 64 {
		t.Errorf("description %d bytes, display name %d: over Mattermost's limits", len(c.Description), len(c.DisplayName))
	}
	if got := tokenLine(t, r.stdout); got != f.commands[0].Token {
		t.Errorf("printed token %q, want %q", got, f.commands[0].Token)
	}
	if !strings.Contains(r.stdout, `Created /report in team "ihsc" (command `+f.commands[0].Id+`), calling POST https://bot.example.gov/mattermost/commands.`) {
		t.Errorf("stdout does not say it created the command:\n%s", r.stdout)
	}
	for _, a := range f.auth {
		if !strings.HasSuffix(a, " admintoken") {
			t.Errorf("request sent with %q: MATTERMOST_ADMIN_TOKEN should win over MATTERMOST_BOT_TOKEN", a)
		}
	}

	// Again: nothing new, the same token.
	env := registerEnv(srv.URL)
	env["MATTERMOST_COMMAND_TOKENS"] = "other, " + f.commands[0].Token
	r = runBot(t, env, "", "mattermost", "register", "--team", "IHSC")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("second run: exit %d, stderr %q", r.code, r.stderr)
	}
	if len(f.created) != 1 {
		t.Errorf("second run created another command (%d in all)", len(f.created))
	}
	if got := tokenLine(t, r.stdout); got != f.commands[0].Token {
		t.Errorf("second run printed %q, want the existing token", got)
	}
	for _, w := range []string{"already exists", "nothing was created", "MATTERMOST_COMMAND_TOKENS already holds its token"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("second run does not say %q:\n%s", w, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Note:") {
		t.Errorf("same URL, yet a note:\n%s", r.stdout)
	}
}

func TestMattermostRegisterExisting(t *testing.T) {
	f, srv := newFakeMM(t)
	existing := &model.Command{Id: model.NewId(), Token: model.NewId(), TeamId: f.teams["ihsc"].Id, Trigger: "report",
		Method: model.CommandMethodPost, URL: "https://old.example.gov/mattermost/commands"}
	f.commands = append(f.commands, &model.Command{Id: model.NewId(), Token: model.NewId(), TeamId: f.teams["ihsc"].Id, Trigger: "weather",
		Method: model.CommandMethodPost, URL: "https://weather.example.gov/"}, existing)
	env := registerEnv(srv.URL)
	env["BOT_PUBLIC_URL"] = "https://env.example.gov"
	r := runBot(t, env, "", "mattermost", "register", "--team", "ihsc", "--trigger", "/Report", "--url", "https://bot.example.gov")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if len(f.created) != 0 {
		t.Errorf("created %d commands beside the existing one", len(f.created))
	}
	if got := tokenLine(t, r.stdout); got != existing.Token {
		t.Errorf("printed %q, want the existing command's token", got)
	}
	for _, w := range []string{"/report already exists", "Note: it calls POST https://old.example.gov/mattermost/commands, not POST https://bot.example.gov/mattermost/commands",
		"Add its token"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
}

func TestMattermostRegisterOtherTrigger(t *testing.T) {
	f, srv := newFakeMM(t)
	f.commands = append(f.commands, &model.Command{Id: model.NewId(), Token: model.NewId(), TeamId: f.teams["ihsc"].Id, Trigger: "report",
		Method: model.CommandMethodPost, URL: "https://bot.example.gov/mattermost/commands"})
	r := runBot(t, registerEnv(srv.URL), "", "mattermost", "register", "--team", "ihsc", "--trigger", "report-test")
	if r.code != 0 || len(f.created) != 1 || f.created[0].Trigger != "report-test" {
		t.Fatalf("exit %d, stderr %q, created %v", r.code, r.stderr, f.created)
	}
}

func TestMattermostRegisterBotTokenFallback(t *testing.T) {
	f, srv := newFakeMM(t)
	f.token = "bottoken"
	env := registerEnv(srv.URL)
	delete(env, "MATTERMOST_ADMIN_TOKEN")
	r := runBot(t, env, "", "mattermost", "register", "--team", "ihsc")
	if r.code != 0 || len(f.created) != 1 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestMattermostRegisterErrors(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *fakeMM)
		env    func(env map[string]string)
		args   []string
		code   int
		want   string
		create int // POST /commands requests expected
	}{
		{name: "team not found", args: []string{"--team", "nope"}, code: exitError,
			want: `team "nope" not found on http://127.0.0.1:`},
		{name: "team forbidden", setup: func(f *fakeMM) { f.forbid["team"] = true }, code: exitError,
			want: `no permission to see team "ihsc": the account of MATTERMOST_ADMIN_TOKEN is not a member of it`},
		{name: "list forbidden", setup: func(f *fakeMM) { f.forbid["list"] = true }, code: exitError,
			want: `no permission to manage slash commands in team "ihsc": the account of MATTERMOST_ADMIN_TOKEN needs manage_slash_commands`},
		{name: "create forbidden", setup: func(f *fakeMM) { f.forbid["create"] = true }, code: exitError, create: 1,
			want: `no permission to manage slash commands in team "ihsc"`},
		{name: "bot token forbidden", setup: func(f *fakeMM) { f.token = "bottoken"; f.forbid["list"] = true },
			env: func(env map[string]string) { delete(env, "MATTERMOST_ADMIN_TOKEN") }, code: exitError,
			want: "the account of MATTERMOST_BOT_TOKEN needs manage_slash_commands (use a system or team admin's token in MATTERMOST_ADMIN_TOKEN)"},
		{name: "bad token", setup: func(f *fakeMM) { f.token = "other" }, code: exitError,
			want: "Mattermost refused the token in MATTERMOST_ADMIN_TOKEN (401)"},
		{name: "trigger taken", setup: func(f *fakeMM) { f.createErr = "api.command.duplicate_trigger.app_error" }, code: exitError, create: 1,
			want: `/report is already taken in team "ihsc" by a command MATTERMOST_ADMIN_TOKEN may not see`},
		{name: "commands disabled", setup: func(f *fakeMM) { f.createErr = "api.command.disabled.app_error" }, code: exitError, create: 1,
			want: "custom slash commands are disabled on this server"},
		{name: "other refusal", setup: func(f *fakeMM) { f.createErr = "model.command.is_valid.url.app_error" }, code: exitError, create: 1,
			want: `creating /report in team "ihsc": Mattermost answered HTTP 400: refused`},
		{name: "no team", args: []string{}, code: exitUsage, want: "--team NAME is required"},
		{name: "bad trigger", args: []string{"--team", "ihsc", "--trigger", "re port"}, code: exitUsage, want: `--trigger "re port" must be`},
		{name: "empty trigger", args: []string{"--team", "ihsc", "--trigger", "/"}, code: exitUsage, want: `--trigger "/" must be`},
		{name: "no server", env: func(env map[string]string) { delete(env, "MATTERMOST_URL") }, code: exitUsage, want: "MATTERMOST_URL is required"},
		{name: "bad server", env: func(env map[string]string) { env["MATTERMOST_URL"] = "ftp://x" }, code: exitUsage,
			want: `MATTERMOST_URL "ftp://x" is not an http:// or https:// URL`},
		{name: "no token", env: func(env map[string]string) {
			delete(env, "MATTERMOST_ADMIN_TOKEN")
			delete(env, "MATTERMOST_BOT_TOKEN")
		},
			code: exitUsage, want: "MATTERMOST_ADMIN_TOKEN is required"},
		{name: "no public url", env: func(env map[string]string) { delete(env, "BOT_PUBLIC_URL") }, code: exitUsage,
			want: "--url or BOT_PUBLIC_URL is required"},
		{name: "bad url flag", args: []string{"--team", "ihsc", "--url", "bot.example.gov"}, code: exitUsage,
			want: `--url "bot.example.gov" is not an http:// or https:// URL`},
		{name: "stray argument", args: []string{"--team", "ihsc", "extra"}, code: exitUsage, want: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFakeMM(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			env := registerEnv(srv.URL)
			if tt.env != nil {
				tt.env(env)
			}
			args := tt.args
			if args == nil {
				args = []string{"--team", "ihsc"}
			}
			r := runBot(t, env, "", append([]string{"mattermost", "register"}, args...)...)
			oneLineError(t, r, tt.code, tt.want)
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if len(f.created) != tt.create {
				t.Errorf("%d create requests, want %d", len(f.created), tt.create)
			}
			for _, secret := range []string{"admintoken", "bottoken"} {
				if strings.Contains(r.stderr, secret) {
					t.Errorf("stderr shows a token: %q", r.stderr)
				}
			}
		})
	}
}

func TestMattermostRegisterUnreachable(t *testing.T) {
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := runBot(t, registerEnv("http://"+addr), "", "mattermost", "register", "--team", "ihsc")
	oneLineError(t, r, exitError, "Mattermost at http://"+addr+" is unreachable: dial tcp "+addr)
	if !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("stderr %q does not say why", r.stderr)
	}
}

func TestMattermostRegisterNotMattermost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>not here</html>", http.StatusNotFound)
	}))
	defer srv.Close()
	r := runBot(t, registerEnv(srv.URL), "", "mattermost", "register", "--team", "ihsc")
	oneLineError(t, r, exitError, "answered HTTP 404, not a Mattermost API error; is MATTERMOST_URL a Mattermost server?")
}

func TestMattermostToolsUsage(t *testing.T) {
	r := runBot(t, nil, "", "--help")
	if !strings.Contains(r.stdout, "  mattermost ") {
		t.Errorf("bot --help does not list mattermost:\n%s", r.stdout)
	}
	for _, args := range [][]string{{"mattermost", "--help"}, {"help", "mattermost"}} {
		r = runBot(t, map[string]string{"LOG_LEVEL": "bogus"}, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "register") {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	r = runBot(t, nil, "", "mattermost", "register", "--help")
	for _, w := range []string{"Usage: bot mattermost register", "--team", "--trigger", "--url", "MATTERMOST_ADMIN_TOKEN", "manage_slash_commands", "MATTERMOST_COMMAND_TOKENS"} {
		if r.code != 0 || !strings.Contains(r.stdout, w) {
			t.Errorf("register --help lacks %q (exit %d)", w, r.code)
		}
	}
	oneLineError(t, runBot(t, nil, "", "mattermost"), exitUsage, "use 'bot mattermost register --team NAME'")
	oneLineError(t, runBot(t, nil, "", "mattermost", "unregister"), exitUsage, `unknown subcommand "unregister"`)
}
