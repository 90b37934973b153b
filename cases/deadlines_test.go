package cases_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/routing"
	"github.com/reportbot/reportbot/store/sqlstore"
	"github.com/reportbot/reportbot/store/storetest"
)

// start is the fixed time the tests begin at (a Monday, 09:00 UTC).
var start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// recorder wraps the store and keeps the messages of every committed
// transaction, so the tests see what the bot owes without reading the
// outbox. It can also hold every CasesDue call at a barrier, to make two
// ticks read the same cases.
type recorder struct {
	cases.Store
	mu      sync.Mutex
	msgs    []cases.Message
	barrier *sync.WaitGroup
}

func (r *recorder) InTx(ctx context.Context, fn func(cases.Tx) error) error {
	var pending []cases.Message
	err := r.Store.InTx(ctx, func(tx cases.Tx) error { return fn(recTx{Tx: tx, pending: &pending}) })
	if err == nil {
		r.mu.Lock()
		r.msgs = append(r.msgs, pending...)
		r.mu.Unlock()
	}
	return err
}

func (r *recorder) CasesDue(ctx context.Context, now time.Time, limit int) ([]cases.Case, error) {
	cs, err := r.Store.CasesDue(ctx, now, limit)
	if r.barrier != nil {
		r.barrier.Done()
		r.barrier.Wait()
	}
	return cs, err
}

type recTx struct {
	cases.Tx
	pending *[]cases.Message
}

func (t recTx) Enqueue(ctx context.Context, m *cases.Message) error {
	if err := t.Tx.Enqueue(ctx, m); err != nil {
		return err
	}
	*t.pending = append(*t.pending, *m)
	return nil
}

// world is a service on a fresh store with a directory, at a hand-moved
// clock.
type world struct {
	t     *testing.T
	ctx   context.Context
	store *sqlstore.Store
	rec   *recorder
	svc   *cases.Service
	mu    sync.Mutex
	now   time.Time
	taken int
}

func newWorld(t *testing.T, b storetest.Backend, csv []byte) *world {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, b.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if csv == nil {
		if csv, err = os.ReadFile(filepath.Join("..", "testdata", "directory", "sample.csv")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := directory.Import(ctx, s, strings.NewReader(string(csv)), start); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: ctx, store: s, rec: &recorder{Store: s}, now: start}
	w.svc = cases.NewService(w.rec, s, w.Now, routing.DefaultDeadlines(), nil)
	return w
}

func (w *world) Now() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.now }

// at sets the clock to start + d.
func (w *world) at(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = start.Add(d)
}

func (w *world) person(email string) directory.Person {
	w.t.Helper()
	p, err := w.store.PersonByEmail(w.ctx, email)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *world) file(reporter string) cases.Case {
	w.t.Helper()
	f, err := w.svc.File(w.ctx, cases.Report{Reporter: w.person(reporter),
		Description: "a colleague posted a photo of the intake area on her public account"})
	if err != nil {
		w.t.Fatal(err)
	}
	return f.Case
}

func (w *world) tick() cases.TickResult {
	w.t.Helper()
	res, err := w.svc.Tick(w.ctx)
	if err != nil {
		w.t.Fatalf("Tick: %v", err)
	}
	return res
}

func (w *world) get(id cases.ID) cases.Case {
	w.t.Helper()
	c, err := w.store.Case(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// take returns the messages committed since the last take, as
// "kind to@email: text" lines.
func (w *world) take() []string {
	w.rec.mu.Lock()
	msgs := w.rec.msgs[w.taken:]
	w.taken = len(w.rec.msgs)
	w.rec.mu.Unlock()
	var out []string
	for _, m := range msgs {
		to := m.Channel
		if p, err := w.store.Person(w.ctx, m.RecipientID); err == nil {
			to = p.Email
		}
		out = append(out, string(m.Kind)+" "+to+": "+m.Text)
	}
	return out
}

// kinds is "kind to@email" of each message, sorted.
func kinds(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i], _, _ = strings.Cut(l, ":")
	}
	slices.Sort(out)
	return out
}

