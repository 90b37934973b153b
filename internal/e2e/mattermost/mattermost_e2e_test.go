//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// password is every test account's password (Mattermost's default policy).
const password = "E2e-Passw0rd!"

// person is a test user, in Mattermost and in the bot's directory.
type person struct {
	username, email, first, last, supervisor, unit, roles string
	user                                                  *model.User
	client                                                *model.Client4
}

// The report filed in the test, as Ana types it.
const (
	reportLink = "https://example.com/p/1"
	reportText = "/report " + reportLink + " she posted a picture of a detainee on instagram"
)

func testTimeout(t *testing.T) time.Duration {
	if v := os.Getenv("E2E_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("E2E_TIMEOUT %q is not a duration", v)
		}
		return d
	}
	return 5 * time.Minute
}

// TestMattermost files a report as Ana through a real Mattermost server,
// sees the bot's case card reach her supervisor Ben, acknowledges and
// resolves it as Ben through Mattermost (button, then the dialog the
// Resolve button opens), and checks the case is resolved in the bot's
// database and as compliance (Carla) sees it.
func TestMattermost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout(t))
	defer cancel()
	began := time.Now()
	root := repoRoot(t)
	logDir := t.TempDir()
	var (
		procsMu sync.Mutex
		procs   []*proc
	)
	dumpOnFailure(t, &procs, &procsMu)
	track := func(p *proc) *proc {
		procsMu.Lock()
		defer procsMu.Unlock()
		procs = append(procs, p)
		return p
	}

	// --- databases and binaries ---------------------------------------------
	pg := openPostgres(t, ctx)
	suffix := randomHex(t, 4)
	mmDB := pg.create(t, ctx, "rb_e2e_mm_"+suffix)
	botDB := pg.create(t, ctx, "rb_e2e_bot_"+suffix)
	botBin := buildBot(t, ctx, root, t.TempDir())

	// --- Mattermost -----------------------------------------------------------
	mm := startMattermost(t, ctx, root, mmDB, logDir)
	track(mm.proc)

	admin := model.NewAPIv4Client(mm.URL)
	// The first account becomes the system admin.
	must(t, "create the first user", func() error {
		_, _, err := admin.CreateUser(ctx, &model.User{Email: "admin@example.gov", Username: "sysadmin", Password: password})
		return err
	})
	must(t, "log in as the admin", func() error { _, _, err := admin.Login(ctx, "sysadmin", password); return err })
	var team *model.Team
	must(t, "create the team", func() (err error) {
		team, _, err = admin.CreateTeam(ctx, &model.Team{Name: "ihsc", DisplayName: "IHSC", Type: model.TeamOpen})
		return err
	})

	people := []*person{
		{username: "ana.lopez", email: "ana.lopez@example.gov", first: "Ana", last: "Lopez", supervisor: "ben.okafor@example.gov", unit: "Krome Clinic"},
		{username: "ben.okafor", email: "ben.okafor@example.gov", first: "Ben", last: "Okafor", supervisor: "carla.diaz@example.gov", unit: "Krome Clinic"},
		{username: "carla.diaz", email: "carla.diaz@example.gov", first: "Carla", last: "Diaz", unit: "IHSC HQ", roles: "compliance"},
	}
	ana, ben, carla := people[0], people[1], people[2]
	for _, p := range people {
		must(t, "create "+p.username, func() (err error) {
			p.user, _, err = admin.CreateUser(ctx, &model.User{Email: p.email, Username: p.username, Password: password, FirstName: p.first, LastName: p.last})
			return err
		})
		must(t, "add "+p.username+" to the team", func() error { _, _, err := admin.AddTeamMember(ctx, team.Id, p.user.Id); return err })
		p.client = model.NewAPIv4Client(mm.URL)
		must(t, "log in as "+p.username, func() error { _, _, err := p.client.Login(ctx, p.username, password); return err })
	}

	var bot *model.Bot
	var botToken *model.UserAccessToken
	must(t, "create the bot account", func() (err error) {
		bot, _, err = admin.CreateBot(ctx, &model.Bot{Username: "reportbot", DisplayName: "reportbot", Description: "IHSC Directive 01-22 reporting"})
		return err
	})
	must(t, "create the bot's access token", func() (err error) {
		botToken, _, err = admin.CreateUserAccessToken(ctx, bot.UserId, "reportbot e2e", 0)
		return err
	})
	must(t, "add the bot to the team", func() error { _, _, err := admin.AddTeamMember(ctx, team.Id, bot.UserId); return err })

	var townSquare *model.Channel
	must(t, "find town-square", func() (err error) {
		townSquare, _, err = admin.GetChannelByName(ctx, "town-square", team.Id, "")
		return err
	})

	// --- the bot ----------------------------------------------------------------
	dir := t.TempDir()
	directory := filepath.Join(dir, "directory.csv")
	var csv strings.Builder
	csv.WriteString("email,name,supervisor_email,unit,roles,mattermost_user_id\n")
	for _, p := range people {
		fmt.Fprintf(&csv, "%s,%s %s,%s,%s,%s,%s\n", p.email, p.first, p.last, p.supervisor, p.unit, p.roles, p.user.Id)
	}
	if err := os.WriteFile(directory, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	botPort := freePort(t)
	publicURL := fmt.Sprintf("http://127.0.0.1:%d", botPort)

	// The slash command, registered by the bot's own set-up command with
	// the admin's session token: the bot account may not manage commands.
	refused := runFailing(t, ctx, dir, cleanEnv("MATTERMOST_URL="+mm.URL, "MATTERMOST_BOT_TOKEN="+botToken.Token, "BOT_PUBLIC_URL="+publicURL),
		botBin, "mattermost", "register", "--team", team.Name)
	t.Logf("bot mattermost register with the bot's token: %s", strings.TrimSpace(refused))
	if !strings.Contains(refused, "no permission to manage slash commands") || strings.Count(refused, "\n") != 1 {
		t.Errorf("bot mattermost register with the bot's token: %q; want one line saying it may not manage slash commands", refused)
	}
	registerEnv := cleanEnv("MATTERMOST_URL="+mm.URL, "MATTERMOST_ADMIN_TOKEN="+admin.AuthToken, "BOT_PUBLIC_URL="+publicURL)
	out := run(t, ctx, dir, registerEnv, botBin, "mattermost", "register", "--team", team.Name)
	commandToken := commandTokenLine(t, out)
	t.Logf("bot mattermost register:\n%s", strings.ReplaceAll(out, commandToken, "[token]"))
	again := run(t, ctx, dir, registerEnv, botBin, "mattermost", "register", "--team", team.Name)
	if commandTokenLine(t, again) != commandToken || !strings.Contains(again, "already exists") {
		t.Errorf("a second bot mattermost register did not find the command it made:\n%s", strings.ReplaceAll(again, commandToken, "[token]"))
	}
	var commandsNow []*model.Command
	must(t, "list the team's commands", func() (err error) {
		commandsNow, _, err = admin.ListCommands(ctx, team.Id, true)
		return err
	})
	if len(commandsNow) != 1 || commandsNow[0].Trigger != "report" || commandsNow[0].URL != publicURL+"/mattermost/commands" {
		t.Errorf("the team's custom commands after two registrations: %s", describeCommands(commandsNow))
	}

	serveEnv := cleanEnv(
		"MATTERMOST_URL="+mm.URL,
		"MATTERMOST_BOT_TOKEN="+botToken.Token,
		"MATTERMOST_COMMAND_TOKENS="+commandToken,
		"BOT_PUBLIC_URL="+publicURL,
		"BOT_ACTION_SECRET="+randomHex(t, 32),
		fmt.Sprintf("BOT_LISTEN_ADDR=127.0.0.1:%d", botPort),
		"DATABASE_URL="+botDB,
		"DIRECTORY_FILE="+directory,
		"LOG_LEVEL=debug",
	)
	serve := track(start(t, "bot-serve", dir, logDir, serveEnv, botBin, "serve"))
	waitBot(t, ctx, serve, publicURL+"/readyz")

	// Ben's websocket: the dialog the Resolve button opens is sent to his
	// clients as an open_dialog event, as the web app receives it.
	dialogs := listen(t, mm.WSURL, ben.client.AuthToken)

	// --- Ana files the report -----------------------------------------------
	var answer *model.CommandResponse
	must(t, "run /report as Ana", func() (err error) {
		answer, _, err = ana.client.ExecuteCommand(ctx, townSquare.Id, reportText)
		return err
	})
	t.Logf("Ana sees: %q", answer.Text)
	if answer.ResponseType != model.CommandResponseTypeEphemeral || !strings.Contains(answer.Text, "CASE-1") {
		t.Fatalf("the answer to Ana's /report is not a private reply naming CASE-1: %+v", answer)
	}

	// --- Ben gets the card and acknowledges -----------------------------------
	var benDM *model.Channel
	must(t, "open Ben's DM with the bot", func() (err error) {
		benDM, _, err = ben.client.CreateDirectChannel(ctx, ben.user.Id, bot.UserId)
		return err
	})
	var card *model.Post
	poll(t, ctx, "the case card in Ben's DM", deliverWithin, func() (bool, error) {
		if serve.exited() {
			t.Fatalf("bot serve exited (%v)", serve.err)
		}
		list, _, err := ben.client.GetPostsForChannel(ctx, benDM.Id, 0, 30, "", false, false)
		if err != nil {
			return false, err
		}
		for _, id := range list.Order {
			p := list.Posts[id]
			if p.UserId == bot.UserId && findAction(p, "acknowledge") != nil {
				card = p
				return true, nil
			}
		}
		return false, fmt.Errorf("%d posts, none from the bot with an Acknowledge button", len(list.Order))
	})
	t.Logf("Ben's card: %q, actions %s", card.Message, describeActions(card))
	if !strings.Contains(card.Message+attachmentText(card), "CASE-1") {
		t.Errorf("the card does not name CASE-1: %q %s", card.Message, attachmentText(card))
	}

	press(t, ctx, ben.client, card, "acknowledge")
	poll(t, ctx, "the card updated to acknowledged", 15*time.Second, func() (bool, error) {
		p, _, err := ben.client.GetPost(ctx, card.Id, "")
		if err != nil {
			return false, err
		}
		card = p
		if findAction(p, "acknowledge") == nil && findAction(p, "resolve") != nil {
			return true, nil
		}
		return false, fmt.Errorf("actions %s", describeActions(p))
	})

	// --- Ben resolves: the button opens a dialog, Ben submits it -------------
	press(t, ctx, ben.client, card, "resolve")
	var dialog model.OpenDialogRequest
	select {
	case dialog = <-dialogs:
	case <-time.After(15 * time.Second):
		t.Fatalf("pressing Resolve opened no dialog on Ben's websocket within 15s")
	case <-ctx.Done():
		t.Fatalf("pressing Resolve opened no dialog before the test's deadline")
	}
	t.Logf("dialog %q (callback %q) posting to %s, elements %s", dialog.Dialog.Title, dialog.Dialog.CallbackId, dialog.URL, describeElements(dialog.Dialog.Elements))
	if dialog.URL != publicURL+"/mattermost/dialogs" {
		t.Errorf("the dialog posts to %q, want %s/mattermost/dialogs", dialog.URL, publicURL)
	}
	submission := fill(t, dialog.Dialog.Elements, map[string]string{
		"outcome": "violation_confirmed",
		"note":    "Post removed; counselled.",
	})
	var submitted *model.SubmitDialogResponse
	must(t, "submit the Resolve dialog as Ben", func() (err error) {
		submitted, _, err = ben.client.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{
			URL: dialog.URL, CallbackId: dialog.Dialog.CallbackId, State: dialog.Dialog.State,
			ChannelId: benDM.Id, TeamId: team.Id, Submission: submission,
		})
		return err
	})
	if len(submitted.Errors) > 0 || submitted.Error != "" {
		t.Fatalf("the Resolve dialog was refused: %q %v", submitted.Error, submitted.Errors)
	}

	// --- the case is resolved -------------------------------------------------
	summaryEnv := cleanEnv("DATABASE_URL=" + botDB)
	var sum struct {
		Total     int            `json:"total"`
		ByStatus  map[string]int `json:"by_status"`
		ByOutcome map[string]int `json:"by_outcome"`
	}
	poll(t, ctx, "bot summary showing CASE-1 resolved", 30*time.Second, func() (bool, error) {
		out := run(t, ctx, dir, summaryEnv, botBin, "summary", "--format", "json")
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatalf("bot summary --format json: %v: %q", err, out)
		}
		if sum.Total == 1 && sum.ByStatus["resolved"] == 1 {
			return true, nil
		}
		return false, fmt.Errorf("summary %s", strings.TrimSpace(out))
	})
	if sum.ByOutcome["violation_confirmed"] != 1 {
		t.Errorf("outcomes %v, want violation_confirmed: 1", sum.ByOutcome)
	}

	var carlaSees *model.CommandResponse
	must(t, "run /report case CASE-1 as Carla", func() (err error) {
		carlaSees, _, err = carla.client.ExecuteCommand(ctx, townSquare.Id, "/report case CASE-1")
		return err
	})
	t.Logf("Carla sees: %q", carlaSees.Text)
	if !strings.Contains(carlaSees.Text, "CASE-1") || !strings.Contains(strings.ToLower(carlaSees.Text), "resolved") {
		t.Errorf("/report case CASE-1 as Carla does not show it resolved: %q", carlaSees.Text)
	}

	// The reporter is told the outcome in her DM with the bot.
	var anaDM *model.Channel
	must(t, "open Ana's DM with the bot", func() (err error) {
		anaDM, _, err = ana.client.CreateDirectChannel(ctx, ana.user.Id, bot.UserId)
		return err
	})
	poll(t, ctx, "the outcome in Ana's DM", deliverWithin, func() (bool, error) {
		list, _, err := ana.client.GetPostsForChannel(ctx, anaDM.Id, 0, 30, "", false, false)
		if err != nil {
			return false, err
		}
		var seen []string
		for _, id := range list.Order {
			p := list.Posts[id]
			if p.UserId == bot.UserId && strings.Contains(p.Message, "CASE-1") && strings.Contains(p.Message, "resolved") {
				return true, nil
			}
			seen = append(seen, fmt.Sprintf("%q", p.Message))
		}
		return false, fmt.Errorf("posts: %s", strings.Join(seen, ", "))
	})

	// Stop the bot as an operator would; it must exit cleanly.
	serve.stop(t)
	if serve.err != nil {
		t.Errorf("bot serve stopped with %v", serve.err)
	}
	t.Logf("end to end in %s (after the server build)", time.Since(began).Round(time.Millisecond))
}

