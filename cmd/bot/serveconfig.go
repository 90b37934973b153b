package main

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/reportbot/reportbot/retention"
)

// defaultListenAddr is BOT_LISTEN_ADDR's default (INTERFACES.md).
const defaultListenAddr = ":8080"

// minActionSecret is the shortest BOT_ACTION_SECRET accepted: an HMAC key
// of 32 bytes (256 bits).
const minActionSecret = 32

// secret is a setting that must never be logged or printed: it formats as
// "[redacted]" with %v, %s, %#v and in slog. Adapters read string(s).
type secret string

func (secret) String() string                 { return "[redacted]" }
func (secret) GoString() string               { return `"[redacted]"` }
func (secret) LogValue() slog.Value           { return slog.StringValue("[redacted]") }
func (s secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// serveConfig is everything `bot serve` reads from the environment beyond
// DATABASE_URL and LOG_LEVEL, which the other commands share.
type serveConfig struct {
	Addr          string // BOT_LISTEN_ADDR
	DirectoryFile string // DIRECTORY_FILE; "" keeps the stored directory
	RulebookFile  string // RULEBOOK_FILE; "" is the built-in rulebook
	RoutingFile   string // ROUTING_FILE; "" is the built-in routing rules
	// Slack and Mattermost are nil when the platform is not enabled.
	Slack      *slackConfig
	Mattermost *mattermostConfig
	// ComplianceChannel is COMPLIANCE_CHANNEL ("slack:C123"), "" for none.
	ComplianceChannel string
	// Retention is RETENTION_PERIOD: how long a case is kept after it was
	// closed; 0 keeps closed cases indefinitely.
	Retention time.Duration
}

// slackConfig is the Slack adapter's settings.
type slackConfig struct {
	BotToken      secret // SLACK_BOT_TOKEN, xoxb-…
	SigningSecret secret // SLACK_SIGNING_SECRET; may be empty in Socket Mode
	AppToken      secret // SLACK_APP_TOKEN, xapp-…; set means Socket Mode
	// APIURL is SLACK_API_URL ending in "/" as slack-go expects, "" for
	// Slack's own.
	APIURL string
}

// SocketMode reports whether Slack connects out over Socket Mode instead of
// receiving HTTP requests.
func (c slackConfig) SocketMode() bool { return c.AppToken != "" }

// mattermostConfig is the Mattermost adapter's settings.
type mattermostConfig struct {
	URL           string   // MATTERMOST_URL, without a trailing "/"
	BotToken      secret   // MATTERMOST_BOT_TOKEN
	CommandTokens []secret // MATTERMOST_COMMAND_TOKENS, split on commas
	PublicURL     string   // BOT_PUBLIC_URL, without a trailing "/"
	ActionSecret  secret   // BOT_ACTION_SECRET, at least 32 bytes
}

// Platform names, as COMPLIANCE_CHANNEL writes them and as metrics label them.
const (
	platformSlack      = "slack"
	platformMattermost = "mattermost"
)

// platforms lists the enabled platforms, Slack first.
func (c serveConfig) platforms() []string {
	var out []string
	if c.Slack != nil {
		out = append(out, platformSlack)
	}
	if c.Mattermost != nil {
		out = append(out, platformMattermost)
	}
	return out
}

// parseServeConfig reads and checks `bot serve`'s settings. The first
// problem found is returned as one line that names the setting and never
// its value when the value is a secret.
func parseServeConfig(getenv func(string) string) (serveConfig, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	cfg := serveConfig{
		Addr:          get("BOT_LISTEN_ADDR"),
		DirectoryFile: get("DIRECTORY_FILE"),
		RulebookFile:  get("RULEBOOK_FILE"),
		RoutingFile:   get("ROUTING_FILE"),
	}
	if cfg.Addr == "" {
		cfg.Addr = defaultListenAddr
	}
	if err := checkListenAddr(cfg.Addr); err != nil {
		return serveConfig{}, err
	}
	var err error
	if cfg.Slack, err = parseSlack(get); err != nil {
		return serveConfig{}, err
	}
	if cfg.Mattermost, err = parseMattermost(get); err != nil {
		return serveConfig{}, err
	}
	if cfg.Slack == nil && cfg.Mattermost == nil {
		return serveConfig{}, errors.New("bot serve needs Slack (SLACK_BOT_TOKEN) or Mattermost (MATTERMOST_URL) settings")
	}
	if cfg.ComplianceChannel, err = parseComplianceChannel(get("COMPLIANCE_CHANNEL"), cfg); err != nil {
		return serveConfig{}, err
	}
	if cfg.Retention, err = parseRetention(get("RETENTION_PERIOD")); err != nil {
		return serveConfig{}, err
	}
	return cfg, nil
}

// parseRetention reads RETENTION_PERIOD: a Go duration (72h) or whole days
// (2555d) or years of 365 days (7y); empty or zero keeps closed cases
// indefinitely. Under a day is refused: that is a typo, not a records
// schedule, and a disposed case cannot be brought back.
func parseRetention(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	bad := fmt.Errorf("RETENTION_PERIOD %q is not a period such as 7y, 2555d or 72h (a year is 365 days; 0 keeps closed cases)", v)
	s := strings.ToLower(v)
	var d time.Duration
	if unit, ok := map[byte]time.Duration{'d': 24 * time.Hour, 'y': 365 * 24 * time.Hour}[s[len(s)-1]]; ok {
		n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
		if err != nil || n < 0 {
			return 0, bad
		}
		if n > math.MaxInt64/int64(unit) {
			return 0, fmt.Errorf("RETENTION_PERIOD %q is too long; leave it unset to keep closed cases indefinitely", v)
		}
		d = time.Duration(n) * unit
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return 0, bad
		}
	}
	if d > 0 && d < retention.MinPeriod {
		return 0, fmt.Errorf("RETENTION_PERIOD %q is under a day; set the agency's records schedule (e.g. 7y), or leave it unset to keep closed cases", v)
	}
	return d, nil
}

