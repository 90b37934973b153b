package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/summary"
)

// Store is what the console reads and delivers from.
type Store interface {
	cases.Store
	cases.Outbox
}

// Ticker runs the background work that falls due when the clock moves:
// the deadline worker (reminders and escalation). What it owes is printed
// by the delivery that follows every line. Nil runs nothing.
type Ticker func(ctx context.Context) error

// Console is one local chat session.
type Console struct {
	handler *commands.Handler
	store   Store
	people  directory.Store
	clock   *Clock
	tick    Ticker
	out     io.Writer
	prompt  bool
	log     *slog.Logger
	as      directory.Person
}

// Config wires a console.
type Config struct {
	Handler *commands.Handler
	Store   Store
	People  directory.Store
	Clock   *Clock
	Tick    Ticker
	Out     io.Writer
	// Prompt shows "> " before each line, for a person at a terminal.
	Prompt bool
	Log    *slog.Logger
}

// New starts a console as the given person.
func New(cfg Config, as directory.Person) *Console {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Console{handler: cfg.Handler, store: cfg.Store, people: cfg.People, clock: cfg.Clock, tick: cfg.Tick,
		out: cfg.Out, prompt: cfg.Prompt, log: log, as: as}
}

// maxLine bounds one input line; longer lines are refused, not cut.
const maxLine = 64 << 10

// Run reads lines until quit or the end of input. A refused line prints one
// sentence and the console goes on.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	fmt.Fprintf(c.out, "You are %s. Type /report help, as EMAIL, press CASE-n ACTION, tick 5h or quit.\n", c.as.Display())
	r := bufio.NewReaderSize(in, 4096)
	for {
		if c.prompt {
			fmt.Fprint(c.out, "> ")
		}
		line, tooLong, err := readLine(r)
		if err == io.EOF && line == "" {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if tooLong {
			c.say(c.as.Email, fault.E(fault.TextTooLong, maxLine, maxLine).Sentence())
			continue
		}
		if c.line(ctx, strings.TrimSpace(line)) {
			return nil
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line, discarding the rest of a line over maxLine.
func readLine(r *bufio.Reader) (string, bool, error) {
	var b strings.Builder
	total := 0
	for {
		chunk, err := r.ReadSlice('\n')
		total += len(chunk)
		if total <= maxLine {
			b.Write(chunk)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line := strings.TrimRight(b.String(), "\r\n")
		return line, total > maxLine+2, err
	}
}

// line runs one line; it reports whether the console should stop.
func (c *Console) line(ctx context.Context, line string) bool {
	word, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(word) {
	case "", "#":
		return false
	case "quit", "exit":
		return true
	case "/report":
		c.command(ctx, rest)
	case "as":
		c.become(ctx, rest)
	case "press":
		c.press(ctx, rest)
	case "tick":
		c.advance(ctx, rest)
	default:
		if strings.HasPrefix(word, "#") {
			return false // a comment in a script
		}
		c.say(c.as.Email, "I don't understand that line. Try /report help, as EMAIL, press CASE-n ACTION, tick 5h or quit.")
		return false
	}
	c.deliver(ctx)
	return false
}

func (c *Console) command(ctx context.Context, text string) {
	reply := c.handler.Command(ctx, c.fresh(ctx), text, c.mention)
	c.show(reply)
}

// fresh re-reads the current person, whose roles or status may have
// changed since the console started.
func (c *Console) fresh(ctx context.Context) directory.Person {
	if p, err := c.people.Person(ctx, c.as.ID); err == nil {
		c.as = p
	}
	return c.as
}

// mention reads "@email" in a description as a person in the directory.
func (c *Console) mention(ctx context.Context, token string) (directory.Person, bool) {
	email := strings.TrimPrefix(strings.TrimPrefix(token, "<"), "@")
	p, err := c.people.PersonByEmail(ctx, strings.TrimSuffix(email, ">"))
	return p, err == nil
}

func (c *Console) become(ctx context.Context, email string) {
	p, err := c.people.PersonByEmail(ctx, email)
	if err != nil {
		c.say(c.as.Email, fault.Sentence(err))
		return
	}
	c.as = p
	fmt.Fprintf(c.out, "You are now %s.\n", p.Display())
}

// press reads "CASE-n ACTION [ARGS]": resolve OUTCOME NOTE…, reassign EMAIL
// REASON…, escalate REASON…, reopen REASON….
func (c *Console) press(ctx context.Context, args string) {
	fields := strings.Fields(args)
	if len(fields) < 2 {
		c.say(c.as.Email, "Say which case and which button, for example: press CASE-1 acknowledge.")
		return
	}
	id, ok := cases.ParseRef(fields[0])
	if !ok {
		c.say(c.as.Email, fault.E(fault.BadCaseRef, fields[0]).Sentence())
		return
	}
	a := commands.Action{Name: fields[1]}
	rest := fields[2:]
	switch strings.ToLower(a.Name) {
	case "resolve":
		if len(rest) == 0 {
			c.say(c.as.Email, "Say the outcome and a note, for example: press "+id.String()+" resolve no_violation Checked the post; it is an approved one.")
			return
		}
		a.Outcome, a.Text = rest[0], strings.Join(rest[1:], " ")
	case "reassign":
		if len(rest) == 0 {
			c.say(c.as.Email, "Say who should take it and why, for example: press "+id.String()+" reassign carla.diaz@example.gov on leave this week.")
			return
		}
		to, err := c.people.PersonByEmail(ctx, rest[0])
		if err != nil {
			c.say(c.as.Email, fault.Sentence(err))
			return
		}
		a.To, a.Text = &to, strings.Join(rest[1:], " ")
	default:
		a.Text = strings.Join(rest, " ")
	}
	c.show(c.handler.Press(ctx, c.fresh(ctx), id, a))
}

func (c *Console) advance(ctx context.Context, arg string) {
	d, ok := summary.ParseSince(arg)
	if !ok {
		c.say(c.as.Email, fault.E(fault.BadDuration, arg).Sentence())
		return
	}
	c.clock.Advance(d)
	fmt.Fprintf(c.out, "The clock is now %s.\n", c.clock.Now().UTC().Format("2006-01-02 15:04 UTC"))
	if c.tick != nil {
		if err := c.tick(ctx); err != nil {
			c.log.Error("tick", "err", err)
			c.say(c.as.Email, fault.Sentence(err))
		}
	}
}

// show prints a reply to the current person.
func (c *Console) show(r chat.Reply) {
	if r.Text != "" {
		c.say(c.as.Email, r.Text)
	}
	if r.Form != nil {
		c.say(c.as.Email, formText(r.Form))
	}
	if r.File != nil {
		c.say(c.as.Email, fmt.Sprintf("(attached %s, %d bytes)\n%s", r.File.Name, len(r.File.Data), r.File.Data))
	}
}

// say prints text for one person, continuation lines indented.
func (c *Console) say(to, text string) {
	text = strings.TrimRight(text, "\n")
	fmt.Fprintf(c.out, "[to %s] %s\n", to, strings.ReplaceAll(text, "\n", "\n    "))
}

func formText(f *chat.Form) string {
	var names []string
	for _, fl := range f.Fields {
		names = append(names, fl.Label)
	}
	return fmt.Sprintf("(%s would open the form %q: %s. In the console, type the command with its text instead.)", "Slack or Mattermost", f.Title, strings.Join(names, ", "))
}
