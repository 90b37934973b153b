package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/migrations"
)

// TestConformance runs the same tests on every dialect: SQLite always,
// PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) names a server
// (required under CI=true). Each test gets a fresh database.
func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, b backend)
	}{
		{"MigrationsIdempotent", testMigrationsIdempotent},
		{"CaseRoundTrip", testCaseRoundTrip},
		{"CaseNumbersFromOne", testCaseNumbersFromOne},
		{"CaseNotFound", testCaseNotFound},
		{"VersionConflict", testVersionConflict},
		{"VersionConflictConcurrent", testVersionConflictConcurrent},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Events", testEvents},
		{"EventsAppendOnly", testEventsAppendOnly},
		{"Enqueue", testEnqueue},
		{"Delivery", testDelivery},
		{"MessageRefs", testMessageRefs},
		{"DeadlineFieldsRoundTrip", testDeadlineFieldsRoundTrip},
		{"CasesDue", testCasesDue},
		{"CasesDueUsesIndex", testCasesDueUsesIndex},
		{"ClaimBasics", testClaimBasics},
		{"ClaimConcurrent", testClaimConcurrent},
		{"ClaimExpiredTakenOver", testClaimExpiredTakenOver},
		{"ClaimOnlyOwnerMarks", testClaimOnlyOwnerMarks},
		{"ClaimRelease", testClaimRelease},
		{"ClaimDeadLetters", testClaimDeadLetters},
		{"InTxRollback", testInTxRollback},
		{"InTxSeesOwnWrites", testInTxSeesOwnWrites},
		{"CasesByReporter", testCasesByReporter},
		{"CasesByAssignee", testCasesByAssignee},
		{"RelatedByLink", testRelatedByLink},
		{"CasesSince", testCasesSince},
		{"Summary", testSummary},
		{"SyncPeople", testSyncPeople},
		{"PeopleLookups", testPeopleLookups},
		{"ClosedStore", testClosedStore},
		{"ContextErrors", testContextErrors},
		{"RetentionDispose", testRetentionDispose},
		{"RetentionAppendOnly", testRetentionAppendOnly},
		{"RetentionBatches", testRetentionBatches},
		{"RetentionNumbersNotReused", testRetentionNumbersNotReused},
		{"RetentionNoPII", testRetentionNoPII},
		{"RetentionCoversEveryTable", testRetentionCoversEveryTable},
		{"RetentionPurgeSent", testRetentionPurgeSent},
		{"RetentionConcurrent", testRetentionConcurrent},
	}
	dialects := []struct {
		name    string
		backend func(t *testing.T) backend
	}{
		{"sqlite", func(*testing.T) backend { return sqliteBackend }},
		{"postgres", func(t *testing.T) backend { return postgresBackend(t) }},
	}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			b := d.backend(t)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					tt.run(t, b)
				})
			}
		})
	}
}

// T0 is the tests' clock: a Monday morning, with milliseconds.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 250_000_000, time.UTC)

var ctx = context.Background()

