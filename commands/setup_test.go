package commands_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/policy"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/sqlstore"
)

// start is the fixed time tests begin at.
var start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// clock is a hand-moved test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// world is a bot on a fresh SQLite store with the sample directory.
type world struct {
	t       testing.TB
	store   *sqlstore.Store
	handler *commands.Handler
	svc     *cases.Service
	clock   *clock
}

var (
	classifierOnce sync.Once
	classifier     *policy.Classifier
)

func sharedClassifier(t testing.TB) *policy.Classifier {
	classifierOnce.Do(func() {
		c, err := policy.Default()
		if err != nil {
			t.Fatal(err)
		}
		classifier = c
	})
	return classifier
}

func newWorld(t testing.TB, databaseURL string) *world {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f, err := os.Open(filepath.Join("..", "testdata", "directory", "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := directory.Import(ctx, s, f, start); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: start}
	svc := cases.NewService(s, s, c.Now, routing.DefaultDeadlines(), nil)
	return &world{t: t, store: s, svc: svc, clock: c, handler: commands.New(svc, s, s, sharedClassifier(t), c.Now, nil)}
}

func (w *world) person(email string) directory.Person {
	w.t.Helper()
	p, err := w.store.PersonByEmail(context.Background(), email)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// mention reads "@email" as the console does.
func (w *world) mention(ctx context.Context, token string) (directory.Person, bool) {
	p, err := w.store.PersonByEmail(ctx, token[1:])
	return p, err == nil
}

func (w *world) command(as, text string) string {
	w.t.Helper()
	return w.handler.Command(context.Background(), w.person(as), text, w.mention).Text
}

func (w *world) press(as string, id cases.ID, a commands.Action) string {
	w.t.Helper()
	return w.handler.Press(context.Background(), w.person(as), id, a).Text
}

func (w *world) get(id cases.ID) cases.Case {
	w.t.Helper()
	c, err := w.store.Case(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// The sample directory's people.
const (
	ana   = "ana.lopez@example.gov"   // staff, reports to ben
	ben   = "ben.okafor@example.gov"  // supervisor, reports to carla
	carla = "carla.diaz@example.gov"  // compliance lead, top of her chain
	david = "david.cho@example.gov"   // staff, reports to ben
	kofi  = "kofi.asante@example.gov" // compliance, reports to carla
	irene = "irene.novak@example.gov" // top of the Otay Mesa chain
)
