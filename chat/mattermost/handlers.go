package mattermost

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
)

// DefaultAPITimeout bounds an API call made before Mattermost gets its
// answer (looking a person up, opening a dialog).
const DefaultAPITimeout = 1500 * time.Millisecond

// DefaultMaxBody bounds a request body when the configuration gives no
// limit. Mattermost's requests are a few kilobytes; a dialog submission
// with a long description stays well under this.
const DefaultMaxBody = 1 << 20

// answerBudget bounds everything done before answering a request, so that
// a person who gives up and tries again does not act twice.
const answerBudget = 2500 * time.Millisecond

// followUpTimeout bounds the work done after the answer: DMs, uploads.
const followUpTimeout = 30 * time.Second

// Endpoint paths, under BOT_PUBLIC_URL.
const (
	CommandPath = "/mattermost/commands"
	ActionPath  = "/mattermost/actions"
	DialogPath  = "/mattermost/dialogs"
)

// Config wires the adapter.
type Config struct {
	// Client calls the REST API: model.NewAPIv4Client(url) with the bot's
	// token set (SetToken).
	Client *model.Client4
	// CommandTokens are the slash-command tokens accepted
	// (MATTERMOST_COMMAND_TOKENS).
	CommandTokens []string
	// PublicURL is where Mattermost reaches the bot (BOT_PUBLIC_URL), for
	// button and dialog callbacks.
	PublicURL string
	// ActionSecret signs button contexts and dialog states
	// (BOT_ACTION_SECRET).
	ActionSecret string
	Handler      *commands.Handler
	People       directory.Store
	Cases        cases.Store
	// Refs keeps where cards were posted across restarts; nil keeps them in
	// memory only.
	Refs cases.MessageRefs
	// Now is the clock (dialog state, caches); time.Now when nil.
	Now func() time.Time
	// Rand is the source of dialog nonces; crypto/rand when nil.
	Rand io.Reader
	Log  *slog.Logger
	// APITimeout bounds API calls made before answering; 0 means
	// DefaultAPITimeout.
	APITimeout time.Duration
	// MaxBody bounds a request body; 0 means DefaultMaxBody.
	MaxBody int64
}

// Adapter is the Mattermost integration over HTTP.
type Adapter struct {
	api        *model.Client4
	tokens     [][sha256.Size]byte
	publicURL  string
	sign       signer
	handler    *commands.Handler
	people     directory.Store
	cases      cases.Store
	now        func() time.Time
	log        *slog.Logger
	apiTimeout time.Duration
	maxBody    int64

	users  *users
	cards  *chatkit.CardRefs
	dms    *chatkit.Bounded[string, string] // Mattermost user ID → DM channel
	nonces *chatkit.Bounded[string, struct{}]
	bot    botID

	bg chatkit.Followups
}

// New checks the configuration and builds the adapter.
func New(cfg Config) (*Adapter, error) {
	switch {
	case cfg.Client == nil:
		return nil, errors.New("mattermost: an API client is required (MATTERMOST_URL, MATTERMOST_BOT_TOKEN)")
	case len(cfg.CommandTokens) == 0:
		return nil, errors.New("mattermost: at least one slash-command token is required (MATTERMOST_COMMAND_TOKENS)")
	case cfg.PublicURL == "":
		return nil, errors.New("mattermost: the bot's public URL is required (BOT_PUBLIC_URL)")
	case len(cfg.ActionSecret) < 32:
		return nil, errors.New("mattermost: an action secret of at least 32 bytes is required (BOT_ACTION_SECRET)")
	case cfg.Handler == nil || cfg.People == nil || cfg.Cases == nil:
		return nil, errors.New("mattermost: the command handler, the directory and the case store are required")
	}
	a := &Adapter{
		api: cfg.Client, publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		sign:    signer{key: []byte(cfg.ActionSecret), rand: randReader(cfg.Rand)},
		handler: cfg.Handler, people: cfg.People, cases: cfg.Cases,
		now: cfg.Now, log: cfg.Log, apiTimeout: cfg.APITimeout, maxBody: cfg.MaxBody,
		dms: chatkit.NewBounded[string, string](10000), nonces: chatkit.NewBounded[string, struct{}](100_000),
	}
	for _, t := range cfg.CommandTokens {
		if t = strings.TrimSpace(t); t != "" {
			a.tokens = append(a.tokens, sha256.Sum256([]byte(t)))
		}
	}
	if len(a.tokens) == 0 {
		return nil, errors.New("mattermost: at least one slash-command token is required (MATTERMOST_COMMAND_TOKENS)")
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.apiTimeout <= 0 {
		a.apiTimeout = DefaultAPITimeout
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBody
	}
	a.cards = chatkit.NewCardRefs(platformName, 10000, cfg.Refs, a.now, a.log)
	a.users = newUsers(a.people, a.api, a.now, a.log)
	a.bg.Log, a.bg.Platform, a.bg.Timeout = a.log, platformName, followUpTimeout
	return a, nil
}

// platformName is how the store and metrics name Mattermost.
const platformName = "mattermost"

// Name is the platform's name.
func (a *Adapter) Name() string { return platformName }

// Routes are the adapter's endpoints. The slash command is behind the token
// check; clicks and dialog submissions carry signed context instead.
func (a *Adapter) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"POST " + CommandPath: a.limit(a.checkToken(http.HandlerFunc(a.serveCommand))),
		"POST " + ActionPath:  a.limit(http.HandlerFunc(a.serveAction)),
		"POST " + DialogPath:  a.limit(http.HandlerFunc(a.serveDialog)),
	}
}