// people is a small directory: ana and dan report to ben, ben to carla.
func seedPeople(t testing.TB, s *Store) map[string]int64 {
	t.Helper()
	_, err := s.SyncPeople(ctx, []directory.Person{
		{Email: "ana@example.gov", Name: "Ana", SupervisorEmail: "ben@example.gov", Unit: "Krome", SlackUserID: "U0ANA"},
		{Email: "ben@example.gov", Name: "Ben", SupervisorEmail: "carla@example.gov", Unit: "Krome"},
		{Email: "carla@example.gov", Name: "Carla", Unit: "HQ", Roles: []directory.Role{directory.RoleCompliance}},
		{Email: "dan@example.gov", Name: "Dan", SupervisorEmail: "ben@example.gov", Unit: "Krome"},
	}, T0)
	if err != nil {
		t.Fatalf("SyncPeople: %v", err)
	}
	ids := map[string]int64{}
	ppl, err := s.People(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ppl {
		ids[p.Name] = p.ID
	}
	return ids
}

// newCase is an open case filed at created.
func newCase(reporter, assignee int64, created time.Time) cases.Case {
	return cases.Case{
		Status: cases.StatusOpen, ReporterID: reporter, AssigneeID: assignee,
		Description: "a post", Unit: "Krome",
		CreatedAt: created, UpdatedAt: created,
		AckDueAt: created.Add(4 * time.Hour), ResolveDueAt: created.Add(72 * time.Hour),
	}
}

// insert files cases in one transaction each and returns them with IDs.
func insert(t testing.TB, s *Store, cs ...cases.Case) []cases.Case {
	t.Helper()
	for i := range cs {
		err := s.InTx(ctx, func(tx cases.Tx) error { return tx.InsertCase(ctx, &cs[i]) })
		if err != nil {
			t.Fatalf("InsertCase: %v", err)
		}
	}
	return cs
}

func ids(cs []cases.Case) []cases.ID {
	out := make([]cases.ID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func wantReason(t *testing.T, err error, r fault.Reason) {
	t.Helper()
	if !fault.Is(err, r) {
		t.Fatalf("error %v, want reason %s", err, r)
	}
}

func testMigrationsIdempotent(t *testing.T, b backend) {
	u := b.newURL(t)
	s1, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, s1, newCase(seedPeople(t, s1)["Ana"], 0, T0))
	s1.Close()

	s2, err := Open(ctx, u) // migrations already applied: nothing to do, nothing lost
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer s2.Close()
	if err := migrations.Apply(ctx, s2.w.DB, s2.Dialect()); err != nil {
		t.Fatalf("Apply again: %v", err)
	}
	if n, err := migrations.Pending(ctx, s2.w.DB, s2.Dialect()); err != nil || n != 0 {
		t.Fatalf("Pending = %d, %v; want 0", n, err)
	}
	if err := s2.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if err := s2.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if _, err := s2.Case(ctx, 1); err != nil {
		t.Fatalf("case lost across Open: %v", err)
	}
	if s2.Dialect() != b.name {
		t.Errorf("Dialect() = %q, want %q", s2.Dialect(), b.name)
	}
}

func testCaseRoundTrip(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	at := T0.Add(123456789 * time.Nanosecond) // sub-millisecond parts are dropped
	full := cases.Case{
		Status:        cases.StatusResolved,
		ReporterID:    p["Ana"],
		SubjectID:     p["Dan"],
		Link:          "https://example.com/post/1?x=ü",
		LinkKey:       "example.com/post/1",
		Description:   "«quoted» text with 'quotes', \"double\", and a newline\nhere",
		RedactedKinds: []string{"a_number", "email"},
		Categories: []cases.Category{
			{ID: "4-2.f", Title: "Personal use", Score: 0.91, Evidence: []string{"detainee", "photo"}},
			{ID: "4-4.j.i", Title: "Other", Score: 0.125},
		},
		RulebookVersion: "2026.03",
		AssigneeID:      p["Ben"],
		Unit:            "Krome Clinic",
		RoutingReasons:  []string{"reporter's supervisor", "subject skipped"},
		EscalationLevel: 2,
		Outcome:         cases.OutcomeViolationConfirmed,
		ResolutionNote:  "removed",
		CreatedAt:       at,
		UpdatedAt:       at.Add(time.Hour),
		AckDueAt:        at.Add(4 * time.Hour),
		ResolveDueAt:    at.Add(72 * time.Hour),
		AcknowledgedAt:  at.Add(30 * time.Minute),
		ResolvedAt:      at.Add(time.Hour),
	}
	sparse := cases.Case{ // zero times, no subject, no assignee, no JSON lists
		Status: cases.StatusOpen, ReporterID: p["Dan"], CreatedAt: T0, UpdatedAt: T0,
	}
	for _, c := range []cases.Case{full, sparse} {
		in := insert(t, s, c)[0]
		if in.ID == 0 || in.Version != 1 {
			t.Fatalf("after insert: ID %d version %d", in.ID, in.Version)
		}
		got, err := s.Case(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := in
		for _, tp := range []*time.Time{&want.CreatedAt, &want.UpdatedAt, &want.AckDueAt, &want.ResolveDueAt,
			&want.AcknowledgedAt, &want.ResolvedAt, &want.WithdrawnAt} {
			if !tp.IsZero() {
				*tp = tp.Truncate(time.Millisecond)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip\n got %+v\nwant %+v", got, want)
		}
		if got.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt in %v, want UTC", got.CreatedAt.Location())
		}
	}
}

func testCaseNumbersFromOne(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	got := ids(insert(t, s, newCase(p["Ana"], p["Ben"], T0), newCase(p["Ana"], p["Ben"], T0), newCase(p["Dan"], p["Ben"], T0)))
	if want := []cases.ID{1, 2, 3}; !slices.Equal(got, want) {
		t.Fatalf("case numbers %v, want %v", got, want)
	}
	if got[0].String() != "CASE-1" {
		t.Errorf("ref %q", got[0])
	}
}

func testCaseNotFound(t *testing.T, b backend) {
	s := b.open(t)
	_, err := s.Case(ctx, 42)
	wantReason(t, err, fault.CaseNotFound)
	if fault.Sentence(err) != "There is no CASE-42." {
		t.Errorf("sentence %q", fault.Sentence(err))
	}
	_, err = s.Events(ctx, 42)
	wantReason(t, err, fault.CaseNotFound)
	err = s.InTx(ctx, func(tx cases.Tx) error {
		if _, err := tx.Case(ctx, 42); !fault.Is(err, fault.CaseNotFound) {
			t.Errorf("tx.Case: %v", err)
		}
		c := newCase(1, 0, T0)
		c.ID = 42
		return tx.UpdateCase(ctx, &c, 1)
	})
	wantReason(t, err, fault.CaseNotFound)
}

func testVersionConflict(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]

	// Two people read version 1 and both press a button.
	first, second := c, c
	first.Status, first.AcknowledgedAt = cases.StatusAcknowledged, T0.Add(time.Hour)
	second.Status, second.WithdrawnAt = cases.StatusWithdrawn, T0.Add(time.Hour)
	if err := s.InTx(ctx, func(tx cases.Tx) error { return tx.UpdateCase(ctx, &first, 1) }); err != nil {
		t.Fatalf("first update: %v", err)
	}
	if first.Version != 2 {
		t.Errorf("version after update %d, want 2", first.Version)
	}
	err := s.InTx(ctx, func(tx cases.Tx) error { return tx.UpdateCase(ctx, &second, 1) })
	wantReason(t, err, fault.VersionConflict)
	if second.Version != 1 {
		t.Errorf("loser's version changed to %d", second.Version)
	}
	got, err := s.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != cases.StatusAcknowledged || got.Version != 2 || !got.WithdrawnAt.IsZero() {
		t.Errorf("stored %s v%d withdrawn %v; want the first update only", got.Status, got.Version, got.WithdrawnAt)
	}
	// With the version just read, the next update goes through.
	second = got
	second.Status = cases.StatusResolved
	if err := s.InTx(ctx, func(tx cases.Tx) error { return tx.UpdateCase(ctx, &second, got.Version) }); err != nil {
		t.Fatalf("update with fresh version: %v", err)
	}
	if second.Version != 3 {
		t.Errorf("version %d, want 3", second.Version)
	}
}

func testVersionConflictConcurrent(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.InTx(ctx, func(tx cases.Tx) error {
				mine, err := tx.Case(ctx, c.ID)
				if err != nil {
					return err
				}
				mine.EscalationLevel = i + 1
				if err := tx.UpdateCase(ctx, &mine, c.Version); err != nil { // all read version 1
					return err
				}
				return tx.AppendEvent(ctx, &cases.Event{CaseID: c.ID, At: T0, ActorID: p["Ben"], Kind: cases.EventEscalated})
			})
		})
	}
	wg.Wait()
	won, winner := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
			winner = i + 1
		case !fault.Is(err, fault.VersionConflict):
			t.Errorf("goroutine %d: %v, want success or VersionConflict", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d updates won, want exactly 1", won)
	}
	got, err := s.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.EscalationLevel != winner {
		t.Errorf("stored version %d level %d, want 2 and %d", got.Version, got.EscalationLevel, winner)
	}
	if ev, _ := s.Events(ctx, c.ID); len(ev) != 1 {
		t.Errorf("%d events, want the winner's only", len(ev))
	}
}

