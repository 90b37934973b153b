package mattermost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/chat/chatkit"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
)

// defaultRetryAfter is how long to wait after a 429 that says nothing.
const defaultRetryAfter = 60 * time.Second

// apiError is a failed API call with its HTTP status, for classify.
type apiError struct {
	status int
	header http.Header
	err    error
}

func (e *apiError) Error() string {
	if e.status == 0 {
		return fmt.Sprintf("mattermost: %v", e.err)
	}
	return fmt.Sprintf("mattermost: HTTP %d: %v", e.status, e.err)
}

func (e *apiError) Unwrap() error { return e.err }

// failed wraps an API error with what the response said; nil stays nil.
func failed(resp *model.Response, err error) error {
	if err == nil {
		return nil
	}
	e := &apiError{status: statusOf(resp, err), err: err}
	if resp != nil {
		e.header = resp.Header
	}
	return e
}

// classify maps an API error to what the delivery worker should do: a 429
// is a *delivery.RetryAfter (Retry-After, else X-Ratelimit-Reset, else a
// minute); a 400, 403, 404 or 413 is permanent (an unknown user or channel,
// a channel the bot may not post in, a post the server will never take);
// anything else, no answer at all included, is worth retrying.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.status {
	case http.StatusTooManyRequests:
		return &delivery.RetryAfter{After: retryAfter(ae.header), Err: err}
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusRequestEntityTooLarge:
		return delivery.Permanent(err)
	}
	return err
}

// retryAfter reads how long a rate limit lasts: Retry-After or
// X-Ratelimit-Reset, in seconds.
func retryAfter(h http.Header) time.Duration {
	for _, k := range []string{"Retry-After", "X-Ratelimit-Reset"} {
		if n, err := strconv.Atoi(strings.TrimSpace(h.Get(k))); err == nil && n > 0 && n <= 24*3600 {
			return time.Duration(n) * time.Second
		}
	}
	return defaultRetryAfter
}

// botID is the bot's own user ID, asked for once (GetMe).
type botID struct {
	mu sync.Mutex
	id string
}

func (a *Adapter) botUserID(ctx context.Context) (string, error) {
	a.bot.mu.Lock()
	defer a.bot.mu.Unlock()
	if a.bot.id != "" {
		return a.bot.id, nil
	}
	me, resp, err := a.api.GetMe(ctx, "")
	if err != nil {
		return "", failed(resp, err)
	}
	if me == nil || me.Id == "" {
		return "", errors.New("mattermost: the API did not say who the bot is")
	}
	a.bot.id = me.Id
	return me.Id, nil
}

// Deliver sends one outbox message. A case card (MsgAssigneeCase) goes to
// the DM between the bot and the recipient, with its buttons; a
// MsgCaseUpdate edits the card sent before in place, or posts it afresh when
// none is known or it is gone; notices and reminders are text in the DM;
// compliance messages go to the Mattermost channel of m.Channel
// ("mattermost:ID"). A 429 is a *delivery.RetryAfter, an unknown recipient
// or channel an error marked delivery.Permanent; other errors are worth
// retrying.
func (a *Adapter) Deliver(ctx context.Context, m cases.Message) error {
	if m.RecipientID == 0 {
		ch, ok := strings.CutPrefix(m.Channel, platformName+":")
		if !ok || ch == "" {
			return delivery.Permanent(fmt.Errorf("mattermost: message %d has no recipient and no Mattermost channel (%q)", m.ID, m.Channel))
		}
		_, resp, err := a.api.CreatePost(ctx, textPost(ch, m.Text))
		return classify(failed(resp, err))
	}
	p, err := a.people.Person(ctx, m.RecipientID)
	if fault.Is(err, fault.PersonNotFound) {
		return delivery.Permanent(err)
	}
	if err != nil {
		return err
	}
	uid, err := a.mattermostID(ctx, p)
	if err != nil {
		return classify(err)
	}
	if m.Kind != cases.MsgAssigneeCase && m.Kind != cases.MsgCaseUpdate {
		return classify(a.dm(ctx, uid, m.Text))
	}
	c, err := a.cases.Case(ctx, m.CaseID)
	if fault.Is(err, fault.CaseNotFound) {
		return delivery.Permanent(err)
	}
	if err != nil {
		return err
	}
	post := a.cardPost(ctx, m.Text, c, p)
	key := chatkit.CardKey{Case: c.ID, Person: p.ID}
	if ref, ok := a.cards.Get(ctx, key); ok && m.Kind == cases.MsgCaseUpdate {
		post.Id, post.ChannelId = ref.MessageID, ref.Channel
		_, resp, err := a.api.UpdatePost(ctx, ref.MessageID, post)
		if err == nil || statusOf(resp, err) != http.StatusNotFound {
			return classify(failed(resp, err))
		}
		// The card is gone: post it again below.
		post.Id = ""
	}
	ch, err := a.openDM(ctx, uid)
	if err != nil {
		return classify(err)
	}
	post.ChannelId = ch
	created, resp, err := a.api.CreatePost(ctx, post)
	if err != nil {
		return classify(failed(resp, err))
	}
	if created != nil && created.Id != "" {
		a.cards.Put(ctx, key, chatkit.CardRef{Channel: ch, MessageID: created.Id})
	}
	return nil
}

