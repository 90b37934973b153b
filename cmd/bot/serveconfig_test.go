package main

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	testSlackToken = "xoxb-1-secret-bot"
	testSigning    = "8f742231b10e8888abcd99yyyzzz85a5"
	testAppToken   = "xapp-1-secret-app"
	testMMToken    = "mm-secret-bot-token"
	testActionKey  = "0123456789abcdef0123456789abcdef" // 32 bytes
	testMMChannel  = "w7c2p9xk4nbz6tq1hjr8fmy3ga"
)

// slackEnv and mattermostEnv are complete settings of each platform.
func slackEnv() map[string]string {
	return map[string]string{"SLACK_BOT_TOKEN": testSlackToken, "SLACK_SIGNING_SECRET": testSigning}
}

func mattermostEnv() map[string]string {
	return map[string]string{
		"MATTERMOST_URL": "https://chat.example.gov/", "MATTERMOST_BOT_TOKEN": testMMToken,
		"MATTERMOST_COMMAND_TOKENS": "tok-secret-1, tok-secret-2,", "BOT_PUBLIC_URL": "https://bot.example.gov/hooks/",
		"BOT_ACTION_SECRET": testActionKey,
	}
}

// with copies env with changes; an empty value unsets.
func with(env map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func TestParseServeConfig(t *testing.T) {
	both := with(slackEnv(), "MATTERMOST_URL", "https://chat.example.gov", "MATTERMOST_BOT_TOKEN", testMMToken,
		"MATTERMOST_COMMAND_TOKENS", "tok-secret-1", "BOT_PUBLIC_URL", "http://10.0.0.5:8080", "BOT_ACTION_SECRET", testActionKey)
	tests := []struct {
		name string
		env  map[string]string
		want serveConfig
	}{
		{"slack over HTTP, defaults", slackEnv(), serveConfig{Addr: ":8080",
			Slack: &slackConfig{BotToken: testSlackToken, SigningSecret: testSigning}}},
		{"slack socket mode needs no signing secret", with(slackEnv(), "SLACK_SIGNING_SECRET", "", "SLACK_APP_TOKEN", testAppToken),
			serveConfig{Addr: ":8080", Slack: &slackConfig{BotToken: testSlackToken, AppToken: testAppToken}}},
		{"slack API URL gets its trailing slash", with(slackEnv(), "SLACK_API_URL", "http://127.0.0.1:9999/api"),
			serveConfig{Addr: ":8080", Slack: &slackConfig{BotToken: testSlackToken, SigningSecret: testSigning, APIURL: "http://127.0.0.1:9999/api/"}}},
		{"mattermost", mattermostEnv(), serveConfig{Addr: ":8080", Mattermost: &mattermostConfig{
			URL: "https://chat.example.gov", BotToken: testMMToken, CommandTokens: []secret{"tok-secret-1", "tok-secret-2"},
			PublicURL: "https://bot.example.gov/hooks", ActionSecret: testActionKey}}},
		{"both, with the other settings", with(both, "BOT_LISTEN_ADDR", " 127.0.0.1:9000 ", "DIRECTORY_FILE", "dir.csv",
			"RULEBOOK_FILE", "rules.yaml", "COMPLIANCE_CHANNEL", "mattermost:"+testMMChannel),
			serveConfig{Addr: "127.0.0.1:9000", DirectoryFile: "dir.csv", RulebookFile: "rules.yaml",
				ComplianceChannel: "mattermost:" + testMMChannel,
				Slack:             &slackConfig{BotToken: testSlackToken, SigningSecret: testSigning},
				Mattermost: &mattermostConfig{URL: "https://chat.example.gov", BotToken: testMMToken,
					CommandTokens: []secret{"tok-secret-1"}, PublicURL: "http://10.0.0.5:8080", ActionSecret: testActionKey}}},
		{"slack compliance channel", with(slackEnv(), "COMPLIANCE_CHANNEL", "slack:C0COMPLY"),
			serveConfig{Addr: ":8080", ComplianceChannel: "slack:C0COMPLY", Slack: &slackConfig{BotToken: testSlackToken, SigningSecret: testSigning}}},
		{"any port", with(slackEnv(), "BOT_LISTEN_ADDR", "[::1]:0"),
			serveConfig{Addr: "[::1]:0", Slack: &slackConfig{BotToken: testSlackToken, SigningSecret: testSigning}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseServeConfig(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseServeConfigRefusals(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // the whole error
	}{
		{"no platform", nil, "bot serve needs Slack (SLACK_BOT_TOKEN) or Mattermost (MATTERMOST_URL) settings"},
		{"only generic settings", map[string]string{"BOT_PUBLIC_URL": "https://bot.example.gov"}, "bot serve needs Slack (SLACK_BOT_TOKEN) or Mattermost (MATTERMOST_URL) settings"},
		{"listen address without port", with(slackEnv(), "BOT_LISTEN_ADDR", "8080"), `BOT_LISTEN_ADDR "8080" is not HOST:PORT with a port number (e.g. :8080 or 127.0.0.1:8080)`},
		{"listen address with a named port", with(slackEnv(), "BOT_LISTEN_ADDR", ":http"), `BOT_LISTEN_ADDR ":http" is not HOST:PORT with a port number (e.g. :8080 or 127.0.0.1:8080)`},
		{"listen port too large", with(slackEnv(), "BOT_LISTEN_ADDR", ":70000"), `BOT_LISTEN_ADDR ":70000" is not HOST:PORT with a port number (e.g. :8080 or 127.0.0.1:8080)`},

		{"slack token not a bot token", with(slackEnv(), "SLACK_BOT_TOKEN", "xoxp-user-secret"), "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"},
		{"slack token only the prefix", with(slackEnv(), "SLACK_BOT_TOKEN", "xoxb-"), "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"},
		{"slack signing secret missing", with(slackEnv(), "SLACK_SIGNING_SECRET", ""), "SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)"},
		{"slack signing secret blank", with(slackEnv(), "SLACK_SIGNING_SECRET", "  "), "SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)"},
		{"slack app token malformed", with(slackEnv(), "SLACK_APP_TOKEN", "xoxb-app-secret"), "SLACK_APP_TOKEN must be an app-level token starting with xapp-"},
		{"slack API URL not http", with(slackEnv(), "SLACK_API_URL", "ftp://slack.example/api/"), `SLACK_API_URL "ftp://slack.example/api/" is not an http:// or https:// URL`},
		{"slack API URL relative", with(slackEnv(), "SLACK_API_URL", "/api/"), `SLACK_API_URL "/api/" is not an http:// or https:// URL`},
		{"slack API URL with a password", with(slackEnv(), "SLACK_API_URL", "https://u:pw-secret@slack.example/api/"), "SLACK_API_URL must not hold a user name or password"},
		{"slack settings without the bot token", map[string]string{"SLACK_SIGNING_SECRET": testSigning}, "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not; set SLACK_BOT_TOKEN to enable Slack, or unset SLACK_SIGNING_SECRET"},
		{"slack app token without the bot token", with(mattermostEnv(), "SLACK_APP_TOKEN", testAppToken), "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not; set SLACK_BOT_TOKEN to enable Slack, or unset SLACK_APP_TOKEN"},

		{"mattermost URL malformed", with(mattermostEnv(), "MATTERMOST_URL", "chat.example.gov"), `MATTERMOST_URL "chat.example.gov" is not an http:// or https:// URL`},
		{"mattermost URL with a query", with(mattermostEnv(), "MATTERMOST_URL", "https://chat.example.gov/?x=1"), `MATTERMOST_URL "https://chat.example.gov/?x=1" must not have a query or fragment`},
		{"mattermost bot token missing", with(mattermostEnv(), "MATTERMOST_BOT_TOKEN", ""), "MATTERMOST_BOT_TOKEN is required for Mattermost (the bot account's access token)"},
		{"mattermost command tokens missing", with(mattermostEnv(), "MATTERMOST_COMMAND_TOKENS", ""), "MATTERMOST_COMMAND_TOKENS is required for Mattermost (the slash command's token; several separated by commas)"},
		{"mattermost command tokens only commas", with(mattermostEnv(), "MATTERMOST_COMMAND_TOKENS", " , ,"), "MATTERMOST_COMMAND_TOKENS is required for Mattermost (the slash command's token; several separated by commas)"},
		{"public URL missing", with(mattermostEnv(), "BOT_PUBLIC_URL", ""), "BOT_PUBLIC_URL is required for Mattermost (the address at which Mattermost reaches this bot)"},
		{"public URL not http", with(mattermostEnv(), "BOT_PUBLIC_URL", "bot.example.gov:8080"), `BOT_PUBLIC_URL "bot.example.gov:8080" is not an http:// or https:// URL`},
		{"action secret missing", with(mattermostEnv(), "BOT_ACTION_SECRET", ""), "BOT_ACTION_SECRET is required for Mattermost (a random key of at least 32 bytes)"},
		{"action secret short", with(mattermostEnv(), "BOT_ACTION_SECRET", "short-secret"), "BOT_ACTION_SECRET is 12 bytes; it must be at least 32"},
		{"mattermost settings without the URL", with(slackEnv(), "MATTERMOST_BOT_TOKEN", testMMToken), "MATTERMOST_BOT_TOKEN is set but MATTERMOST_URL is not; set MATTERMOST_URL to enable Mattermost, or unset MATTERMOST_BOT_TOKEN"},

		{"compliance channel without platform", with(slackEnv(), "COMPLIANCE_CHANNEL", "C0COMPLY"), `COMPLIANCE_CHANNEL "C0COMPLY" must be slack:CHANNEL_ID or mattermost:CHANNEL_ID`},
		{"compliance channel of another platform", with(slackEnv(), "COMPLIANCE_CHANNEL", "teams:C0COMPLY"), `COMPLIANCE_CHANNEL "teams:C0COMPLY" must be slack:CHANNEL_ID or mattermost:CHANNEL_ID`},
		{"compliance channel bad slack ID", with(slackEnv(), "COMPLIANCE_CHANNEL", "slack:#compliance"), `COMPLIANCE_CHANNEL "slack:#compliance" does not hold a slack channel ID`},
		{"compliance channel empty ID", with(slackEnv(), "COMPLIANCE_CHANNEL", "slack:"), `COMPLIANCE_CHANNEL "slack:" does not hold a slack channel ID`},
		{"compliance channel bad mattermost ID", with(mattermostEnv(), "COMPLIANCE_CHANNEL", "mattermost:Town-Square"), `COMPLIANCE_CHANNEL "mattermost:Town-Square" does not hold a mattermost channel ID`},
		{"compliance channel on a disabled platform", with(slackEnv(), "COMPLIANCE_CHANNEL", "mattermost:"+testMMChannel), "COMPLIANCE_CHANNEL names mattermost, which is not enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServeConfig(func(k string) string { return tt.env[k] })
			if err == nil {
				t.Fatalf("accepted; want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\nwant  %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), testSigning) {
				t.Errorf("the error shows a secret: %q", err)
			}
		})
	}
}

// Secrets format as "[redacted]" however they are printed or logged.
func TestSecretNeverPrinted(t *testing.T) {
	cfg, err := parseServeConfig(func(k string) string { return with(slackEnv(), "SLACK_APP_TOKEN", testAppToken)[k] })
	if err != nil {
		t.Fatal(err)
	}
	mm, err := parseServeConfig(func(k string) string { return mattermostEnv()[k] })
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "slack", cfg.Slack, "token", cfg.Slack.BotToken, "mm", mm.Mattermost)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "token", cfg.Slack.BotToken, "key", mm.Mattermost.ActionSecret)
	out := fmt.Sprintf("%v %+v %#v %s %v %+v", cfg, *cfg.Slack, *cfg.Slack, cfg.Slack.SigningSecret, mm, *mm.Mattermost) + logs.String()
	for _, s := range []string{testSlackToken, testSigning, testAppToken, testMMToken, testActionKey, "tok-secret"} {
		if strings.Contains(out, s) {
			t.Errorf("a secret is printed: %s", out)
		}
	}
	if string(cfg.Slack.BotToken) != testSlackToken {
		t.Error("the adapter cannot read the token")
	}
}

func TestRetentionPeriod(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"0d", 0},
		{"0y", 0},
		{"24h", day},
		{"72h", 3 * day},
		{" 2555d ", 2555 * day},
		{"7y", 7 * 365 * day},
		{"7Y", 7 * 365 * day},
		{"1d", day},
		{"36h30m", 36*time.Hour + 30*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			cfg, err := parseServeConfig(func(k string) string { return with(slackEnv(), "RETENTION_PERIOD", tt.value)[k] })
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Retention != tt.want {
				t.Errorf("Retention = %s, want %s", cfg.Retention, tt.want)
			}
		})
	}
}

