//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// Bounds of the waits; every wait also ends at the test's deadline.
const (
	pollEvery     = 150 * time.Millisecond
	startTimeout  = 90 * time.Second // a process answering its health check
	deliverWithin = 45 * time.Second // a message the bot owes reaching Mattermost
	stopTimeout   = 25 * time.Second // a process stopping after SIGTERM
	buildTimeout  = 4 * time.Minute  // go build ./cmd/bot
)

// repoRoot is the module's root: three levels up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	return root
}

// randomHex is n random bytes as hex.
func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// freePort is a loopback port nobody listened on a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// poll calls f until it reports done, fails the test when f fails for good
// (err from f is retried; a fatal error must be reported by f itself), or
// when the timeout or the context's deadline passes. lastErr describes the
// last attempt in the failure message.
func poll(t *testing.T, ctx context.Context, what string, timeout time.Duration, f func() (done bool, err error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	var lastErr error
	for {
		done, err := f()
		if done && err == nil {
			t.Logf("%s: after %s", what, time.Since(start).Round(time.Millisecond))
			return
		}
		lastErr = err
		select {
		case <-ctx.Done():
			if lastErr != nil {
				t.Fatalf("%s: not within %s: last attempt: %v", what, time.Since(start).Round(time.Second), lastErr)
			}
			t.Fatalf("%s: not within %s", what, time.Since(start).Round(time.Second))
		case <-time.After(pollEvery):
		}
	}
}

// --- PostgreSQL -------------------------------------------------------------

// postgres creates throwaway databases and drops them at the end.
type postgres struct {
	admin *sql.DB
	base  *url.URL // the admin URL; a database's URL swaps the path
}

func openPostgres(t *testing.T, ctx context.Context) *postgres {
	t.Helper()
	raw := os.Getenv("E2E_PG_URL")
	if raw == "" {
		raw = os.Getenv("TEST_DATABASE_URL")
	}
	if raw == "" {
		raw = "postgres://reportbot:reportbot@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		t.Fatalf("E2E_PG_URL is not a postgres:// URL")
	}
	db, err := sql.Open("postgres", raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		t.Fatalf("PostgreSQL at %s is not reachable (set E2E_PG_URL): %v", u.Redacted(), err)
	}
	return &postgres{admin: db, base: u}
}

// create makes an empty database owned by the connecting role and returns
// its URL; it is dropped when the test ends.
func (p *postgres) create(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	if _, err := p.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		if strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("the role of E2E_PG_URL (%s) may not create databases: grant it once with\n"+
				"  su postgres -c \"psql -c 'ALTER ROLE %s CREATEDB'\"\nor point E2E_PG_URL at a role that may: %v",
				p.base.Redacted(), p.base.User.Username(), err)
		}
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE: a connection a killed process left behind must not keep it.
		if _, err := p.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u := *p.base
	u.Path = "/" + name
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// --- processes --------------------------------------------------------------

// proc is a process the test started; its output goes to a log file.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // set when done is closed
}

// cleanEnv is the test's environment without anything that would change
// how the bot or the Mattermost server is configured.
func cleanEnv(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "MM_"), strings.HasPrefix(k, "MATTERMOST_"), strings.HasPrefix(k, "SLACK_"),
			strings.HasPrefix(k, "BOT_"):
			continue
		}
		switch k {
		case "DATABASE_URL", "DIRECTORY_FILE", "ROUTING_FILE", "RULEBOOK_FILE", "COMPLIANCE_CHANNEL", "LOG_LEVEL":
			continue
		}
		out = append(out, kv)
	}
	return append(out, extra...)
}

