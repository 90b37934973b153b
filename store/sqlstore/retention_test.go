package sqlstore

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/migrations"
)

const day = 24 * time.Hour

// The retention tests' clock: cases closed before cutoff are due; the pass
// runs at now (2 Apr 2026).
var (
	retCutoff = T0.Add(30 * day)
	retNow    = T0.Add(31 * day)
)

// closedCase is a case in status st, filed at T0 and closed at closed (zero:
// no closing time), with a category, outcome and note.
func closedCase(p map[string]int64, st cases.Status, closed time.Time) cases.Case {
	c := newCase(p["Ana"], p["Ben"], T0)
	c.Status = st
	c.Categories = []cases.Category{{ID: "4-2.f", Score: 0.9}}
	switch st {
	case cases.StatusResolved:
		c.ResolvedAt, c.Outcome, c.ResolutionNote = closed, cases.OutcomeViolationConfirmed, "post removed"
	case cases.StatusWithdrawn:
		c.WithdrawnAt = closed
	}
	return c
}

// fileFull writes c as the service would over its life: the case, an
// event, a sent and a pending outbox message, and a card reference.
func fileFull(t *testing.T, s *Store, c cases.Case) cases.Case {
	t.Helper()
	err := s.InTx(ctx, func(tx cases.Tx) error {
		if err := tx.InsertCase(ctx, &c); err != nil {
			return err
		}
		if err := tx.AppendEvent(ctx, &cases.Event{CaseID: c.ID, At: T0, ActorID: c.ReporterID, Kind: cases.EventFiled,
			Detail: map[string]string{"note": c.Description}}); err != nil {
			return err
		}
		for _, st := range []cases.DeliveryStatus{cases.DeliverySent, cases.DeliveryPending} {
			m := cases.Message{CaseID: c.ID, Kind: cases.MsgAssigneeCase, RecipientID: c.AssigneeID,
				Text: c.ID.String() + ": " + c.Description, Status: st, CreatedAt: T0}
			if st == cases.DeliverySent {
				m.SentAt = T0
			}
			if err := tx.Enqueue(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("filing: %v", err)
	}
	ref := cases.MessageRef{CaseID: c.ID, PersonID: c.AssigneeID, Platform: "slack", Channel: "D0BEN", MessageID: "1.1"}
	if err := s.SaveMessageRef(ctx, ref, T0); err != nil {
		t.Fatal(err)
	}
	return c
}

// caseRowCounts counts a case's rows in every table that holds them.
func caseRowCounts(t *testing.T, s *Store, id cases.ID) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range append([]string{"cases"}, caseTables...) {
		col := "case_id"
		if table == "cases" {
			col = "id"
		}
		var n int
		if err := s.r.GetContext(ctx, &n, s.rebind(`SELECT COUNT(*) FROM `+table+` WHERE `+col+` = ?`), int64(id)); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func testRetentionDispose(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	withdrawnLate := closedCase(p, cases.StatusWithdrawn, retCutoff.Add(time.Hour))
	withdrawnLate.ResolvedAt = T0.Add(day) // resolved, reopened, then withdrawn: the withdrawal counts
	reopened := closedCase(p, cases.StatusResolved, T0.Add(day))
	reopened.Status = cases.StatusOpen
	acknowledged := newCase(p["Ana"], p["Ben"], T0)
	acknowledged.Status, acknowledged.AcknowledgedAt = cases.StatusAcknowledged, T0.Add(time.Hour)
	tests := []struct {
		name     string
		c        cases.Case
		disposed bool
	}{
		{"resolved long ago", closedCase(p, cases.StatusResolved, T0.Add(day)), true},
		{"withdrawn long ago", closedCase(p, cases.StatusWithdrawn, T0.Add(2*day)), true},
		{"resolved at the cutoff", closedCase(p, cases.StatusResolved, retCutoff), false},
		{"resolved recently", closedCase(p, cases.StatusResolved, retCutoff.Add(time.Millisecond)), false},
		{"withdrawn recently after an old resolution", withdrawnLate, false},
		{"open, filed long ago", newCase(p["Ana"], p["Ben"], T0), false},
		{"acknowledged long ago", acknowledged, false},
		{"reopened after an old resolution", reopened, false},
		{"resolved without a closing time", closedCase(p, cases.StatusResolved, time.Time{}), false},
	}
	for i := range tests {
		tests[i].c = fileFull(t, s, tests[i].c)
	}
	// A message tied to no case (a digest) is not the retention's business.
	loose := enqueueN(t, s, 1, T0)

	n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 100)
	if err != nil || n != 2 {
		t.Fatalf("DisposeClosedBefore = %d, %v; want 2", n, err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.c.ID
			counts := caseRowCounts(t, s, id)
			d, ok, err := s.Disposal(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.disposed {
				if want := map[string]int{"cases": 1, "case_events": 1, "outbox": 2, "message_refs": 1}; !mapsEqual(counts, want) {
					t.Errorf("rows %v, want %v (untouched)", counts, want)
				}
				if ok {
					t.Errorf("a disposals row for a kept case: %+v", d)
				}
				got, err := s.Case(ctx, id)
				if err != nil || got.Status != tt.c.Status || got.Version != 1 {
					t.Errorf("Case = %s v%d, %v", got.Status, got.Version, err)
				}
				return
			}
			if want := map[string]int{"cases": 0, "case_events": 0, "outbox": 0, "message_refs": 0}; !mapsEqual(counts, want) {
				t.Errorf("rows left %v, want none", counts)
			}
			closed := tt.c.ResolvedAt
			if tt.c.Status == cases.StatusWithdrawn {
				closed = tt.c.WithdrawnAt
			}
			want := Disposal{CaseID: id, TopCategory: "4-2.f", Unit: "Krome", Status: tt.c.Status, Outcome: tt.c.Outcome,
				CreatedAt: T0.Truncate(time.Millisecond), ClosedAt: closed.Truncate(time.Millisecond), DisposedAt: retNow.Truncate(time.Millisecond)}
			if !ok || d != want {
				t.Errorf("Disposal = %+v, %v\nwant %+v", d, ok, want)
			}
			_, err = s.Case(ctx, id)
			wantReason(t, err, fault.CaseDisposed)
			if want := id.String() + " was disposed of on 2 Apr 2026 under the records schedule."; fault.Sentence(err) != want {
				t.Errorf("sentence %q, want %q", fault.Sentence(err), want)
			}
			_, err = s.Events(ctx, id)
			wantReason(t, err, fault.CaseDisposed)
			err = s.InTx(ctx, func(tx cases.Tx) error { _, err := tx.Case(ctx, id); return err })
			wantReason(t, err, fault.CaseDisposed)
		})
	}
	var m int
	if err := s.r.GetContext(ctx, &m, s.rebind(`SELECT COUNT(*) FROM outbox WHERE id = ?`), loose[0]); err != nil || m != 1 {
		t.Errorf("the message tied to no case: %d rows, %v", m, err)
	}
	// The summary counts the cases that exist: disposed ones leave it.
	sum, err := s.Summary(ctx, time.Time{}, retNow)
	if err != nil || sum.Total != len(tests)-2 {
		t.Errorf("Summary total %d, %v; want %d", sum.Total, err, len(tests)-2)
	}
	// A second pass finds nothing, and a case that never was is still unknown.
	if n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow.Add(time.Hour), 100); err != nil || n != 0 {
		t.Errorf("second pass = %d, %v; want 0", n, err)
	}
	if d, _, _ := s.Disposal(ctx, tests[0].c.ID); !d.DisposedAt.Equal(retNow.Truncate(time.Millisecond)) {
		t.Errorf("second pass changed the disposal: %+v", d)
	}
	_, err = s.Case(ctx, 999)
	wantReason(t, err, fault.CaseNotFound)
}

func mapsEqual(a, b map[string]int) bool {
	return fmt.Sprint(a) == fmt.Sprint(b) // fmt sorts map keys
}

// After the migration, the history of every case that exists is still
// append-only: only a disposal's own DELETE gets through.
func testRetentionAppendOnly(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	old := fileFull(t, s, closedCase(p, cases.StatusResolved, T0.Add(day)))
	kept := fileFull(t, s, closedCase(p, cases.StatusResolved, retCutoff.Add(day)))
	if n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 10); err != nil || n != 1 {
		t.Fatalf("DisposeClosedBefore = %d, %v", n, err)
	}
	refused := []struct{ sql, why string }{
		{fmt.Sprintf(`DELETE FROM case_events WHERE case_id = %d`, kept.ID), "append-only"},
		{`DELETE FROM case_events`, "append-only"},
		{fmt.Sprintf(`UPDATE case_events SET kind = 'withdrawn' WHERE case_id = %d`, kept.ID), "append-only"},
		{fmt.Sprintf(`DELETE FROM cases WHERE id = %d`, kept.ID), "foreign key"},
	}
	if b.name == migrations.Postgres {
		refused = append(refused, struct{ sql, why string }{`TRUNCATE case_events`, "append-only"})
	}
	for _, q := range refused {
		_, err := s.w.ExecContext(ctx, q.sql)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), q.why) {
			t.Errorf("%s: %v, want refused (%s)", q.sql, err, q.why)
		}
	}
	// A disposals row opens DELETE only: UPDATE stays refused.
	if _, err := s.w.ExecContext(ctx, s.rebind(`INSERT INTO disposals (case_id, status, created_at, closed_at, disposed_at)
		VALUES (?, 'resolved', 0, 0, 0)`), int64(kept.ID)); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf(`UPDATE case_events SET kind = 'withdrawn' WHERE case_id = %d`, kept.ID)
	if _, err := s.w.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("%s with a disposals row: %v, want refused", q, err)
	}
	if ev, err := s.Events(ctx, kept.ID); err != nil || len(ev) != 1 || ev[0].Kind != cases.EventFiled {
		t.Errorf("history of %s changed: %+v, %v", kept.ID, ev, err)
	}
	if c := caseRowCounts(t, s, old.ID); c["case_events"] != 0 {
		t.Errorf("%s: events left %v", old.ID, c)
	}
}

