package chatkit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/chatkit"
)

func TestBoundedForgetsTheOldest(t *testing.T) {
	b := chatkit.NewBounded[int, string](3)
	for i := range 5 {
		if !b.Put(i, "v") {
			t.Fatalf("key %d was not new", i)
		}
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := b.Get(i); ok != want {
			t.Errorf("key %d kept %v, want %v", i, ok, want)
		}
	}
	if b.Put(4, "w") {
		t.Error("an existing key counted as new")
	}
	b.Forget(4)
	if _, ok := b.Get(4); ok {
		t.Error("forgotten key still there")
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { b.Put(i, "x"); b.Get(i) })
	}
	wg.Wait()
}

// refs is an in-memory cases.MessageRefs.
type refs struct {
	mu sync.Mutex
	m  map[chatkit.CardKey]cases.MessageRef
}

func (r *refs) SaveMessageRef(_ context.Context, ref cases.MessageRef, _ time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[chatkit.CardKey{Case: ref.CaseID, Person: ref.PersonID}] = ref
	return nil
}

func (r *refs) MessageRef(_ context.Context, id cases.ID, person int64, platform string) (cases.MessageRef, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, ok := r.m[chatkit.CardKey{Case: id, Person: person}]
	return ref, ok && ref.Platform == platform, nil
}

func TestCardRefsSurviveARestart(t *testing.T) {
	ctx := context.Background()
	store := &refs{m: map[chatkit.CardKey]cases.MessageRef{}}
	now := func() time.Time { return time.Unix(0, 0) }
	k := chatkit.CardKey{Case: 7, Person: 2}
	chatkit.NewCardRefs("slack", 10, store, now, nil).Put(ctx, k, chatkit.CardRef{Channel: "D1", MessageID: "1.2"})
	again := chatkit.NewCardRefs("slack", 10, store, now, nil)
	if r, ok := again.Get(ctx, k); !ok || r.MessageID != "1.2" {
		t.Fatalf("after restart %+v %v", r, ok)
	}
	if _, ok := chatkit.NewCardRefs("mattermost", 10, store, now, nil).Get(ctx, k); ok {
		t.Error("a Slack card was found for Mattermost")
	}
	if _, ok := chatkit.NewCardRefs("slack", 10, nil, now, nil).Get(ctx, k); ok {
		t.Error("memory only found a card it never saw")
	}
}
