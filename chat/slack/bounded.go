package slack

import "github.com/reportbot/reportbot/chat/chatkit"

// seenSet remembers recent event IDs.
type seenSet struct {
	b *chatkit.Bounded[string, struct{}]
}

func newSeenSet(size int) *seenSet { return &seenSet{chatkit.NewBounded[string, struct{}](size)} }

// add reports whether id is new.
func (s *seenSet) add(id string) bool { return s.b.Put(id, struct{}{}) }
