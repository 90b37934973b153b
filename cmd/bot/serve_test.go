package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/server"
)

// runServeWith runs `bot serve` in process with the given platform
// factories in place of the ones built in.
func runServeWith(t *testing.T, ctx context.Context, vars map[string]string, factories map[string]platformFactory) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return vars[k] }, platforms: factories}
	code := e.dispatch(ctx, []string{"serve"})
	return result{code, stdout.String(), stderr.String()}
}

func TestServeRefuses(t *testing.T) {
	db := dbEnv(t)
	none := map[string]platformFactory{}
	tests := []struct {
		name      string
		env       map[string]string
		factories map[string]platformFactory
		code      int
		want      string
	}{
		{"no platform", db, nil, exitUsage, "bot: bot serve needs Slack (SLACK_BOT_TOKEN) or Mattermost (MATTERMOST_URL) settings"},
		{"malformed setting", mergeEnv(db, with(slackEnv(), "SLACK_BOT_TOKEN", "xoxp-secret")), nil, exitUsage, "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"},
		{"bad log level", mergeEnv(db, mergeEnv(slackEnv(), map[string]string{"LOG_LEVEL": "loud"})), nil, exitUsage, "LOG_LEVEL"},
		{"retention period too short", mergeEnv(db, with(slackEnv(), "RETENTION_PERIOD", "12h")), nil, exitUsage, `RETENTION_PERIOD "12h" is under a day`},
		{"slack not built in", mergeEnv(db, slackEnv()), none, exitError, "bot: Slack support is not built into this binary yet"},
		{"mattermost not built in", mergeEnv(db, mattermostEnv()), none, exitError, "bot: Mattermost support is not built into this binary yet"},
		{"adapter fails", mergeEnv(db, mergeEnv(slackEnv(), map[string]string{"LOG_LEVEL": "error"})), map[string]platformFactory{platformSlack: func(context.Context, platformDeps) (server.Platform, delivery.Sender, error) {
			return nil, nil, errors.New("auth.test: invalid_auth")
		}}, exitError, "bot: Slack: auth.test: invalid_auth"},
		{"missing directory file", mergeEnv(db, mergeEnv(slackEnv(), map[string]string{"DIRECTORY_FILE": "/nonexistent.csv"})),
			map[string]platformFactory{platformSlack: fakeFactory(nil)}, exitError, "bot: DIRECTORY_FILE /nonexistent.csv: no such file or directory"},
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests = append(tests, struct {
		name      string
		env       map[string]string
		factories map[string]platformFactory
		code      int
		want      string
	}{"port taken", mergeEnv(db, mergeEnv(slackEnv(), map[string]string{"BOT_LISTEN_ADDR": taken.Addr().String(), "LOG_LEVEL": "error", "DIRECTORY_FILE": sampleCSV})),
		map[string]platformFactory{platformSlack: fakeFactory(nil)}, exitError, "bot: http server: listen on " + taken.Addr().String()})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runServeWith(t, context.Background(), tt.env, tt.factories)
			oneLineError(t, r, tt.code, tt.want)
			for _, s := range []string{testSlackToken, testSigning, testMMToken, testActionKey, "secret"} {
				if strings.Contains(r.stderr, s) {
					t.Errorf("stderr shows a secret: %q", r.stderr)
				}
			}
		})
	}
	// Through main's own path too: the built-in factories, no settings.
	oneLineError(t, runBot(t, db, "", "serve"), exitUsage, "bot serve needs Slack (SLACK_BOT_TOKEN) or Mattermost (MATTERMOST_URL) settings")
}

// fakePlatform is an adapter with one route and a loop of its own.
type fakePlatform struct {
	run func(ctx context.Context) error
}

func (fakePlatform) Name() string { return platformSlack }
func (fakePlatform) Routes() map[string]http.Handler {
	return map[string]http.Handler{"POST /slack/commands": http.NotFoundHandler()}
}
func (p fakePlatform) Run(ctx context.Context) error { return p.run(ctx) }

type senderFunc func(ctx context.Context, m cases.Message) error

func (f senderFunc) Deliver(ctx context.Context, m cases.Message) error { return f(ctx, m) }

// fakeFactory builds a fakePlatform whose loop runs run (nil: wait for ctx)
// and whose sender hands messages to delivered.
func fakeFactory(delivered chan<- cases.Message) platformFactory {
	return func(ctx context.Context, deps platformDeps) (server.Platform, delivery.Sender, error) {
		send := senderFunc(func(_ context.Context, m cases.Message) error {
			delivered <- m
			return nil
		})
		return fakePlatform{run: func(ctx context.Context) error { <-ctx.Done(); return nil }}, send, nil
	}
}

// bot serve wires the store, the directory, the handler, the adapter and
// the delivery worker, and stops cleanly when its context ends.
func TestServeRunsAndStops(t *testing.T) {
	env := mergeEnv(dbEnv(t), mergeEnv(slackEnv(), map[string]string{
		"DIRECTORY_FILE": sampleCSV, "BOT_LISTEN_ADDR": "127.0.0.1:0", "LOG_LEVEL": "debug",
	}))
	delivered := make(chan cases.Message, 10)
	var ben int64
	factory := func(ctx context.Context, deps platformDeps) (server.Platform, delivery.Sender, error) {
		if string(deps.Config.Slack.BotToken) != testSlackToken || deps.Metrics == nil {
			t.Errorf("the adapter did not get its settings: %+v", deps.Config)
		}
		// File a report as a person of the synced directory; its message to
		// the supervisor goes out through the worker and this sender.
		ana, err := deps.People.PersonByEmail(ctx, "ana.lopez@example.gov")
		if err != nil {
			return nil, nil, err
		}
		reply := deps.Handler.Command(ctx, ana, "she posted a picture of a detainee on instagram", nil)
		if !strings.Contains(reply.Text, "CASE-1") {
			t.Errorf("filing: %q", reply.Text)
		}
		ben = ana.SupervisorID
		return fakeFactory(delivered)(ctx, deps)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan result, 1)
	go func() { done <- runServeWith(t, ctx, env, map[string]platformFactory{platformSlack: factory}) }()

	m := <-delivered
	if m.RecipientID != ben || m.Kind != cases.MsgAssigneeCase {
		t.Errorf("delivered %+v, want the case card to the supervisor (%d)", m, ben)
	}
	cancel() // SIGTERM
	r := <-done
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"directory synced", "bot serve starting", "platforms=[slack]", "serving HTTP",
		"message sent", "shutting down HTTP", "delivery stopped", "bot serve stopped",
		"closed cases are kept until RETENTION_PERIOD is set", "retention pass", "retention stopped"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("log lacks %q:\n%s", want, r.stderr)
		}
	}
	for _, s := range []string{testSlackToken, testSigning} {
		if strings.Contains(r.stderr, s) {
			t.Errorf("the log shows a secret:\n%s", r.stderr)
		}
	}
}