// start runs bin in dir with env; it is stopped (SIGTERM, then SIGKILL)
// when the test ends.
func start(t *testing.T, name, dir, logDir string, env []string, bin string, args ...string) *proc {
	t.Helper()
	logPath := filepath.Join(logDir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the process gracefully, or kills it after stopTimeout.
func (p *proc) stop(t *testing.T) {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		t.Errorf("%s did not stop within %s of SIGTERM; killed", p.name, stopTimeout)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// tail is the last n lines of the process's output.
func (p *proc) tail(n int) string {
	f, err := os.Open(p.log)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// get200 reports whether GET url answers 200 within two seconds.
func get200(rawURL string) bool {
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(rawURL)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// waitHTTP waits until GET url answers 200, failing early when the process
// ends first (its last lines are shown).
func waitHTTP(t *testing.T, ctx context.Context, p *proc, rawURL string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	poll(t, ctx, p.name+" answering "+rawURL, startTimeout, func() (bool, error) {
		if p.exited() {
			t.Fatalf("%s exited before it was ready (%v):\n%s", p.name, p.err, p.tail(30))
		}
		resp, err := client.Get(rawURL)
		if err != nil {
			return false, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return false, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return true, nil
	})
}

// run runs a command to its end and returns its stdout; a failure shows
// its stderr.
func run(t *testing.T, ctx context.Context, dir string, env []string, bin string, args ...string) string {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(bin), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// runFailing runs a command that must fail and returns its stderr.
func runFailing(t *testing.T, ctx context.Context, dir string, env []string, bin string, args ...string) string {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err == nil {
		t.Fatalf("%s %s succeeded; want a failure\nstdout:\n%s", filepath.Base(bin), strings.Join(args, " "), stdout.String())
	}
	return stderr.String()
}

// buildBot builds ./cmd/bot into dir and returns the binary's path;
// E2E_BOT_BIN names a binary built beforehand instead.
func buildBot(t *testing.T, ctx context.Context, root, dir string) string {
	t.Helper()
	if bin := os.Getenv("E2E_BOT_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(abs); err != nil {
			t.Fatalf("E2E_BOT_BIN: %v", err)
		}
		return abs
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	bin := filepath.Join(dir, "bot")
	started := time.Now()
	run(t, ctx, root, os.Environ(), gobin, "build", "-o", bin, "./cmd/bot")
	t.Logf("built the bot in %s", time.Since(started).Round(time.Millisecond))
	return bin
}

// --- the Mattermost server ---------------------------------------------------

// mattermostServer is the cached server build and where it runs.
type mattermostServer struct {
	URL   string // http://127.0.0.1:PORT
	WSURL string // ws://127.0.0.1:PORT
	proc  *proc
}

// mattermostCache is where scripts/mattermost/build.sh left the server.
func mattermostCache(t *testing.T, root string) (bin, assets string) {
	t.Helper()
	cache := os.Getenv("MATTERMOST_CACHE_DIR")
	if cache == "" {
		cache = filepath.Join(root, ".cache", "mattermost")
	}
	bin, assets = filepath.Join(cache, "bin", "mattermost"), filepath.Join(cache, "server")
	for _, p := range []string{bin, filepath.Join(assets, "i18n"), filepath.Join(assets, "templates"), filepath.Join(assets, "fonts")} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("the Mattermost server is not built (%s is missing): run scripts/mattermost/build.sh, or make e2e-mattermost", p)
		}
	}
	return bin, assets
}

// startMattermost writes a config for a headless, API-only server on
// loopback that may call integrations on loopback, starts it from a fresh
// working directory (with the server's i18n, templates and fonts) and
// waits until it answers /api/v4/system/ping.
func startMattermost(t *testing.T, ctx context.Context, root, dataSource, logDir string) *mattermostServer {
	t.Helper()
	bin, assets := mattermostCache(t, root)
	work := t.TempDir()
	for _, d := range []string{"i18n", "templates", "fonts"} {
		if err := os.Symlink(filepath.Join(assets, d), filepath.Join(work, d)); err != nil {
			t.Fatal(err)
		}
	}
	port := freePort(t)
	site := fmt.Sprintf("http://127.0.0.1:%d", port)
	cfg := map[string]any{
		"ServiceSettings": map[string]any{
			"SiteURL":                             site,
			"ListenAddress":                       fmt.Sprintf("127.0.0.1:%d", port),
			"EnableBotAccountCreation":            true,
			"EnableUserAccessTokens":              true,
			"EnableCommands":                      true,
			"EnablePostUsernameOverride":          true,
			"EnablePostIconOverride":              true,
			"AllowedUntrustedInternalConnections": "127.0.0.1 localhost ::1",
			"OutgoingIntegrationRequestsTimeout":  30,
			// Headless and offline: no link previews fetched from the
			// reported address, no calls home, no local-mode socket.
			"EnableLinkPreviews":      false,
			"EnablePermalinkPreviews": false,
			"EnableSecurityFixAlert":  false,
			"EnableLocalMode":         false,
			"EnableGifPicker":         false,
			"EnableDeveloper":         false,
		},
		"SqlSettings": map[string]any{
			"DriverName":       "postgres",
			"DataSource":       dataSource,
			"AtRestEncryptKey": randomHex(t, 16),
		},
		"EmailSettings": map[string]any{
			"SendEmailNotifications":   false,
			"SendPushNotifications":    false,
			"RequireEmailVerification": false,
			"EnableSignUpWithEmail":    true,
			"EnableSignInWithEmail":    true,
			"EnableSignInWithUsername": true,
		},
		"TeamSettings":      map[string]any{"EnableOpenServer": true, "MaxUsersPerTeam": 50},
		"RateLimitSettings": map[string]any{"Enable": false},
		"LogSettings": map[string]any{
			"EnableConsole": true, "ConsoleLevel": "INFO", "ConsoleJson": false,
			"EnableFile": false, "EnableDiagnostics": false,
		},
		"NotificationLogSettings": map[string]any{"EnableConsole": false, "EnableFile": false},
		"FileSettings":            map[string]any{"Directory": filepath.Join(work, "data") + "/"},
		"PluginSettings": map[string]any{
			"Enable": false, "EnableUploads": false, "AutomaticPrepackagedPlugins": false, "EnableMarketplace": false,
			"Directory": filepath.Join(work, "plugins"), "ClientDirectory": filepath.Join(work, "client", "plugins"),
		},
		"AnnouncementSettings": map[string]any{"AdminNoticesEnabled": false, "UserNoticesEnabled": false},
		"MetricsSettings":      map[string]any{"Enable": false},
		"ImageProxySettings":   map[string]any{"Enable": false},
		"JobSettings":          map[string]any{"RunJobs": false, "RunScheduler": false},
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(work, "config.json")
	if err := os.WriteFile(cfgPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	p := start(t, "mattermost", work, logDir, cleanEnv(), bin, "server", "--config", cfgPath)
	waitHTTP(t, ctx, p, site+"/api/v4/system/ping")
	t.Logf("Mattermost started at %s in %s", site, time.Since(started).Round(time.Millisecond))
	return &mattermostServer{URL: site, WSURL: "ws://" + strings.TrimPrefix(site, "http://"), proc: p}
}

// --- failures ---------------------------------------------------------------

// dumpOnFailure shows the end of each process's output when the test fails.
func dumpOnFailure(t *testing.T, procs *[]*proc, mu *sync.Mutex) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, p := range *procs {
			t.Logf("--- last lines of %s (%s):\n%s", p.name, p.log, p.tail(60))
		}
	})
}