// must runs one step and stops the test when it fails.
func must(t *testing.T, what string, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitBot waits for bot serve to be ready; when it exits instead, the
// reason is its last line, and refusing Mattermost is named as such.
func waitBot(t *testing.T, ctx context.Context, p *proc, readyURL string) {
	t.Helper()
	// A quick look first: a refused configuration ends the process at once.
	deadline := time.Now().Add(startTimeout)
	for !p.exited() && time.Now().Before(deadline) {
		if ok := get200(readyURL); ok {
			return
		}
		select {
		case <-p.done:
		case <-time.After(pollEvery):
		case <-ctx.Done():
			t.Fatalf("bot serve not ready before the test's deadline:\n%s", p.tail(20))
		}
	}
	if p.exited() {
		last := lastLine(p.tail(20))
		if strings.Contains(last, "not built into this binary") || strings.Contains(strings.ToLower(last), "mattermost") {
			t.Fatalf("bot serve refuses Mattermost (%v): %s", p.err, last)
		}
		t.Fatalf("bot serve exited before it was ready (%v): %s\n%s", p.err, last, p.tail(20))
	}
	t.Fatalf("bot serve did not answer %s within %s:\n%s", readyURL, startTimeout, p.tail(20))
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// listen connects a websocket as the token's user and returns the dialogs
// opened for them. Everything else the server sends is drained; ephemeral
// messages are logged, as the person would see them.
func listen(t *testing.T, wsURL, token string) <-chan model.OpenDialogRequest {
	t.Helper()
	ws, err := model.NewWebSocketClient4(wsURL, token)
	if err != nil {
		t.Fatalf("websocket: %v", err)
	}
	go ws.Listen()
	out := make(chan model.OpenDialogRequest, 4)
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev := range ws.EventChannel {
			switch ev.EventType() {
			case model.WebsocketEventOpenDialog:
				var req model.OpenDialogRequest
				raw, _ := ev.GetData()["dialog"].(string)
				if err := json.Unmarshal([]byte(raw), &req); err != nil {
					t.Errorf("open_dialog event with a dialog that is not JSON: %v", err)
					continue
				}
				select {
				case out <- req:
				default:
				}
			case model.WebsocketEventEphemeralMessage:
				if raw, ok := ev.GetData()["post"].(string); ok {
					var p model.Post
					if json.Unmarshal([]byte(raw), &p) == nil {
						t.Logf("ephemeral to Ben: %q", p.Message)
					}
				}
			}
		}
	})
	wg.Go(func() {
		for range ws.ResponseChannel {
		}
	})
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-ws.PingTimeoutChannel:
			case <-stop:
				return
			}
		}
	})
	t.Cleanup(func() {
		close(stop)
		ws.Close() // Listen closes the event and response channels when its reader ends
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("the websocket reader did not stop")
		}
	})
	return out
}

