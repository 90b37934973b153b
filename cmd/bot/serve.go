package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/retention"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/server"
)

const serveHelp = `Usage: bot serve

Run the bot: the HTTP endpoints of the enabled chat platforms, health
(GET /healthz, GET /readyz) and Prometheus metrics (GET /metrics), and the
delivery worker that sends the messages cases owe, and the retention worker
that disposes of closed cases past RETENTION_PERIOD (hourly; sent messages
are deleted after 30 days). Pending migrations are applied at start; the
directory file, when set, is synced. SIGINT or SIGTERM stops it gracefully:
no new connections, in-flight requests and the message being sent are
finished, then the database is closed.

A platform is enabled by its settings; at least one is needed.

Environment:
  BOT_LISTEN_ADDR            HTTP listen address (default :8080)
  DATABASE_URL               as for bot migrate (default sqlite:reportbot.db)
  DIRECTORY_FILE             directory CSV synced at start (default: keep the
                             directory already stored)
  RULEBOOK_FILE              a rulebook that replaces the built-in one
  LOG_LEVEL                  debug, info, warn or error (default info)
  ROUTING_FILE               routing rules (YAML): time limits per category
                             and severity, extra recipients, working hours
                             (default: built-in limits; see
                             deploy/routing.example.yaml)
  SLACK_BOT_TOKEN            xoxb-…; enables Slack
  SLACK_SIGNING_SECRET       verifies Slack's requests (required unless
                             SLACK_APP_TOKEN is set)
  SLACK_APP_TOKEN            xapp-…; use Socket Mode instead of HTTP
  SLACK_API_URL              Slack Web API base URL (tests)
  MATTERMOST_URL             Mattermost server URL; enables Mattermost
  MATTERMOST_BOT_TOKEN       the bot account's access token
  MATTERMOST_COMMAND_TOKENS  slash-command tokens accepted, comma-separated
  BOT_PUBLIC_URL             http(s) URL at which Mattermost reaches the bot
  BOT_ACTION_SECRET          key (32 bytes or more) that signs button context
  COMPLIANCE_CHANNEL         slack:CHANNEL_ID or mattermost:CHANNEL_ID
  RETENTION_PERIOD           how long a case is kept after it was closed
                             (7y, 2555d, 72h; a year is 365 days; at least
                             24h); unset or 0 keeps closed cases indefinitely

Secrets are never logged or printed.
`

// deliveryInterval is how often the delivery worker looks for due messages.
const deliveryInterval = 2 * time.Second

func serveCommand() command {
	return command{name: "serve", summary: "run the bot: chat endpoints, health, metrics, delivery", help: serveHelp, run: runServe}
}

// platformDeps is what a platform adapter is built from.
type platformDeps struct {
	// Config is the whole configuration; an adapter reads its own part
	// (Config.Slack, Config.Mattermost) and Config.ComplianceChannel.
	Config  serveConfig
	Handler *commands.Handler
	Cases   *cases.Service
	Store   cases.Store
	People  directory.Store
	Now     func() time.Time
	Log     *slog.Logger
	Metrics *server.Metrics
}

// platformFactory builds one platform's adapter: its HTTP side and the
// Sender that delivers outbox messages on it. A Platform that also has
// Run(ctx) error (Slack in Socket Mode) is run beside the server until ctx
// is done.
type platformFactory func(ctx context.Context, deps platformDeps) (server.Platform, delivery.Sender, error)

// platformRunner is a platform with work of its own to run.
type platformRunner interface {
	Run(ctx context.Context) error
}

// platformFactories maps a platform name (platformSlack, platformMattermost)
// to the factory of its adapter. An adapter is added here when it is built
// into the binary; until then a configured platform is refused.
func platformFactories() map[string]platformFactory {
	return map[string]platformFactory{platformSlack: newSlack, platformMattermost: newMattermost}
}

// platformTitle is a platform's name in sentences.
func platformTitle(name string) string {
	switch name {
	case platformSlack:
		return "Slack"
	case platformMattermost:
		return "Mattermost"
	}
	return name
}

