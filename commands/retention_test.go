package commands_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/commands"
)

// A case disposed of under the records schedule is answered with one plain
// sentence, from /report case and from a button on its old card alike.
func TestDisposedCase(t *testing.T) {
	w := newWorld(t, "sqlite:"+filepath.Join(t.TempDir(), "bot.db"))
	contains(t, w.command(ana, "https://www.instagram.com/p/abc she posted a picture of a detainee in the intake area"), "CASE-1")
	contains(t, w.press(ben, 1, commands.Action{Name: "resolve", Outcome: "no_violation", Text: "Not ours."}), "resolved")
	w.clock.Advance(400 * 24 * time.Hour)
	now := w.clock.Now()
	if n, err := w.store.DisposeClosedBefore(context.Background(), now.Add(-365*24*time.Hour), now, 10); err != nil || n != 1 {
		t.Fatalf("DisposeClosedBefore = %d, %v", n, err)
	}
	const gone = "CASE-1 was disposed of on 28 Dec 2027 under the records schedule."
	tests := []struct {
		as, text, want string // want: how the reply begins
	}{
		{ana, "case CASE-1", gone},
		{carla, "case 1", gone},
		{carla, "case CASE-2", "There is no CASE-2."},
		{ana, "mine", "You haven't filed any reports."},
	}
	for _, tt := range tests {
		if got := w.command(tt.as, tt.text); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s as %s: %q, want %q", tt.text, tt.as, got, tt.want)
		}
	}
	if got := w.press(carla, 1, commands.Action{Name: "reopen", Text: "look again"}); got != gone {
		t.Errorf("reopen: %q, want %q", got, gone)
	}
}