// mattermostID is a person's Mattermost user ID: the directory's, or the
// one Mattermost has for their e-mail, which is then linked.
func (a *Adapter) mattermostID(ctx context.Context, p directory.Person) (string, error) {
	if p.MattermostUserID != "" {
		return p.MattermostUserID, nil
	}
	u, resp, err := a.api.GetUserByEmail(ctx, p.Email, "")
	if err != nil {
		return "", failed(resp, err)
	}
	if u == nil || !validUserID(u.Id) {
		return "", delivery.Permanent(fmt.Errorf("mattermost: no user for %s", p.Email))
	}
	if err := a.people.LinkChatID(ctx, p.ID, directory.Mattermost, u.Id); err != nil {
		a.log.Warn("linking a Mattermost user failed", "person", p.ID, "err", err)
	}
	return u.Id, nil
}

// openDM opens (or finds) the DM channel between the bot and a user.
func (a *Adapter) openDM(ctx context.Context, user string) (string, error) {
	if ch, ok := a.dms.Get(user); ok {
		return ch, nil
	}
	bot, err := a.botUserID(ctx)
	if err != nil {
		return "", err
	}
	ch, resp, err := a.api.CreateDirectChannel(ctx, bot, user)
	if err != nil {
		return "", failed(resp, err)
	}
	if ch == nil || ch.Id == "" {
		return "", errors.New("mattermost: the API gave no DM channel")
	}
	a.dms.Put(user, ch.Id)
	return ch.Id, nil
}

// dm sends a user a direct message from the bot.
func (a *Adapter) dm(ctx context.Context, user, text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	ch, err := a.openDM(ctx, user)
	if err != nil {
		return err
	}
	_, resp, err := a.api.CreatePost(ctx, textPost(ch, text))
	return failed(resp, err)
}

// personOrPlaceholder looks people up for a card.
func (a *Adapter) personOrPlaceholder(ctx context.Context) func(int64) directory.Person {
	return func(id int64) directory.Person {
		p, err := a.people.Person(ctx, id)
		if err != nil {
			return directory.Person{ID: id, Name: fmt.Sprintf("person #%d", id)}
		}
		return p
	}
}

// upload sends a file (the CSV export) to a user's DM.
func (a *Adapter) upload(ctx context.Context, user string, f chat.File) error {
	if len(f.Data) == 0 {
		return nil
	}
	ch, err := a.openDM(ctx, user)
	if err != nil {
		return err
	}
	up, resp, err := a.api.UploadFile(ctx, f.Data, ch, f.Name)
	if err != nil {
		return failed(resp, err)
	}
	if up == nil || len(up.FileInfos) == 0 || up.FileInfos[0] == nil {
		return errors.New("mattermost: the upload gave no file")
	}
	post := &model.Post{ChannelId: ch, Message: neutral(f.Name), FileIds: model.StringArray{up.FileInfos[0].Id}}
	_, resp, err = a.api.CreatePost(ctx, post)
	return failed(resp, err)
}