func testRetentionBatches(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	for i := range 5 {
		fileFull(t, s, closedCase(p, cases.StatusResolved, T0.Add(time.Duration(5-i)*time.Hour)))
	}
	if _, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 0); err == nil {
		t.Error("limit 0 accepted")
	}
	for _, want := range []struct {
		n    int
		left []cases.ID
	}{{2, []cases.ID{3, 4, 5}}, {2, []cases.ID{5}}, {1, []cases.ID{}}, {0, []cases.ID{}}} {
		n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 2)
		if err != nil || n != want.n {
			t.Fatalf("DisposeClosedBefore(limit 2) = %d, %v; want %d", n, err, want.n)
		}
		all, err := s.CasesSince(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		left := ids(all)
		slices.Sort(left)
		if !slices.Equal(left, want.left) {
			t.Fatalf("after a batch: cases %v, want %v (lowest numbers go first)", left, want.left)
		}
	}
}

// A disposed case's number, even the highest, is never given out again,
// also after the store is opened afresh.
func testRetentionNumbersNotReused(t *testing.T, b backend) {
	u := b.newURL(t)
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	p := seedPeople(t, s)
	for range 3 {
		fileFull(t, s, closedCase(p, cases.StatusResolved, T0.Add(day)))
	}
	if n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 10); err != nil || n != 3 {
		t.Fatalf("DisposeClosedBefore = %d, %v", n, err)
	}
	if got := insert(t, s, newCase(p["Ana"], p["Ben"], retNow))[0].ID; got != 4 {
		t.Errorf("next case number %d, want 4", got)
	}
	s.Close()
	s, err = Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 10); err != nil || n != 0 {
		t.Fatalf("DisposeClosedBefore after reopening = %d, %v", n, err)
	}
	if got := insert(t, s, newCase(p["Ana"], p["Ben"], retNow))[0].ID; got != 5 {
		t.Errorf("case number after reopening %d, want 5", got)
	}
}