func (w *world) events(id cases.ID) []cases.Event {
	w.t.Helper()
	es, err := w.store.Events(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return es
}

func (w *world) wantResult(got, want cases.TickResult) {
	w.t.Helper()
	if got != want {
		w.t.Fatalf("at %s: Tick = %+v, want %+v", w.Now().Sub(start), got, want)
	}
}

func (w *world) wantMessages(want ...string) []string {
	w.t.Helper()
	lines := w.take()
	slices.Sort(want)
	if got := kinds(lines); !slices.Equal(got, want) {
		w.t.Fatalf("at %s: messages\n%s\nwant kinds %q", w.Now().Sub(start), strings.Join(lines, "\n"), want)
	}
	return lines
}

func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

const h = time.Hour

// escalateAt ticks at start + d and checks that the case went up to the
// named person.
func (w *world) escalateAt(id cases.ID, d time.Duration, to string) cases.Case {
	w.t.Helper()
	w.at(d)
	w.wantResult(w.tick(), cases.TickResult{Escalated: 1})
	c := w.get(id)
	if c.AssigneeID != w.person(to).ID || c.Status != cases.StatusOpen {
		w.t.Fatalf("after escalation at %s: assignee #%d status %s, want %s", d, c.AssigneeID, c.Status, to)
	}
	return c
}

func TestDeadlines(t *testing.T) {
	tests := []struct {
		name string
		csv  string // the directory, "" for the sample
		run  func(t *testing.T, w *world)
	}{
		{"filing schedules the first reminder and the escalation", "", func(t *testing.T, w *world) {
			c := w.file("farid.haddad@example.gov")
			wantTime(t, "NextActionAt", c.NextActionAt, start.Add(4*h))
			wantTime(t, "EscalateAt", c.EscalateAt, start.Add(24*h))
			stored := w.get(c.ID)
			wantTime(t, "stored NextActionAt", stored.NextActionAt, start.Add(4*h))
			wantTime(t, "stored EscalateAt", stored.EscalateAt, start.Add(24*h))
			w.at(4*h - time.Millisecond)
			w.wantResult(w.tick(), cases.TickResult{})
		}},
		{"reminder at 4 hours, again at 8", "", func(t *testing.T, w *world) {
			c := w.file("farid.haddad@example.gov")
			w.take()
			w.at(4 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			lines := w.wantMessages("reminder grace.kim@example.gov")
			if !strings.Contains(lines[0], "CASE-1 has been waiting for you to acknowledge it since 2026-11-23 13:00 UTC") ||
				!strings.Contains(lines[0], "one level up at 2026-11-24 09:00 UTC") {
				t.Errorf("reminder text: %s", lines[0])
			}
			got := w.get(c.ID)
			if got.Reminders != 1 {
				t.Errorf("Reminders = %d, want 1", got.Reminders)
			}
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(8*h))
			w.at(7 * h)
			w.wantResult(w.tick(), cases.TickResult{})
			w.at(8 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			w.wantMessages("reminder grace.kim@example.gov")
			got = w.get(c.ID)
			if got.Reminders != 2 || got.Status != cases.StatusOpen || got.AssigneeID != w.person("grace.kim@example.gov").ID {
				t.Errorf("after 8h: %+v", got)
			}
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(12*h))
			es := w.events(c.ID)
			if n := len(es); n != 3 || es[1].Kind != cases.EventReminded || es[2].ActorID != 0 || es[2].Detail["reminder"] != "2" {
				t.Errorf("events %+v", es)
			}
		}},
		{"the last reminder is not after the escalation", "", func(t *testing.T, w *world) {
			c := w.file("farid.haddad@example.gov")
			w.at(22 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			wantTime(t, "NextActionAt", w.get(c.ID).NextActionAt, start.Add(24*h))
		}},
		{"escalation at 24 hours: next level, compliance and reporter told", "", func(t *testing.T, w *world) {
			c := w.file("farid.haddad@example.gov")
			for hr := 4; hr < 24; hr += 4 {
				w.at(time.Duration(hr) * h)
				w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			}
			w.take()
			got := w.escalateAt(c.ID, 24*h, "henry.mensah@example.gov")
			lines := w.wantMessages(
				"assignee_case henry.mensah@example.gov",
				"case_update grace.kim@example.gov",
				"reporter_notice farid.haddad@example.gov",
				"compliance carla.diaz@example.gov",
				"compliance kofi.asante@example.gov",
			)
			for _, l := range lines {
				if strings.HasPrefix(l, "compliance carla") &&
					!strings.Contains(l, "CASE-1 was not acknowledged by Grace Kim within 24 hours; it has been escalated to Henry Mensah") {
					t.Errorf("compliance text: %s", l)
				}
			}
			if got.EscalationLevel != 1 || got.Reminders != 5 {
				t.Errorf("level %d reminders %d", got.EscalationLevel, got.Reminders)
			}
			wantTime(t, "EscalateAt", got.EscalateAt, start.Add(48*h))
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(28*h))
			wantTime(t, "AckDueAt", got.AckDueAt, start.Add(28*h))
			es := w.events(c.ID)
			last := es[len(es)-1]
			if last.Kind != cases.EventEscalated || last.ActorID != 0 ||
				last.Detail["reason"] != "not acknowledged within 24 hours" || last.Detail["to"] != "henry.mensah@example.gov" {
				t.Errorf("last event %+v", last)
			}
			// The new assignee is reminded 4 hours later.
			w.at(28 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			w.wantMessages("reminder henry.mensah@example.gov")
		}},
		{"up to the top of the chain, then compliance, then it stays open", "", func(t *testing.T, w *world) {
			c := w.file("farid.haddad@example.gov")
			w.escalateAt(c.ID, 24*h, "henry.mensah@example.gov")
			w.escalateAt(c.ID, 48*h, "irene.novak@example.gov")
			got := w.escalateAt(c.ID, 72*h, "carla.diaz@example.gov")
			if r := got.RoutingReasons[len(got.RoutingReasons)-1]; !strings.Contains(r, "compliance (Carla Diaz)") {
				t.Errorf("routing reason %q", r)
			}
			w.take()
			w.at(96 * h)
			w.wantResult(w.tick(), cases.TickResult{AtTop: 1})
			lines := w.wantMessages("compliance carla.diaz@example.gov", "compliance kofi.asante@example.gov")
			if !strings.Contains(lines[0], "nobody further up the chain") {
				t.Errorf("compliance text: %s", lines[0])
			}
			got = w.get(c.ID)
			if got.Status != cases.StatusOpen || got.AssigneeID != w.person("carla.diaz@example.gov").ID || got.EscalationLevel != 3 {
				t.Errorf("at the top: %+v", got)
			}
			wantTime(t, "EscalateAt", got.EscalateAt, start.Add(120*h))
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(100*h))
			// It keeps being chased: reminders, and compliance again a day later.
			w.at(100 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			w.at(120 * h)
			w.wantResult(w.tick(), cases.TickResult{AtTop: 1})
			w.at(30 * 24 * h)
			w.wantResult(w.tick(), cases.TickResult{AtTop: 1})
			if got := w.get(c.ID); got.Status != cases.StatusOpen {
				t.Errorf("status %s, want open", got.Status)
			}
		}},
		{"nobody left and no compliance lead: the case stays open", "email,name,supervisor_email\n" +
			"x@example.gov,X,y@example.gov\ny@example.gov,Y,\n", func(t *testing.T, w *world) {
			c := w.file("x@example.gov")
			w.take()
			w.at(24 * h)
			w.wantResult(w.tick(), cases.TickResult{AtTop: 1})
			w.wantMessages() // nobody to tell but the log
			got := w.get(c.ID)
			if got.Status != cases.StatusOpen || got.AssigneeID != w.person("y@example.gov").ID {
				t.Errorf("%+v", got)
			}
			wantTime(t, "EscalateAt", got.EscalateAt, start.Add(48*h))
		}},
		{"acknowledged: no escalation, a resolve reminder after 10 days", "", func(t *testing.T, w *world) {
			c := w.file("ana.lopez@example.gov")
			w.at(h)
			if _, err := w.svc.Acknowledge(w.ctx, c.ID, w.person("ben.okafor@example.gov")); err != nil {
				t.Fatal(err)
			}
			got := w.get(c.ID)
			if !got.EscalateAt.IsZero() {
				t.Errorf("EscalateAt %v after acknowledgement", got.EscalateAt)
			}
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(240*h))
			w.take()
			for _, d := range []time.Duration{4 * h, 24 * h, 48 * h, 240*h - time.Minute} {
				w.at(d)
				w.wantResult(w.tick(), cases.TickResult{})
			}
			w.at(240 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			lines := w.wantMessages("reminder ben.okafor@example.gov")
			if !strings.Contains(lines[0], "CASE-1 is waiting to be resolved") {
				t.Errorf("text: %s", lines[0])
			}
			got = w.get(c.ID)
			if got.Status != cases.StatusAcknowledged || got.EscalationLevel != 0 || got.Reminders != 1 {
				t.Errorf("%+v", got)
			}
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(288*h))
		}},
		{"closed cases are never picked up", "", func(t *testing.T, w *world) {
			a := w.file("ana.lopez@example.gov")
			b := w.file("david.cho@example.gov")
			w.at(h)
			if _, err := w.svc.Resolve(w.ctx, a.ID, w.person("ben.okafor@example.gov"), cases.OutcomeNoViolation, "approved post"); err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.Withdraw(w.ctx, b.ID, w.person("david.cho@example.gov")); err != nil {
				t.Fatal(err)
			}
			for _, id := range []cases.ID{a.ID, b.ID} {
				got := w.get(id)
				if !got.NextActionAt.IsZero() || !got.EscalateAt.IsZero() {
					t.Errorf("%s closed with NextActionAt %v EscalateAt %v", id, got.NextActionAt, got.EscalateAt)
				}
			}
			w.take()
			w.at(400 * 24 * h)
			w.wantResult(w.tick(), cases.TickResult{})
			w.wantMessages()
			due, err := w.store.CasesDue(w.ctx, w.Now(), 0)
			if err != nil || len(due) != 0 {
				t.Errorf("CasesDue = %v, %v", due, err)
			}
		}},
		{"an away assignee's delegate is reminded too", "", func(t *testing.T, w *world) {
			w.file("farid.haddad@example.gov") // goes to Grace
			w.take()
			grace, henry := w.person("grace.kim@example.gov"), w.person("henry.mensah@example.gov")
			// The recorder hides the store's delegations from the service.
			w.svc.UseDelegations(w.store)
			// Grace leaves after the case reached her, naming Henry.
			err := w.store.SetDelegation(w.ctx, routing.Delegation{PersonID: grace.ID, DelegateID: henry.ID,
				Until: start.Add(7 * 24 * h), CreatedAt: start.Add(h)})
			if err != nil {
				t.Fatal(err)
			}
			w.at(4 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
			lines := w.wantMessages("reminder grace.kim@example.gov", "reminder henry.mensah@example.gov")
			if !strings.Contains(strings.Join(lines, "\n"), "assignee is away until 2026-11-30") {
				t.Errorf("the delegate's reminder does not say why:\n%s", strings.Join(lines, "\n"))
			}
		}},
		{"escalation notices also go to the compliance channel", "", func(t *testing.T, w *world) {
			w.svc.UseComplianceChannel("slack:C0COMPLIANCE")
			w.file("farid.haddad@example.gov")
			w.take()
			w.at(24 * h)
			w.tick()
			found := false
			for _, l := range w.take() {
				found = found || strings.HasPrefix(l, "compliance slack:C0COMPLIANCE: CASE-1")
			}
			if !found {
				t.Error("no escalation notice to the compliance channel")
			}
		}},
		{"reassignment restarts the escalation clock", "", func(t *testing.T, w *world) {
			c := w.file("ana.lopez@example.gov")
			w.at(20 * h)
			if _, err := w.svc.Reassign(w.ctx, c.ID, w.person("ben.okafor@example.gov"), w.person("david.cho@example.gov"), "covering"); err != nil {
				t.Fatal(err)
			}
			got := w.get(c.ID)
			wantTime(t, "EscalateAt", got.EscalateAt, start.Add(44*h))
			wantTime(t, "NextActionAt", got.NextActionAt, start.Add(24*h))
			w.at(24 * h)
			w.wantResult(w.tick(), cases.TickResult{Reminded: 1})
		}},
		{"two ticks at once act once", "", func(t *testing.T, w *world) {
			c := w.file("farid.haddad@example.gov")
			w.take()
			w.at(4 * h)
			var bar sync.WaitGroup
			bar.Add(2)
			w.rec.barrier = &bar // both ticks read the case before either writes
			var (
				wg   sync.WaitGroup
				res  [2]cases.TickResult
				errs [2]error
			)
			for i := range 2 {
				wg.Go(func() { res[i], errs[i] = w.svc.Tick(w.ctx) })
			}
			wg.Wait()
			w.rec.barrier = nil
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			sum := cases.TickResult{Reminded: res[0].Reminded + res[1].Reminded, Skipped: res[0].Skipped + res[1].Skipped}
			w.wantResult(sum, cases.TickResult{Reminded: 1, Skipped: 1})
			w.wantMessages("reminder grace.kim@example.gov")
			if got := w.get(c.ID); got.Reminders != 1 {
				t.Errorf("Reminders = %d", got.Reminders)
			}
			if n := len(w.events(c.ID)); n != 2 {
				t.Errorf("%d events, want filed and one reminded", n)
			}
		}},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				var csv []byte
				if tt.csv != "" {
					csv = []byte(tt.csv)
				}
				tt.run(t, newWorld(t, b, csv))
			})
		}
	})
}
