package commands

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/policy"
)

// MaxText bounds a whole command; the description limit (4,000 characters)
// is checked separately, with its own sentence.
const MaxText = 8000

// listLimit bounds mine and queue listings in chat.
const listLimit = 25

// defaultSince is the summary and export period when none is given.
const defaultSince = 30 * 24 * time.Hour

// People is what the handler reads of the directory.
type People interface {
	Person(ctx context.Context, id int64) (directory.Person, error)
	PersonByEmail(ctx context.Context, email string) (directory.Person, error)
	People(ctx context.Context) ([]directory.Person, error)
}

// MentionResolver turns a mention as the platform writes it ("<@U123>",
// "@ana.lopez", "@ana.lopez@example.gov") into a person, or false.
type MentionResolver func(ctx context.Context, token string) (directory.Person, bool)

// Handler answers /report commands and case buttons.
type Handler struct {
	cases      *cases.Service
	store      cases.Store
	people     People
	classifier *policy.Classifier // nil: reports are filed "not classified"
	now        func() time.Time
	log        *slog.Logger
}

// New wires a handler.
func New(svc *cases.Service, store cases.Store, people People, classifier *policy.Classifier, now func() time.Time, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cases: svc, store: store, people: people, classifier: classifier, now: now, log: log}
}

// Command answers "/report <text>" from actor.
func (h *Handler) Command(ctx context.Context, actor directory.Person, text string, mentions MentionResolver) chat.Reply {
	if n := utf8.RuneCountInString(text); n > MaxText {
		return chat.Reply{Text: fault.E(fault.TextTooLong, n, MaxText).Sentence()}
	}
	text = strings.TrimSpace(text)
	word, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(word) {
	case "":
		return chat.Reply{Text: "Tell me what you saw: a link, a description, or both.", Form: h.ReportForm("", "", "")}
	case "help":
		return chat.Reply{Text: Help()}
	case "mine":
		return h.reply(h.mine(ctx, actor))
	case "queue":
		return h.reply(h.queue(ctx, actor))
	case "case":
		return h.reply(h.show(ctx, actor, rest))
	case "summary":
		return h.replyWith(h.summary(ctx, actor, rest))
	case "export":
		return h.replyWith(h.export(ctx, actor, rest))
	case "delegate":
		return h.reply(h.delegate(ctx, actor, rest, mentions))
	}
	return h.replyWith(h.file(ctx, actor, text, mentions))
}

// reply turns a text or an error into a reply; internal detail is logged,
// never shown.
func (h *Handler) reply(text string, err error) chat.Reply {
	if err != nil {
		return chat.Reply{Text: h.sentence(err)}
	}
	return chat.Reply{Text: text}
}

func (h *Handler) replyWith(r chat.Reply, err error) chat.Reply {
	if err != nil {
		return chat.Reply{Text: h.sentence(err)}
	}
	return r
}

func (h *Handler) sentence(err error) string {
	switch fault.CodeOf(err) {
	case fault.Internal, fault.Unavailable:
		h.log.Error("command failed", "err", err)
	default:
		h.log.Debug("command refused", "reason", string(fault.ReasonOf(err)))
	}
	return fault.Sentence(err)
}

// Help is the usage text.
func Help() string {
	return strings.TrimSpace(`
/report <link> <what you saw>   report a posting, page or message that may break IHSC Directive 01-22
/report <what you saw>          the same without a link; name the person concerned with a mention
/report                         open the report form
/report mine                    the reports you filed and where they stand
/report queue                   the cases waiting on you (supervisors), oldest first
/report case CASE-12            one case and its history (people it concerns, compliance)
/report summary [30d]           the compliance summary (compliance leads)
/report export [30d]            the cases as a CSV file (compliance leads)
/report delegate @person until 2026-12-24   while you are away, your new cases go to them (supervisors); /report delegate off ends it
/report help                    this text
Directive 01-22 §4-7: whoever becomes aware of a violating posting notifies their supervisor immediately. This command does that for you.`)
}