// Nothing a person wrote survives a disposal: not in any table, and on
// SQLite not in the database file or its write-ahead log either.
func testRetentionNoPII(t *testing.T, b backend) {
	const marker = "Zorblat-7731"
	u := b.newURL(t)
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := seedPeople(t, s)
	c := closedCase(p, cases.StatusResolved, T0.Add(day))
	c.Description = strings.Repeat(marker+" posted a photo of a detainee. ", 40) // long enough to overflow a page
	c.Link, c.LinkKey = "https://example.com/"+marker, "example.com/"+marker
	c.ResolutionNote = marker + " was counselled"
	c = fileFull(t, s, c)
	// The case changes a few times first, as cases do, leaving old row
	// versions behind in the file.
	for i := range 3 {
		got, err := s.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.ResolutionNote += fmt.Sprint(" ", i, marker)
		if err := s.InTx(ctx, func(tx cases.Tx) error { return tx.UpdateCase(ctx, &got, got.Version) }); err != nil {
			t.Fatal(err)
		}
	}
	kept := fileFull(t, s, closedCase(p, cases.StatusResolved, retCutoff.Add(day))) // shares pages with it
	if n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 10); err != nil || n != 1 {
		t.Fatalf("DisposeClosedBefore = %d, %v", n, err)
	}
	if _, err := s.Case(ctx, kept.ID); err != nil {
		t.Fatal(err)
	}
	for table, hits := range grepTables(t, s, marker) {
		t.Errorf("table %s still holds %q in %d row(s)", table, marker, hits)
	}
	if b.name != migrations.SQLite {
		return // PostgreSQL's dead rows are vacuum's to reclaim
	}
	path := strings.TrimPrefix(u, "sqlite:")
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(marker)) {
			t.Errorf("%s still holds %q", f, marker)
		}
	}
}