func TestRetentionPeriodRefusals(t *testing.T) {
	const malformed = "is not a period such as 7y, 2555d or 72h (a year is 365 days; 0 keeps closed cases)"
	const short = "is under a day; set the agency's records schedule (e.g. 7y), or leave it unset to keep closed cases"
	tests := []struct {
		value, want string
	}{
		{"7", `RETENTION_PERIOD "7" ` + malformed},
		{"seven years", `RETENTION_PERIOD "seven years" ` + malformed},
		{"7.5y", `RETENTION_PERIOD "7.5y" ` + malformed},
		{"d", `RETENTION_PERIOD "d" ` + malformed},
		{"-1d", `RETENTION_PERIOD "-1d" ` + malformed},
		{"-72h", `RETENTION_PERIOD "-72h" ` + malformed},
		{"7y30d", `RETENTION_PERIOD "7y30d" ` + malformed},
		{"12h", `RETENTION_PERIOD "12h" ` + short},
		{"23h59m59s", `RETENTION_PERIOD "23h59m59s" ` + short},
		{"1ms", `RETENTION_PERIOD "1ms" ` + short},
		{"300y", `RETENTION_PERIOD "300y" is too long; leave it unset to keep closed cases indefinitely`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			_, err := parseServeConfig(func(k string) string { return with(slackEnv(), "RETENTION_PERIOD", tt.value)[k] })
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v\nwant  %q", err, tt.want)
			}
		})
	}
}
