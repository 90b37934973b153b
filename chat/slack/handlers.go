package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
)

// DefaultAPITimeout bounds a Web API call made before Slack gets its answer
// (looking a person up, opening a modal), so that the answer still comes
// within Slack's 3 seconds.
const DefaultAPITimeout = 1500 * time.Millisecond

// answerBudget bounds everything done before answering Slack, which gives
// up after 3 seconds: work not done by then is cancelled, so that a person
// who sees Slack's time-out and tries again does not file twice.
const answerBudget = 2500 * time.Millisecond

// followUpTimeout bounds the work done after the answer: private replies,
// DMs, App Home.
const followUpTimeout = 30 * time.Second

// Config wires the adapter.
type Config struct {
	// SigningSecret verifies every request (SLACK_SIGNING_SECRET); it may
	// be empty in Socket Mode.
	SigningSecret string
	// SocketMode serves Slack over its WebSocket connection (SLACK_APP_TOKEN
	// set; the Client must carry it) instead of the HTTP endpoints.
	SocketMode bool
	// Client calls the Web API: slack.New(token, slack.OptionAPIURL(url)).
	Client  *slackapi.Client
	Handler *commands.Handler
	People  directory.Store
	Cases   cases.Store
	// Refs keeps where cards were posted across restarts; nil keeps them in
	// memory only.
	Refs cases.MessageRefs
	// Now is the clock (signature window, caches); time.Now when nil.
	Now func() time.Time
	Log *slog.Logger
	// APITimeout bounds Web API calls made before answering; 0 means
	// DefaultAPITimeout.
	APITimeout time.Duration
	// MaxBody bounds a request body; 0 means DefaultMaxBody.
	MaxBody int64
}

// Adapter is the Slack app over HTTP.
type Adapter struct {
	secret     string
	socketMode bool
	api        *slackapi.Client
	handler    *commands.Handler
	people     directory.Store
	cases      cases.Store
	now        func() time.Time
	log        *slog.Logger
	apiTimeout time.Duration
	maxBody    int64

	users  *users
	events *seenSet
	cards  *chatkit.CardRefs
	dms    *dmChannels

	bg chatkit.Followups
}

// New checks the configuration and builds the adapter.
func New(cfg Config) (*Adapter, error) {
	switch {
	case cfg.SigningSecret == "" && !cfg.SocketMode:
		return nil, errors.New("slack: SLACK_SIGNING_SECRET is required")
	case cfg.Client == nil:
		return nil, errors.New("slack: a Web API client is required (SLACK_BOT_TOKEN)")
	case cfg.Handler == nil || cfg.People == nil || cfg.Cases == nil:
		return nil, errors.New("slack: the command handler, the directory and the case store are required")
	}
	a := &Adapter{
		secret: cfg.SigningSecret, socketMode: cfg.SocketMode, api: cfg.Client, handler: cfg.Handler, people: cfg.People, cases: cfg.Cases,
		now: cfg.Now, log: cfg.Log, apiTimeout: cfg.APITimeout, maxBody: cfg.MaxBody,
		events: newSeenSet(4096), dms: newDMChannels(10000),
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.cards = chatkit.NewCardRefs(platformName, 10000, cfg.Refs, a.now, a.log)
	if a.apiTimeout <= 0 {
		a.apiTimeout = DefaultAPITimeout
	}
	a.users = newUsers(a.people, a.api, a.now, a.log)
	a.bg.Log, a.bg.Platform, a.bg.Timeout = a.log, platformName, followUpTimeout
	return a, nil
}

// platformName is how the store and metrics name Slack.
const platformName = "slack"

// Name is the platform's name.
func (a *Adapter) Name() string { return platformName }

// Routes are the adapter's endpoints, each behind the signature check. In
// Socket Mode there are none: requests arrive over the WebSocket (Run).
func (a *Adapter) Routes() map[string]http.Handler {
	if a.socketMode {
		return map[string]http.Handler{}
	}
	verify := Verify(a.secret, a.maxBody, a.now)
	return map[string]http.Handler{
		"POST /slack/commands":     verify(http.HandlerFunc(a.serveCommand)),
		"POST /slack/interactions": verify(http.HandlerFunc(a.serveInteraction)),
		"POST /slack/events":       verify(http.HandlerFunc(a.serveEvent)),
	}
}

// Wait blocks until the follow-ups started by earlier requests are done; a
// server calls it after it stops accepting requests.
func (a *Adapter) Wait() { a.bg.Wait() }

// later runs fn after the answer, with a context of its own that survives
// the request.
func (a *Adapter) later(what string, fn func(ctx context.Context) error) { a.bg.Later(what, fn) }

// quick bounds a Web API call made before answering.
func (a *Adapter) quick(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, a.apiTimeout)
}

// serveCommand answers /report. The answer is written at once; the only
// Web API calls before it are looking the person up (cached, bounded) and
// opening a modal.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	cmd, err := slackapi.SlashCommandParse(r)
	if err == nil && r.PostForm.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK) // Slack checking the certificate
		return
	}
	if err != nil || cmd.UserID == "" {
		http.Error(w, "bad slash command", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), answerBudget)
	defer cancel()
	person, err := a.resolveQuick(ctx, cmd.UserID)
	if err != nil {
		a.answer(w, chat.Reply{Text: sentence(err)})
		return
	}
	text, written := plain(cmd.Text)
	qctx, qcancel := a.quick(ctx)
	defer qcancel()
	reply := a.handler.Command(ctx, person, text, a.boundMentions(qctx, written))
	if reply.Form != nil {
		if err := a.openForm(ctx, cmd.TriggerID, reply.Form); err == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		reply.Text = formFailed(reply.Text)
	}
	if reply.File != nil {
		file := *reply.File
		a.later("upload export", func(ctx context.Context) error { return a.upload(ctx, cmd.UserID, file) })
		reply.Text += "\nThe file comes in your direct messages with me."
	}
	a.answer(w, reply)
}

// resolveQuick looks a person up within the API time limit.
func (a *Adapter) resolveQuick(ctx context.Context, userID string) (directory.Person, error) {
	qctx, cancel := a.quick(ctx)
	defer cancel()
	p, err := a.users.resolve(qctx, userID)
	if err != nil {
		a.log.Debug("slack user not resolved", "user", userID, "err", err)
	}
	return p, err
}

// boundMentions resolves mentions within the deadline of qctx, whatever
// context the handler passes.
func (a *Adapter) boundMentions(qctx context.Context, written map[string]string) commands.MentionResolver {
	resolve := a.users.mentions(written)
	return func(ctx context.Context, token string) (directory.Person, bool) {
		if d, ok := qctx.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, d)
			defer cancel()
		}
		return resolve(ctx, token)
	}
}

// answer writes an ephemeral reply.
func (a *Adapter) answer(w http.ResponseWriter, reply chat.Reply) {
	body, err := Ephemeral(reply)
	if err != nil {
		a.log.Error("slack: rendering a reply", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// openForm opens a form as a modal within the API time limit.
func (a *Adapter) openForm(ctx context.Context, triggerID string, f *chat.Form) error {
	qctx, cancel := a.quick(ctx)
	defer cancel()
	_, err := a.api.OpenViewContext(qctx, triggerID, ModalView(f))
	if err != nil {
		a.log.Warn("slack views.open failed", "form", f.ID, "err", err)
	}
	return err
}

func formFailed(text string) string {
	const sorry = "Slack didn't open the form, so nothing was changed. Please try again in a moment."
	if text == "" {
		return sorry
	}
	return text + "\n" + sorry
}