// findAction is the button on a post's attachments with that ID or name.
func findAction(p *model.Post, name string) *model.PostAction {
	for _, a := range p.Attachments() {
		for _, act := range a.Actions {
			if strings.EqualFold(act.Id, name) || strings.EqualFold(act.Name, name) {
				return act
			}
		}
	}
	return nil
}

// press clicks a button as the client's user.
func press(t *testing.T, ctx context.Context, c *model.Client4, p *model.Post, name string) {
	t.Helper()
	act := findAction(p, name)
	if act == nil {
		t.Fatalf("the card has no %s button: %s", name, describeActions(p))
	}
	must(t, "press "+name, func() error { _, err := c.DoPostAction(ctx, p.Id, act.Id); return err })
}

// fill answers a dialog's elements: the wanted value by element name (a
// select takes it when it is one of its options), else a select's first
// option and a sentence for text.
func fill(t *testing.T, elements []model.DialogElement, want map[string]string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, e := range elements {
		v, ok := want[e.Name]
		switch e.Type {
		case "select", "radio":
			if e.DataSource != "" {
				if !e.Optional {
					t.Fatalf("dialog element %q needs a %s pick this test does not make", e.Name, e.DataSource)
				}
				continue
			}
			found := false
			for _, o := range e.Options {
				found = found || o.Value == v
			}
			if !ok || !found {
				if len(e.Options) == 0 {
					t.Fatalf("dialog select %q has no options", e.Name)
				}
				if ok {
					t.Errorf("dialog select %q has no option %q; picking %q", e.Name, v, e.Options[0].Value)
				}
				v = e.Options[0].Value
			}
		case "bool":
			out[e.Name] = true
			continue
		default:
			if !ok {
				v = "Done in the end-to-end test."
			}
		}
		out[e.Name] = v
	}
	for name := range want {
		if _, ok := out[name]; !ok {
			t.Errorf("the dialog has no %q element: %s", name, describeElements(elements))
		}
	}
	return out
}

