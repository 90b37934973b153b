package chatkit

import "sync"

// Bounded is a map that forgets its oldest keys beyond a size: an adapter's
// in-memory memories (events seen, card messages, DM channels, nonces). It
// is safe for concurrent use.
type Bounded[K comparable, V any] struct {
	mu    sync.Mutex
	m     map[K]V
	order []K // a ring of keys, oldest at next
	next  int
}

// NewBounded makes a Bounded that keeps at most size keys.
func NewBounded[K comparable, V any](size int) *Bounded[K, V] {
	size = max(size, 1)
	return &Bounded[K, V]{m: make(map[K]V), order: make([]K, 0, size)}
}

// Get returns the value under k.
func (b *Bounded[K, V]) Get(k K) (V, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, ok := b.m[k]
	return v, ok
}

// Put stores v under k; it reports whether k is new.
func (b *Bounded[K, V]) Put(k K, v V) bool {
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

// Forget removes k. Its slot in the ring stays until it comes round.
func (b *Bounded[K, V]) Forget(k K) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, k)
}