func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		var n uint64
		n, err = strconv.ParseUint(port, 10, 16)
		if err == nil && n == 0 && port != "0" {
			err = errors.New("bad port")
		}
	}
	if err != nil {
		return fmt.Errorf("BOT_LISTEN_ADDR %q is not HOST:PORT with a port number (e.g. :8080 or 127.0.0.1:8080)", addr)
	}
	return nil
}

// parseSlack reads the Slack settings; nil when Slack is not enabled.
func parseSlack(get func(string) string) (*slackConfig, error) {
	bot := get("SLACK_BOT_TOKEN")
	if bot == "" {
		for _, k := range []string{"SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"} {
			if get(k) != "" {
				return nil, fmt.Errorf("%s is set but SLACK_BOT_TOKEN is not; set SLACK_BOT_TOKEN to enable Slack, or unset %s", k, k)
			}
		}
		return nil, nil
	}
	c := &slackConfig{BotToken: secret(bot), SigningSecret: secret(get("SLACK_SIGNING_SECRET")), AppToken: secret(get("SLACK_APP_TOKEN"))}
	if !strings.HasPrefix(bot, "xoxb-") || len(bot) == len("xoxb-") {
		return nil, errors.New("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
	}
	if c.AppToken != "" && (!strings.HasPrefix(string(c.AppToken), "xapp-") || len(c.AppToken) == len("xapp-")) {
		return nil, errors.New("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
	}
	if c.SigningSecret == "" && c.AppToken == "" {
		return nil, errors.New("SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)")
	}
	if raw := get("SLACK_API_URL"); raw != "" {
		u, err := baseURL("SLACK_API_URL", raw)
		if err != nil {
			return nil, err
		}
		c.APIURL = u + "/"
	}
	return c, nil
}

// parseMattermost reads the Mattermost settings; nil when Mattermost is not
// enabled.
func parseMattermost(get func(string) string) (*mattermostConfig, error) {
	raw := get("MATTERMOST_URL")
	if raw == "" {
		for _, k := range []string{"MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKENS"} {
			if get(k) != "" {
				return nil, fmt.Errorf("%s is set but MATTERMOST_URL is not; set MATTERMOST_URL to enable Mattermost, or unset %s", k, k)
			}
		}
		return nil, nil
	}
	u, err := baseURL("MATTERMOST_URL", raw)
	if err != nil {
		return nil, err
	}
	c := &mattermostConfig{URL: u, BotToken: secret(get("MATTERMOST_BOT_TOKEN")), ActionSecret: secret(get("BOT_ACTION_SECRET"))}
	if c.BotToken == "" {
		return nil, errors.New("MATTERMOST_BOT_TOKEN is required for Mattermost (the bot account's access token)")
	}
	for _, t := range strings.Split(get("MATTERMOST_COMMAND_TOKENS"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.CommandTokens = append(c.CommandTokens, secret(t))
		}
	}
	if len(c.CommandTokens) == 0 {
		return nil, errors.New("MATTERMOST_COMMAND_TOKENS is required for Mattermost (the slash command's token; several separated by commas)")
	}
	public := get("BOT_PUBLIC_URL")
	if public == "" {
		return nil, errors.New("BOT_PUBLIC_URL is required for Mattermost (the address at which Mattermost reaches this bot)")
	}
	if c.PublicURL, err = baseURL("BOT_PUBLIC_URL", public); err != nil {
		return nil, err
	}
	switch n := len(c.ActionSecret); {
	case n == 0:
		return nil, fmt.Errorf("BOT_ACTION_SECRET is required for Mattermost (a random key of at least %d bytes)", minActionSecret)
	case n < minActionSecret:
		return nil, fmt.Errorf("BOT_ACTION_SECRET is %d bytes; it must be at least %d", n, minActionSecret)
	}
	return c, nil
}

// baseURL checks an http or https base URL and returns it without a
// trailing "/". The error names the setting and quotes the value: these
// URLs are not secret, but a password in one is hidden.
func baseURL(name, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%s %q is not an http:// or https:// URL", name, redactURL(raw))
	}
	if u.User != nil {
		return "", fmt.Errorf("%s must not hold a user name or password", name)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("%s %q must not have a query or fragment", name, raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// parseComplianceChannel checks COMPLIANCE_CHANNEL: an enabled platform and
// a channel ID of its form.
func parseComplianceChannel(v string, cfg serveConfig) (string, error) {
	if v == "" {
		return "", nil
	}
	platform, id, _ := strings.Cut(v, ":")
	var ok, enabled bool
	switch platform {
	case platformSlack:
		ok, enabled = slackChannelID(id), cfg.Slack != nil
	case platformMattermost:
		ok, enabled = mattermostID(id), cfg.Mattermost != nil
	default:
		return "", fmt.Errorf("COMPLIANCE_CHANNEL %q must be slack:CHANNEL_ID or mattermost:CHANNEL_ID", v)
	}
	if !ok {
		return "", fmt.Errorf("COMPLIANCE_CHANNEL %q does not hold a %s channel ID", v, platform)
	}
	if !enabled {
		return "", fmt.Errorf("COMPLIANCE_CHANNEL names %s, which is not enabled", platform)
	}
	return v, nil
}

// slackChannelID: C (public), G (private) or D (direct), then upper-case
// alphanumerics.
func slackChannelID(s string) bool {
	if len(s) < 2 || len(s) > 32 || !strings.ContainsRune("CGD", rune(s[0])) {
		return false
	}
	for _, r := range s[1:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// mattermostID: 26 lower-case alphanumerics.
func mattermostID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