// testConcurrentWriters files cases from many goroutines at once while
// others read: on SQLite nothing may fail with SQLITE_BUSY.
func testConcurrentWriters(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	const writers, each = 6, 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[cases.ID]bool{}
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				c := newCase(p["Ana"], p["Ben"], T0.Add(time.Duration(w*each+i)*time.Second))
				err := s.InTx(ctx, func(tx cases.Tx) error { return fileCase(ctx, tx, &c) })
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				mu.Lock()
				seen[c.ID] = true
				mu.Unlock()
			}
		})
		wg.Go(func() {
			for range each {
				if _, err := s.CasesSince(ctx, time.Time{}); err != nil {
					t.Errorf("reader: %v", err)
					return
				}
				if _, err := s.Summary(ctx, time.Time{}, T0); err != nil {
					t.Errorf("summary: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != writers*each {
		t.Errorf("%d distinct case numbers, want %d", len(seen), writers*each)
	}
	all, err := s.CasesSince(ctx, time.Time{})
	if err != nil || len(all) != writers*each {
		t.Errorf("CasesSince: %d cases, %v", len(all), err)
	}
}

// fileCase is what filing writes: the case, its first event, a message.
func fileCase(ctx context.Context, tx cases.Tx, c *cases.Case) error {
	if err := tx.InsertCase(ctx, c); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, &cases.Event{CaseID: c.ID, At: c.CreatedAt, ActorID: c.ReporterID,
		Kind: cases.EventFiled, Detail: map[string]string{"assignee": "ben"}}); err != nil {
		return err
	}
	return tx.Enqueue(ctx, &cases.Message{CaseID: c.ID, Kind: cases.MsgAssigneeCase,
		RecipientID: c.AssigneeID, Text: "new case", CreatedAt: c.CreatedAt})
}

func testEvents(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
	other := insert(t, s, newCase(p["Dan"], p["Ben"], T0))[0]
	if ev, err := s.Events(ctx, c.ID); err != nil || len(ev) != 0 {
		t.Fatalf("no events yet: %v, %v", ev, err)
	}
	in := []cases.Event{
		{CaseID: c.ID, At: T0, ActorID: p["Ana"], Kind: cases.EventFiled, Detail: map[string]string{"assignee": "ben@example.gov"}},
		{CaseID: other.ID, At: T0, ActorID: p["Dan"], Kind: cases.EventFiled},
		// Same instant as the next: order is the order of writing.
		{CaseID: c.ID, At: T0.Add(time.Hour), Kind: cases.EventReminded},
		{CaseID: c.ID, At: T0.Add(time.Hour), ActorID: p["Ben"], Kind: cases.EventResolved,
			Detail: map[string]string{"outcome": "no_violation", "note": "fine — «ok»"}},
	}
	err := s.InTx(ctx, func(tx cases.Tx) error {
		for i := range in {
			if err := tx.AppendEvent(ctx, &in[i]); err != nil {
				return err
			}
			if in[i].ID == 0 {
				t.Errorf("event %d: no ID", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Events(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []cases.Event{in[0], in[2], in[3]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %+v\nwant %+v", got, want)
	}
}

func testEventsAppendOnly(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
	err := s.InTx(ctx, func(tx cases.Tx) error {
		return tx.AppendEvent(ctx, &cases.Event{CaseID: c.ID, At: T0, Kind: cases.EventFiled})
	})
	if err != nil {
		t.Fatal(err)
	}
	refused := []struct{ sql, why string }{
		{`UPDATE case_events SET kind = 'withdrawn'`, "append-only"},
		{`DELETE FROM case_events`, "append-only"},
		{`DELETE FROM cases`, "foreign key"}, // would orphan the history
	}
	if b.name == "postgres" {
		refused = append(refused, struct{ sql, why string }{`TRUNCATE case_events`, "append-only"})
	}
	for _, q := range refused {
		_, err := s.w.ExecContext(ctx, q.sql)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), q.why) {
			t.Errorf("%s: %v, want refused (%s)", q.sql, err, q.why)
		}
	}
	ev, err := s.Events(ctx, c.ID)
	if err != nil || len(ev) != 1 || ev[0].Kind != cases.EventFiled {
		t.Errorf("history changed: %+v, %v", ev, err)
	}
}

func testEnqueue(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	c := insert(t, s, newCase(p["Ana"], p["Ben"], T0))[0]
	msgs := []cases.Message{
		{CaseID: c.ID, Kind: cases.MsgAssigneeCase, RecipientID: p["Ben"], Text: "CASE-1 for you", CreatedAt: T0},
		{Kind: cases.MsgCompliance, Channel: "slack:C123", Text: "digest", Status: cases.DeliverySent,
			Attempts: 2, CreatedAt: T0, NextAttemptAt: T0.Add(time.Minute), SentAt: T0.Add(2 * time.Minute), LastError: "429"},
	}
	err := s.InTx(ctx, func(tx cases.Tx) error {
		for i := range msgs {
			if err := tx.Enqueue(ctx, &msgs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].ID == 0 || msgs[1].ID <= msgs[0].ID {
		t.Errorf("IDs %d, %d", msgs[0].ID, msgs[1].ID)
	}
	if msgs[0].Status != cases.DeliveryPending || !msgs[0].NextAttemptAt.Equal(T0) {
		t.Errorf("defaults: status %q next %v", msgs[0].Status, msgs[0].NextAttemptAt)
	}
	type row struct {
		ID            int64  `db:"id"`
		CaseID        *int64 `db:"case_id"`
		Kind          string `db:"kind"`
		RecipientID   *int64 `db:"recipient_id"`
		Channel       string `db:"channel"`
		Text          string `db:"text"`
		Status        string `db:"status"`
		Attempts      int    `db:"attempts"`
		NextAttemptAt int64  `db:"next_attempt_at"`
		CreatedAt     int64  `db:"created_at"`
		SentAt        *int64 `db:"sent_at"`
		LastError     string `db:"last_error"`
	}
	var rows []row
	if err := s.r.SelectContext(ctx, &rows, `SELECT id, case_id, kind, recipient_id, channel, text, status, attempts, next_attempt_at, created_at, sent_at, last_error FROM outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d outbox rows", len(rows))
	}
	r0, r1 := rows[0], rows[1]
	if r0.CaseID == nil || *r0.CaseID != int64(c.ID) || r0.RecipientID == nil || *r0.RecipientID != p["Ben"] ||
		r0.Kind != "assignee_case" || r0.Status != "pending" || r0.SentAt != nil || r0.NextAttemptAt != T0.UnixMilli() {
		t.Errorf("row 0: %+v", r0)
	}
	if r1.CaseID != nil || r1.RecipientID != nil || r1.Channel != "slack:C123" || r1.Status != "sent" ||
		r1.Attempts != 2 || r1.SentAt == nil || *r1.SentAt != T0.Add(2*time.Minute).UnixMilli() || r1.LastError != "429" {
		t.Errorf("row 1: %+v", r1)
	}
}

func testInTxRollback(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	boom := errors.New("boom")
	var filed cases.Case
	err := s.InTx(ctx, func(tx cases.Tx) error {
		filed = newCase(p["Ana"], p["Ben"], T0)
		if err := fileCase(ctx, tx, &filed); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want fn's error", err)
	}
	_, err = s.Case(ctx, filed.ID)
	wantReason(t, err, fault.CaseNotFound)
	for _, table := range []string{"cases", "case_events", "outbox"} {
		var n int
		if err := s.r.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+table); err != nil || n != 0 {
			t.Errorf("%s: %d rows after rollback (%v)", table, n, err)
		}
	}
	// A panic rolls back too, and the store stays usable.
	func() {
		defer func() { _ = recover() }()
		_ = s.InTx(ctx, func(tx cases.Tx) error {
			c := newCase(p["Ana"], p["Ben"], T0)
			_ = tx.InsertCase(ctx, &c)
			panic("bug")
		})
	}()
	if all, err := s.CasesSince(ctx, time.Time{}); err != nil || len(all) != 0 {
		t.Errorf("after panic: %d cases, %v", len(all), err)
	}
	insert(t, s, newCase(p["Ana"], p["Ben"], T0))
}

func testInTxSeesOwnWrites(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	err := s.InTx(ctx, func(tx cases.Tx) error {
		c := newCase(p["Ana"], p["Ben"], T0)
		if err := tx.InsertCase(ctx, &c); err != nil {
			return err
		}
		got, err := tx.Case(ctx, c.ID)
		if err != nil {
			return err
		}
		if got.ID != c.ID || got.Version != 1 {
			t.Errorf("tx.Case: %+v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testCasesByReporter(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	insert(t, s,
		newCase(p["Ana"], p["Ben"], T0.Add(2*time.Hour)), // 1
		newCase(p["Dan"], p["Ben"], T0.Add(3*time.Hour)), // 2
		newCase(p["Ana"], p["Ben"], T0),                  // 3: filed earliest
		newCase(p["Ana"], p["Ben"], T0.Add(2*time.Hour)), // 4: same time as 1
	)
	tests := []struct {
		reporter int64
		limit    int
		want     []cases.ID
	}{
		{p["Ana"], 0, []cases.ID{4, 1, 3}},
		{p["Ana"], -1, []cases.ID{4, 1, 3}},
		{p["Ana"], 2, []cases.ID{4, 1}},
		{p["Dan"], 10, []cases.ID{2}},
		{p["Carla"], 0, []cases.ID{}},
	}
	for _, tt := range tests {
		got, err := s.CasesByReporter(ctx, tt.reporter, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("CasesByReporter(%d, %d) = %v, want %v", tt.reporter, tt.limit, ids(got), tt.want)
		}
	}
}

func testCasesByAssignee(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	mk := func(assignee int64, created time.Time, st cases.Status) cases.Case {
		c := newCase(p["Ana"], assignee, created)
		c.Status = st
		return c
	}
	insert(t, s,
		mk(p["Ben"], T0.Add(time.Hour), cases.StatusOpen),           // 1
		mk(p["Ben"], T0, cases.StatusAcknowledged),                  // 2: oldest
		mk(p["Ben"], T0.Add(-time.Hour), cases.StatusResolved),      // 3: closed
		mk(p["Ben"], T0.Add(-time.Hour), cases.StatusWithdrawn),     // 4: closed
		mk(p["Carla"], T0.Add(-2*time.Hour), cases.StatusOpen),      // 5: someone else's
		mk(p["Ben"], T0.Add(2*time.Hour), cases.StatusAcknowledged), // 6
	)
	tests := []struct {
		assignee int64
		limit    int
		want     []cases.ID
	}{
		{p["Ben"], 0, []cases.ID{2, 1, 6}},
		{p["Ben"], 2, []cases.ID{2, 1}},
		{p["Carla"], 0, []cases.ID{5}},
		{p["Dan"], 0, []cases.ID{}},
	}
	for _, tt := range tests {
		got, err := s.CasesByAssignee(ctx, tt.assignee, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("CasesByAssignee(%d, %d) = %v, want %v", tt.assignee, tt.limit, ids(got), tt.want)
		}
	}
}

func testRelatedByLink(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	mk := func(key string, created time.Time) cases.Case {
		c := newCase(p["Ana"], p["Ben"], created)
		c.LinkKey, c.Link = key, "https://"+key
		return c
	}
	insert(t, s,
		mk("a.example/1", T0),                   // 1: before the window
		mk("a.example/1", T0.Add(24*time.Hour)), // 2: at the window's start
		mk("b.example/2", T0.Add(25*time.Hour)), // 3: another link
		mk("a.example/1", T0.Add(48*time.Hour)), // 4: the new report
		mk("", T0.Add(48*time.Hour)),            // 5: no link
		mk("", T0.Add(49*time.Hour)),            // 6: no link
		mk("a.example/1", T0.Add(50*time.Hour)), // 7
	)
	tests := []struct {
		key    string
		since  time.Time
		except cases.ID
		want   []cases.ID
	}{
		{"a.example/1", T0.Add(24 * time.Hour), 4, []cases.ID{2, 7}},
		{"a.example/1", time.Time{}, 4, []cases.ID{1, 2, 7}},
		{"a.example/1", T0.Add(49 * time.Hour), 0, []cases.ID{7}},
		{"b.example/2", T0, 3, []cases.ID{}},
		{"", T0, 5, []cases.ID{}}, // no link relates nothing
	}
	for _, tt := range tests {
		got, err := s.RelatedByLink(ctx, tt.key, tt.since, tt.except)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("RelatedByLink(%q, %v, %d) = %v, want %v", tt.key, tt.since, tt.except, ids(got), tt.want)
		}
	}
}

func testCasesSince(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	insert(t, s,
		newCase(p["Ana"], p["Ben"], T0.Add(time.Hour)), // 1
		newCase(p["Ana"], p["Ben"], T0),                // 2
		newCase(p["Dan"], p["Ben"], T0.Add(time.Hour)), // 3
		newCase(p["Dan"], p["Ben"], T0.Add(-time.Millisecond)),
	)
	tests := []struct {
		since time.Time
		want  []cases.ID
	}{
		{time.Time{}, []cases.ID{4, 2, 1, 3}},
		{T0, []cases.ID{2, 1, 3}}, // inclusive, to the millisecond
		{T0.Add(time.Millisecond), []cases.ID{1, 3}},
		{T0.Add(2 * time.Hour), []cases.ID{}},
	}
	for _, tt := range tests {
		got, err := s.CasesSince(ctx, tt.since)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("CasesSince(%v) = %v, want %v", tt.since, ids(got), tt.want)
		}
	}
}

func testSummary(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	now := T0.Add(10 * 24 * time.Hour)
	mk := func(created time.Time, st cases.Status, unit, cat string, f func(*cases.Case)) cases.Case {
		c := newCase(p["Ana"], p["Ben"], created)
		c.Status, c.Unit = st, unit
		if cat != "" {
			c.Categories = []cases.Category{{ID: cat, Score: 0.9}, {ID: "4-5", Score: 0.2}}
		}
		if f != nil {
			f(&c)
		}
		return c
	}
	h := time.Hour
	insert(t, s,
		// Before the window: counts only when since is zero.
		mk(T0.Add(-h), cases.StatusOpen, "Krome", "4-2.f", nil),
		// Open, past its acknowledgement deadline: overdue.
		mk(T0.Add(h), cases.StatusOpen, "Krome", "4-2.f", func(c *cases.Case) { c.AckDueAt = T0.Add(2 * h) }),
		// Open, not yet due.
		mk(T0.Add(9*24*h), cases.StatusOpen, "Krome", "", func(c *cases.Case) { c.AckDueAt = now.Add(h) }),
		// Acknowledged after 1h, past its resolution deadline: overdue.
		mk(T0.Add(2*h), cases.StatusAcknowledged, "HQ", "4-4.j.i", func(c *cases.Case) {
			c.AcknowledgedAt, c.ResolveDueAt = c.CreatedAt.Add(h), T0.Add(5*24*h)
		}),
		// Resolved: acknowledged after 2h, resolved after 1 day; its past
		// deadlines do not make it overdue.
		mk(T0.Add(24*h), cases.StatusResolved, "Krome", "4-2.f", func(c *cases.Case) {
			c.AcknowledgedAt, c.ResolvedAt = c.CreatedAt.Add(2*h), c.CreatedAt.Add(24*h)
			c.Outcome, c.AckDueAt, c.ResolveDueAt = cases.OutcomeViolationConfirmed, T0, T0
		}),
		// Resolved: acknowledged after 30 minutes, resolved after 2 days.
		mk(T0.Add(48*h), cases.StatusResolved, "Krome", "4-2.f", func(c *cases.Case) {
			c.AcknowledgedAt, c.ResolvedAt = c.CreatedAt.Add(30*time.Minute), c.CreatedAt.Add(48*h)
			c.Outcome = cases.OutcomeNoViolation
		}),
		// Withdrawn, never acknowledged.
		mk(T0.Add(72*h), cases.StatusWithdrawn, "HQ", "", func(c *cases.Case) { c.WithdrawnAt = c.CreatedAt.Add(h) }),
	)
	ptr := func(n int64) *int64 { return &n }
	tests := []struct {
		name  string
		since time.Time
		want  cases.Summary
	}{
		{"window", T0, cases.Summary{
			Since: T0, Total: 6,
			ByStatus:   map[cases.Status]int{"open": 2, "acknowledged": 1, "resolved": 2, "withdrawn": 1},
			ByCategory: map[string]int{"4-2.f": 3, "4-4.j.i": 1, "": 2},
			ByUnit:     map[string]int{"Krome": 4, "HQ": 2},
			ByOutcome:  map[cases.Outcome]int{"violation_confirmed": 1, "no_violation": 1},
			// Overdue now, whenever filed: the case before the window too.
			Overdue: 3,
			// 1800, 3600, 7200 s; 86400 and 172800 s average to 129600.
			MedianSecondsToAcknowledge: ptr(3600),
			MedianSecondsToResolve:     ptr(129600),
		}},
		{"all", time.Time{}, cases.Summary{
			Total:                      7,
			ByStatus:                   map[cases.Status]int{"open": 3, "acknowledged": 1, "resolved": 2, "withdrawn": 1},
			ByCategory:                 map[string]int{"4-2.f": 4, "4-4.j.i": 1, "": 2},
			ByUnit:                     map[string]int{"Krome": 5, "HQ": 2},
			ByOutcome:                  map[cases.Outcome]int{"violation_confirmed": 1, "no_violation": 1},
			Overdue:                    3,
			MedianSecondsToAcknowledge: ptr(3600),
			MedianSecondsToResolve:     ptr(129600),
		}},
		{"empty", now, cases.Summary{
			Since: now, ByStatus: map[cases.Status]int{}, ByCategory: map[string]int{},
			ByUnit: map[string]int{}, ByOutcome: map[cases.Outcome]int{}, Overdue: 3,
		}},
	}
	for _, tt := range tests {
		got, err := s.Summary(ctx, tt.since, now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, fmtSummary(got), fmtSummary(tt.want))
		}
	}
}

func fmtSummary(s cases.Summary) string {
	med := func(p *int64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return fmt.Sprintf("%+v ack=%v resolve=%v", struct {
		Since                        time.Time
		Total                        int
		ByStatus, ByCategory, ByUnit any
		ByOutcome                    any
		Overdue                      int
	}{s.Since, s.Total, s.ByStatus, s.ByCategory, s.ByUnit, s.ByOutcome, s.Overdue},
		med(s.MedianSecondsToAcknowledge), med(s.MedianSecondsToResolve))
}

func testSyncPeople(t *testing.T, b backend) {
	s := b.open(t)
	ana := directory.Person{Email: "Ana.Lopez@Example.GOV", Name: "Ana Lopez", SupervisorEmail: "BEN@example.gov",
		Unit: "Krome Clinic", SlackUserID: "U0ANA", MattermostUserID: "mmana"}
	ben := directory.Person{Email: "ben@example.gov", Name: "Ben Okafor", SupervisorEmail: "carla@example.gov", Unit: "Krome Clinic"}
	carla := directory.Person{Email: "carla@example.gov", Name: "Carla Diaz", Unit: "IHSC HQ",
		Roles: []directory.Role{directory.RoleCompliance, directory.RoleAdmin}}
	dan := directory.Person{Email: "dan@example.gov", Name: "Dan", SupervisorEmail: "ghost@example.gov", Unit: "Krome Clinic"}

	steps := []struct {
		name   string
		people []directory.Person
		want   directory.SyncResult
	}{
		// Ana comes before her supervisor: links are set after all rows.
		{"create", []directory.Person{ana, ben, carla, dan}, directory.SyncResult{Created: 4}},
		{"again", []directory.Person{dan, carla, ben, ana}, directory.SyncResult{Unchanged: 4}},
		{"change and leave", []directory.Person{
			func() directory.Person { p := ana; p.Name = "Ana L."; return p }(),
			func() directory.Person { p := dan; p.SupervisorEmail = "carla@example.gov"; return p }(),
			carla,
			{Email: "erin@example.gov", Name: "Erin", SupervisorEmail: "carla@example.gov"},
		}, directory.SyncResult{Created: 1, Updated: 2, Unchanged: 1, Deactivated: 1}},
		{"come back", []directory.Person{
			func() directory.Person { p := ana; p.Name = "Ana L."; return p }(),
			func() directory.Person { p := dan; p.SupervisorEmail = "carla@example.gov"; return p }(),
			carla, ben,
		}, directory.SyncResult{Updated: 1, Unchanged: 3, Deactivated: 1}},
		{"idempotent", []directory.Person{
			func() directory.Person { p := ana; p.Name = "Ana L."; return p }(),
			func() directory.Person { p := dan; p.SupervisorEmail = "carla@example.gov"; return p }(),
			carla, ben,
		}, directory.SyncResult{Unchanged: 4}},
	}
	for i, st := range steps {
		got, err := s.SyncPeople(ctx, st.people, T0.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: %+v, want %+v", st.name, got, st.want)
		}
		if i == 0 {
			checkFirstSync(t, s)
		}
	}

	all, err := s.People(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	active := map[string]bool{}
	for _, p := range all {
		emails = append(emails, p.Email)
		active[p.Email] = p.Active
	}
	if want := []string{"ana.lopez@example.gov", "ben@example.gov", "carla@example.gov", "dan@example.gov", "erin@example.gov"}; !slices.Equal(emails, want) {
		t.Errorf("People = %v, want %v", emails, want)
	}
	if !active["ben@example.gov"] || active["erin@example.gov"] {
		t.Errorf("active: %v", active)
	}
	a, err := s.PersonByEmail(ctx, "ana.lopez@example.gov")
	if err != nil || a.Name != "Ana L." || a.SupervisorEmail != "ben@example.gov" {
		t.Errorf("ana after updates: %+v, %v", a, err)
	}
	d, err := s.PersonByEmail(ctx, "dan@example.gov")
	if err != nil || d.SupervisorEmail != "carla@example.gov" || d.SupervisorID == 0 {
		t.Errorf("dan after updates: %+v, %v", d, err)
	}
}

// checkFirstSync checks what the first sync stored.
func checkFirstSync(t *testing.T, s *Store) {
	t.Helper()
	byEmail := func(e string) directory.Person {
		p, err := s.PersonByEmail(ctx, e)
		if err != nil {
			t.Fatalf("PersonByEmail(%s): %v", e, err)
		}
		return p
	}
	ana, ben, carla, dan := byEmail("ana.lopez@example.gov"), byEmail("ben@example.gov"),
		byEmail("carla@example.gov"), byEmail("dan@example.gov")
	want := directory.Person{ID: ana.ID, Email: "ana.lopez@example.gov", Name: "Ana Lopez",
		SupervisorEmail: "ben@example.gov", SupervisorID: ben.ID, Unit: "Krome Clinic",
		SlackUserID: "U0ANA", MattermostUserID: "mmana", Active: true}
	if !reflect.DeepEqual(ana, want) {
		t.Errorf("ana\n got %+v\nwant %+v", ana, want)
	}
	if ben.SupervisorID != carla.ID || carla.SupervisorID != 0 || carla.SupervisorEmail != "" {
		t.Errorf("chain: ben→%d carla→%d (%q)", ben.SupervisorID, carla.SupervisorID, carla.SupervisorEmail)
	}
	if !slices.Equal(carla.Roles, []directory.Role{directory.RoleCompliance, directory.RoleAdmin}) || ben.Roles != nil {
		t.Errorf("roles: carla %v ben %v", carla.Roles, ben.Roles)
	}
	if dan.SupervisorID != 0 || dan.SupervisorEmail != "" {
		t.Errorf("unknown supervisor: dan→%d %q", dan.SupervisorID, dan.SupervisorEmail)
	}
	if got, err := s.Person(ctx, ana.ID); err != nil || !reflect.DeepEqual(got, ana) {
		t.Errorf("Person(%d) = %+v, %v", ana.ID, got, err)
	}
}

func testPeopleLookups(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)

	for _, e := range []string{"ana@example.gov", "ANA@Example.Gov", "  ana@example.gov "} {
		got, err := s.PersonByEmail(ctx, e)
		if err != nil || got.ID != p["Ana"] {
			t.Errorf("PersonByEmail(%q) = %d, %v", e, got.ID, err)
		}
	}
	_, err := s.PersonByEmail(ctx, "nobody@example.gov")
	wantReason(t, err, fault.PersonNotFound)
	if want := "nobody@example.gov isn't in the directory, so nothing was changed."; fault.Sentence(err) != want {
		t.Errorf("sentence %q", fault.Sentence(err))
	}
	_, err = s.Person(ctx, 9999)
	wantReason(t, err, fault.PersonNotFound)

	if got, err := s.PersonByChatID(ctx, directory.Slack, "U0ANA"); err != nil || got.ID != p["Ana"] {
		t.Errorf("PersonByChatID(slack, U0ANA) = %+v, %v", got, err)
	}
	for _, tt := range []struct {
		platform directory.Platform
		id       string
	}{{directory.Slack, "U0DAN"}, {directory.Mattermost, "U0ANA"}, {directory.Slack, ""}} {
		_, err := s.PersonByChatID(ctx, tt.platform, tt.id)
		wantReason(t, err, fault.PersonNotFound)
	}
	if _, err := s.PersonByChatID(ctx, "teams", "x"); err == nil {
		t.Error("unknown platform: no error")
	}

	// Found by e-mail, then linked: the next look-up needs no API call.
	if err := s.LinkChatID(ctx, p["Dan"], directory.Slack, "U0DAN"); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkChatID(ctx, p["Dan"], directory.Mattermost, "mmdan"); err != nil {
		t.Fatal(err)
	}
	for platform, id := range map[directory.Platform]string{directory.Slack: "U0DAN", directory.Mattermost: "mmdan"} {
		if got, err := s.PersonByChatID(ctx, platform, id); err != nil || got.ID != p["Dan"] {
			t.Errorf("after LinkChatID: PersonByChatID(%s, %s) = %d, %v", platform, id, got.ID, err)
		}
	}
	wantReason(t, s.LinkChatID(ctx, 9999, directory.Slack, "U0X"), fault.PersonNotFound)

	// A sync whose file has no chat IDs keeps the linked ones.
	res, err := s.SyncPeople(ctx, []directory.Person{
		{Email: "ana@example.gov", Name: "Ana", SupervisorEmail: "ben@example.gov", Unit: "Krome", SlackUserID: "U0ANA"},
		{Email: "ben@example.gov", Name: "Ben", SupervisorEmail: "carla@example.gov", Unit: "Krome"},
		{Email: "carla@example.gov", Name: "Carla", Unit: "HQ", Roles: []directory.Role{directory.RoleCompliance}},
		{Email: "dan@example.gov", Name: "Dan", SupervisorEmail: "ben@example.gov", Unit: "Krome"},
	}, T0.Add(time.Hour))
	if err != nil || res != (directory.SyncResult{Unchanged: 4}) {
		t.Errorf("sync after link: %+v, %v", res, err)
	}
	if got, err := s.PersonByChatID(ctx, directory.Slack, "U0DAN"); err != nil || got.ID != p["Dan"] {
		t.Errorf("link lost by sync: %+v, %v", got, err)
	}
}

func testClosedStore(t *testing.T, b backend) {
	s, err := Open(ctx, b.newURL(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Case(ctx, 1)
	wantReason(t, err, fault.StoreUnavailable)
	err = s.InTx(ctx, func(cases.Tx) error { return nil })
	wantReason(t, err, fault.StoreUnavailable)
	_, err = s.PersonByEmail(ctx, "ana@example.gov")
	wantReason(t, err, fault.StoreUnavailable)
	if s.Ready(ctx) == nil {
		t.Error("Ready after Close: no error")
	}
}

// A cancelled or expired context keeps its cause under the fault, so callers
// can tell a person who went away from a database that is down.
func testContextErrors(t *testing.T, b backend) {
	s := b.open(t)
	seedPeople(t, s)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	expired, cancel2 := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel2()
	for _, tt := range []struct {
		ctx  context.Context
		want error
	}{{cancelled, context.Canceled}, {expired, context.DeadlineExceeded}} {
		_, err := s.PersonByEmail(tt.ctx, "ana@example.gov")
		if !errors.Is(err, tt.want) || !fault.Is(err, fault.StoreUnavailable) {
			t.Errorf("PersonByEmail: %v, want %v as StoreUnavailable", err, tt.want)
		}
		err = s.InTx(tt.ctx, func(cases.Tx) error { return nil })
		if !errors.Is(err, tt.want) {
			t.Errorf("InTx: %v, want %v", err, tt.want)
		}
	}
	if _, err := s.PersonByEmail(ctx, "ana@example.gov"); err != nil {
		t.Errorf("store unusable after cancelled calls: %v", err)
	}
}