func attachmentText(p *model.Post) string {
	var b strings.Builder
	for _, a := range p.Attachments() {
		b.WriteString(a.Title + " " + a.Text + " " + a.Fallback)
		for _, f := range a.Fields {
			fmt.Fprintf(&b, " %s: %v", f.Title, f.Value)
		}
	}
	return b.String()
}

func describeActions(p *model.Post) string {
	var names []string
	for _, a := range p.Attachments() {
		for _, act := range a.Actions {
			names = append(names, act.Id+"="+act.Name)
		}
	}
	return "[" + strings.Join(names, " ") + "]"
}

func describeElements(es []model.DialogElement) string {
	var names []string
	for _, e := range es {
		names = append(names, e.Name+":"+e.Type)
	}
	return "[" + strings.Join(names, " ") + "]"
}

func describeCommands(cs []*model.Command) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("/%s → %s %s", c.Trigger, c.Method, c.URL))
	}
	return fmt.Sprintf("%d: [%s]", len(cs), strings.Join(out, "; "))
}

// commandTokenLine is the token bot mattermost register printed.
func commandTokenLine(t *testing.T, out string) string {
	t.Helper()
	for line := range strings.Lines(out) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "MATTERMOST_COMMAND_TOKENS="); ok && v != "" {
			return v
		}
	}
	t.Fatalf("bot mattermost register printed no MATTERMOST_COMMAND_TOKENS= line:\n%s", out)
	return ""
}