// grepTables counts, per table, the rows with a value that contains s.
func grepTables(t *testing.T, st *Store, s string) map[string]int {
	t.Helper()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if st.dialect == migrations.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	if err := st.r.SelectContext(ctx, &tables, q); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tables, "disposals") || !slices.Contains(tables, "cases") {
		t.Fatalf("tables %v", tables)
	}
	hits := map[string]int{}
	for _, table := range tables {
		rows, err := st.r.QueryxContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				if strings.Contains(fmt.Sprint(v), s) {
					hits[table]++
					break
				}
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return hits
}

// caseTables is every table with a case_id but disposals: a table added by a
// later migration must join the disposal, or this fails.
func testRetentionCoversEveryTable(t *testing.T, b backend) {
	s := b.open(t)
	var withCaseID []string
	if s.dialect == migrations.Postgres {
		if err := s.r.SelectContext(ctx, &withCaseID, `SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'case_id'`); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := s.r.SelectContext(ctx, &withCaseID, `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND c.name = 'case_id'`); err != nil {
			t.Fatal(err)
		}
	}
	want := append([]string{"disposals"}, caseTables...)
	slices.Sort(withCaseID)
	slices.Sort(want)
	if !slices.Equal(withCaseID, want) {
		t.Errorf("tables with a case_id: %v; the disposal covers %v", withCaseID, want)
	}
}

func testRetentionPurgeSent(t *testing.T, b backend) {
	s := b.open(t)
	before := retNow.Add(-30 * day)
	ids := enqueueN(t, s, 7, T0)
	mark := []struct {
		sent time.Time // zero: not sent
		dead bool
		kept bool
	}{
		{sent: before.Add(-day)},                         // 0: purged
		{sent: before.Add(-time.Millisecond)},            // 1: purged
		{sent: before.Add(-2 * day)},                     // 2: purged
		{sent: before, kept: true},                       // 3: sent at the limit
		{sent: before.Add(day), kept: true},              // 4: sent recently
		{kept: true},                                     // 5: still pending
		{sent: before.Add(-day), dead: true, kept: true}, // 6: dead letter, for compliance
	}
	for i, m := range mark {
		switch {
		case m.dead:
			if err := s.MarkFailed(ctx, ids[i], "", 1, m.sent, "gone", true); err != nil {
				t.Fatal(err)
			}
		case !m.sent.IsZero():
			if err := s.MarkSent(ctx, ids[i], "", m.sent); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.PurgeSentOutbox(ctx, before, 0); err == nil {
		t.Error("limit 0 accepted")
	}
	for _, want := range []int{2, 1, 0} {
		if n, err := s.PurgeSentOutbox(ctx, before, 2); err != nil || n != want {
			t.Fatalf("PurgeSentOutbox(limit 2) = %d, %v; want %d", n, err, want)
		}
	}
	var left []int64
	if err := s.r.SelectContext(ctx, &left, `SELECT id FROM outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	var want []int64
	for i, m := range mark {
		if m.kept {
			want = append(want, ids[i])
		}
	}
	if !slices.Equal(left, want) {
		t.Errorf("outbox after purging %v, want %v", left, want)
	}
}

// Replicas making passes at once dispose of each case exactly once.
func testRetentionConcurrent(t *testing.T, b backend) {
	s := b.open(t)
	p := seedPeople(t, s)
	const total, workers = 40, 4
	for range total {
		fileFull(t, s, closedCase(p, cases.StatusResolved, T0.Add(day)))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for range workers {
		wg.Go(func() {
			for {
				n, err := s.DisposeClosedBefore(ctx, retCutoff, retNow, 3)
				if err != nil {
					t.Errorf("DisposeClosedBefore: %v", err)
					return
				}
				mu.Lock()
				done += n
				mu.Unlock()
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	var disposals int
	if err := s.r.GetContext(ctx, &disposals, `SELECT COUNT(*) FROM disposals`); err != nil {
		t.Fatal(err)
	}
	if done != total || disposals != total {
		t.Errorf("disposed %d, %d disposals rows; want %d each", done, disposals, total)
	}
}