// Run waits until ctx ends, then lets the follow-ups started by earlier
// requests finish, so that the store is not closed under them.
func (a *Adapter) Run(ctx context.Context) error {
	<-ctx.Done()
	a.Wait()
	return nil
}

// Wait blocks until the follow-ups started by earlier requests are done.
func (a *Adapter) Wait() { a.bg.Wait() }

// later runs fn after the answer, with a context of its own that survives
// the request.
func (a *Adapter) later(what string, fn func(ctx context.Context) error) { a.bg.Later(what, fn) }

// quick bounds an API call made before answering.
func (a *Adapter) quick(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, a.apiTimeout)
}

// limit reads the whole body, at most maxBody bytes (larger is 413), and
// hands it on unread.
func (a *Adapter) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read the request", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// checkToken lets through only slash commands that carry one of the
// configured tokens, in the form field "token" or as "Authorization: Token
// …". Tokens are compared as SHA-256 digests in constant time, against
// every configured token. Anything else is a 401 and nothing else runs.
func (a *Adapter) checkToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // already read into memory by limit
		r.Body = io.NopCloser(bytes.NewReader(body))
		var given []string
		if h := r.Header.Get("Authorization"); len(h) > 6 && strings.EqualFold(h[:6], "token ") {
			given = append(given, strings.TrimSpace(h[6:]))
		}
		if form, err := url.ParseQuery(string(body)); err == nil {
			given = append(given, form.Get("token"))
		}
		if !a.tokenOK(given) {
			http.Error(w, "invalid slash command token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a *Adapter) tokenOK(given []string) bool {
	ok := 0
	for _, g := range given {
		if g == "" {
			continue
		}
		d := sha256.Sum256([]byte(g))
		for _, t := range a.tokens {
			ok |= subtle.ConstantTimeCompare(d[:], t[:])
		}
	}
	return ok == 1
}

// command is the part of a slash command the adapter reads.
type command struct {
	UserID, ChannelID, Text, TriggerID string
}

func parseCommand(r *http.Request) (command, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return command{}, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return command{}, err
	}
	c := command{UserID: form.Get("user_id"), ChannelID: form.Get("channel_id"), Text: form.Get("text"), TriggerID: form.Get("trigger_id")}
	if c.UserID == "" {
		return command{}, errors.New("no user_id")
	}
	return c, nil
}

// serveCommand answers /report. The answer is written at once; the only
// API calls before it are looking the person up (cached, bounded), the
// mentions (bounded) and opening a dialog.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	cmd, err := parseCommand(r)
	if err != nil {
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
	qctx, qcancel := a.quick(ctx)
	defer qcancel()
	reply := a.handler.Command(ctx, person, cmd.Text, a.boundMentions(qctx))
	if reply.Form != nil {
		if err := a.openDialog(ctx, cmd.TriggerID, cmd.UserID, reply.Form); err == nil {
			a.answer(w, chat.Reply{})
			return
		}
		reply.Text = formFailed(reply.Text)
	}
	if reply.File != nil {
		file := *reply.File
		user := cmd.UserID
		a.later("upload export", func(ctx context.Context) error { return a.upload(ctx, user, file) })
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
		a.log.Debug("mattermost user not resolved", "user", userID, "err", err)
	}
	return p, err
}

// boundMentions resolves mentions within the deadline of qctx, whatever
// context the handler passes.
func (a *Adapter) boundMentions(qctx context.Context) commands.MentionResolver {
	resolve := a.users.mentions()
	return func(ctx context.Context, token string) (directory.Person, bool) {
		if d, ok := qctx.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, d)
			defer cancel()
		}
		return resolve(ctx, token)
	}
}

// answer writes an ephemeral command response as JSON; without the content
// type Mattermost would show the JSON as text.
func (a *Adapter) answer(w http.ResponseWriter, reply chat.Reply) {
	writeJSON(w, Answer(reply))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// openDialog opens a form as an interactive dialog within the API time
// limit, with a state signed for the user who asked.
func (a *Adapter) openDialog(ctx context.Context, triggerID, user string, f *chat.Form) error {
	if triggerID == "" {
		return errors.New("mattermost: no trigger ID to open a dialog with")
	}
	qctx, cancel := a.quick(ctx)
	defer cancel()
	state := a.sign.state(f.ID, f.State, user, a.now())
	_, err := a.api.OpenInteractiveDialog(qctx, model.OpenDialogRequest{
		TriggerId: triggerID, URL: a.publicURL + DialogPath, Dialog: Dialog(f, state),
	})
	if err != nil {
		a.log.Warn("mattermost: opening a dialog failed", "form", f.ID, "err", err)
	}
	return err
}

func formFailed(text string) string {
	const sorry = "Mattermost didn't open the form, so nothing was changed. Please try again in a moment."
	if text == "" {
		return sorry
	}
	return text + "\n" + sorry
}
