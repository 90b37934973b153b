package chatkit

import (
	"context"
	"log/slog"
	"time"

	"github.com/reportbot/reportbot/cases"
)

// CardKey names the card one person was sent about one case.
type CardKey struct {
	Case   cases.ID
	Person int64
}

// CardRef is where a card was posted: the platform's channel and message
// (Slack: channel and ts; Mattermost: channel and post ID).
type CardRef struct{ Channel, MessageID string }

// CardRefs remembers where cards were posted: in memory for speed and, when
// the store keeps message references, durably, so that a card is still
// updated in place after a restart.
type CardRefs struct {
	platform string
	b        *Bounded[CardKey, CardRef]
	store    cases.MessageRefs // nil: memory only
	now      func() time.Time
	log      *slog.Logger
}

// NewCardRefs remembers up to size cards in memory for platform; store may
// be nil.
func NewCardRefs(platform string, size int, store cases.MessageRefs, now func() time.Time, log *slog.Logger) *CardRefs {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &CardRefs{platform: platform, b: NewBounded[CardKey, CardRef](size), store: store, now: now, log: log}
}

// Put records where a card was posted.
func (c *CardRefs) Put(ctx context.Context, k CardKey, r CardRef) {
	c.b.Put(k, r)
	if c.store == nil {
		return
	}
	ref := cases.MessageRef{CaseID: k.Case, PersonID: k.Person, Platform: c.platform, Channel: r.Channel, MessageID: r.MessageID}
	if err := c.store.SaveMessageRef(ctx, ref, c.now()); err != nil {
		// The card was sent; losing its reference only means a later update
		// posts a fresh card.
		c.log.Warn("card reference not saved", "platform", c.platform, "case", k.Case.String(), "err", err)
	}
}

// Get finds where a card was posted, from memory or the store.
func (c *CardRefs) Get(ctx context.Context, k CardKey) (CardRef, bool) {
	if r, ok := c.b.Get(k); ok || c.store == nil {
		return r, ok
	}
	ref, ok, err := c.store.MessageRef(ctx, k.Case, k.Person, c.platform)
	if err != nil || !ok {
		return CardRef{}, false
	}
	r := CardRef{ref.Channel, ref.MessageID}
	c.b.Put(k, r)
	return r, true
}