func runServe(ctx context.Context, e *env, args []string) error {
	if err := e.parseFlags(flag.NewFlagSet("serve", flag.ContinueOnError), "serve", serveHelp, args); err != nil {
		return err
	}
	log, err := e.logger()
	if err != nil {
		return err
	}
	cfg, err := parseServeConfig(e.getenv)
	if err != nil {
		return &usageError{err.Error()}
	}
	factories := e.platforms
	if factories == nil {
		factories = platformFactories()
	}
	// Checked before the database is touched, so a wrong binary changes nothing.
	for _, name := range cfg.platforms() {
		if factories[name] == nil {
			return fmt.Errorf("%s support is not built into this binary yet", platformTitle(name))
		}
	}
	classifier, rulesFrom, err := loadClassifier(cfg.RulebookFile)
	if err != nil {
		return err
	}
	routingRules, err := loadRoutingRules(cfg.RoutingFile)
	if err != nil {
		return err
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close() // last: after the server and the worker have stopped
	if err := syncDirectory(ctx, store, cfg.DirectoryFile, log); err != nil {
		return err
	}
	if err := checkRoutingRecipients(ctx, store, routingRules, cfg.RoutingFile, cfg.platforms()); err != nil {
		return err
	}

	metrics := server.NewMetrics()
	svc := cases.NewService(store, store, time.Now, routing.DefaultDeadlines(), log)
	useRoutingRules(svc, routingRules, classifier)
	svc.UseComplianceChannel(cfg.ComplianceChannel) // escalation notices, besides the compliance leads
	deps := platformDeps{
		Config: cfg, Handler: commands.New(svc, store, store, classifier, time.Now, log),
		Cases: svc, Store: store, People: store, Now: time.Now, Log: log, Metrics: metrics,
	}
	var (
		platforms []server.Platform
		senders   []delivery.Sender
	)
	for _, name := range cfg.platforms() {
		p, s, err := factories[name](ctx, deps)
		if err != nil {
			return fmt.Errorf("%s: %w", platformTitle(name), err)
		}
		if p == nil || s == nil {
			return fmt.Errorf("%s: the adapter gave no platform or no sender", platformTitle(name))
		}
		platforms, senders = append(platforms, p), append(senders, s)
	}
	srv := server.New(server.Config{Addr: cfg.Addr, Store: store, Platforms: platforms, Log: log, Metrics: metrics})
	// With one platform every message goes out on it; with Slack and
	// Mattermost both enabled, each message goes to the platform of its
	// channel or of the recipient's linked account (delivery.Router).
	sender, senderName := senders[0], cfg.platforms()[0]
	if len(senders) > 1 {
		sender = &delivery.Router{People: store, Names: cfg.platforms(), Senders: senders}
		senderName = strings.Join(cfg.platforms(), "+")
	}
	// Issue 6 (delivery): the worker claims outbox rows under a lease with
	// a name of its own (host/pid/random), so several replicas may run; a
	// message given up on is reported to COMPLIANCE_CHANNEL (when set) and
	// to every active compliance lead in the directory.
	worker := &delivery.Worker{Outbox: store, Sender: sender, Platform: senderName,
		Now: time.Now, Log: log, Metrics: metrics,
		DeadLetterChannel: cfg.ComplianceChannel, Compliance: store}

	// Records retention (memo principle 7, directive §8): closed cases past
	// RETENTION_PERIOD are disposed of; sent messages go after 30 days.
	retainer := &retention.Worker{Store: store, Period: cfg.Retention, Now: time.Now, Log: log, Metrics: metrics}
	if cfg.Retention == 0 {
		log.Info("closed cases are kept until RETENTION_PERIOD is set to the agency's records schedule (e.g. 7y)")
	}

	log.Info("bot serve starting", slog.Any("platforms", cfg.platforms()), slog.String("addr", cfg.Addr),
		slog.String("database", store.Dialect()), slog.String("rulebook", classifier.Version()),
		slog.String("rules_from", rulesFrom), slog.Bool("slack_socket_mode", cfg.Slack != nil && cfg.Slack.SocketMode()))
	err = runAll(ctx, log, srv, worker, deadlineWorker(svc, log, deadlineInterval), retainer, platforms) // + deadline worker
	log.Info("bot serve stopped")
	return err
}

// deadlineInterval is how often the deadline worker looks for due cases.
const deadlineInterval = 30 * time.Second

// deadlineWorker runs the deadline worker: svc.Tick at once and then every
// interval until ctx ends. Everything it needs is in the database, so a
// failed tick is logged and the next one picks the same cases up; several
// replicas may tick at once (each case changes once, by version).
func deadlineWorker(svc *cases.Service, log *slog.Logger, every time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			res, err := svc.Tick(ctx)
			switch {
			case ctx.Err() != nil:
				return nil
			case err != nil:
				log.Error("deadline worker", slog.String("err", err.Error()))
			case res != (cases.TickResult{}):
				log.Info("deadline worker", slog.Int("reminded", res.Reminded), slog.Int("escalated", res.Escalated),
					slog.Int("at_top", res.AtTop), slog.Int("skipped", res.Skipped))
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
}

// runAll runs the server, the delivery worker, the deadline worker, the
// retention worker and the platforms' own loops until ctx is done or one of
// them fails, which stops the others. It returns when all have stopped.
func runAll(ctx context.Context, log *slog.Logger, srv *server.Server, worker *delivery.Worker,
	deadlines func(context.Context) error, retainer *retention.Worker, platforms []server.Platform) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	run := func(name string, f func(context.Context) error) {
		wg.Go(func() {
			err := f(ctx)
			if err == nil || (ctx.Err() != nil && errors.Is(err, context.Canceled)) {
				return
			}
			mu.Lock()
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", name, err) // printed as the command's error
			} else {
				log.Error(name+" stopped", slog.String("err", err.Error()))
			}
			mu.Unlock()
			cancel()
		})
	}
	run("http server", srv.Run)
	run("delivery", func(ctx context.Context) error { worker.Run(ctx, deliveryInterval); return nil })
	run("deadline worker", deadlines) // reminders and escalation (cases.Service.Tick)
	run("retention", func(ctx context.Context) error { retainer.Run(ctx, retention.DefaultInterval); return nil })
	for _, p := range platforms {
		if r, ok := p.(platformRunner); ok {
			run(platformTitle(p.Name()), r.Run)
		}
	}
	wg.Wait()
	return firstErr
}

// syncDirectory imports the directory file, when one is set, as bot console
// does. Without one the stored directory is used as it is.
func syncDirectory(ctx context.Context, store directory.Store, path string, log *slog.Logger) error {
	if path == "" {
		people, err := store.People(ctx)
		if err != nil {
			return err
		}
		if len(people) == 0 {
			log.Warn("the directory is empty: nobody can report until it is loaded (set DIRECTORY_FILE or run bot directory import)")
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("DIRECTORY_FILE %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	report, err := directory.Import(ctx, store, f, time.Now())
	if err != nil {
		return fmt.Errorf("DIRECTORY_FILE %s: %w", path, err)
	}
	log.Info("directory synced", slog.String("file", path), slog.Int("loaded", report.Loaded),
		slog.Int("created", report.Created), slog.Int("updated", report.Updated),
		slog.Int("inactive", report.Deactivated), slog.Int("problems", len(report.Problems)))
	for _, p := range report.Problems {
		log.Warn("directory problem", slog.String("file", path), slog.String("problem", p.String()))
	}
	return nil
}
