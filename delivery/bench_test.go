package delivery_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/store/storetest"
)

// BenchmarkTwoReplicas measures outbox throughput with two workers (two
// replicas' claims) on one PostgreSQL database and a chat API faked by an
// instant sender: b.N messages are enqueued, then both workers run passes
// until all are sent. Each message costs a share of one claim and its own
// MarkSent. Skipped without TEST_DATABASE_URL.
//
//	go test -run '^$' -bench TwoReplicas -benchtime 20000x ./delivery
func BenchmarkTwoReplicas(b *testing.B) {
	for _, batch := range []int{delivery.DefaultBatch, 200} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s := openStore(b, storetest.Postgres(b))
			now := time.Now().Truncate(time.Millisecond)
			ids := fill(b, s, b.N, now)
			c := &clock{now}
			rec := newCounter()
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for _, owner := range []string{"replica-a", "replica-b"} {
				w := &delivery.Worker{Outbox: s, Sender: rec, Owner: owner, Platform: "slack", Now: c.Now, Batch: batch}
				wg.Go(func() {
					for rec.total.Load() < int64(len(ids)) {
						if _, _, err := w.RunOnce(context.Background()); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(len(ids))/time.Since(start).Seconds(), "msgs/s")
			for _, id := range ids {
				if n := rec.count(id); n != 1 {
					b.Fatalf("message %d delivered %d times", id, n)
				}
			}
		})
	}
}
