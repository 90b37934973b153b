package mattermost

import "sync"

// bounded is a map that forgets its oldest keys beyond a size: the adapter's
// small in-memory memories (card posts, DM channels, spent dialog nonces).
type bounded[K comparable, V any] struct {
	mu    sync.Mutex
	m     map[K]V
	order []K // a ring of keys, oldest at next
	next  int
}

func newBounded[K comparable, V any](size int) *bounded[K, V] {
	size = max(size, 1)
	return &bounded[K, V]{m: make(map[K]V), order: make([]K, 0, size)}
}

func (b *bounded[K, V]) get(k K) (V, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, ok := b.m[k]
	return v, ok
}

// put stores v under k; it reports whether k is new.
func (b *bounded[K, V]) put(k K, v V) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[k]; ok {
		b.m[k] = v
		return false
	}
	if len(b.order) < cap(b.order) {
		b.order = append(b.order, k)
	} else {
		delete(b.m, b.order[b.next])
		b.order[b.next] = k
		b.next = (b.next + 1) % len(b.order)
	}
	b.m[k] = v
	return true
}

// forget removes k. Its slot in the ring stays until it comes round.
func (b *bounded[K, V]) forget(k K) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, k)
}
