// Package delivery is the worker that sends the outbox: the messages a case
// change owes (cases.Message rows written in the change's own transaction)
// go out through a platform Sender, with retries.
//
// Delivery is at least once. A message is marked sent only after the
// platform accepted it, so a crash or a failed write between the two sends
// it again on the next pass; it is never lost, but it may rarely arrive
// twice. A failed attempt is retried with exponential backoff (Backoff), a
// rate limit (*RetryAfter) is retried exactly when the platform asked, and
// an error wrapped with Permanent, or a message older than MaxAge or tried
// MaxAttempts times, is marked dead and counted.
//
// One worker per database for now: DueMessages only reads. Issue 6 replaces
// the read with a claim (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL) so
// that several replicas can share the outbox without sending a message
// twice.
package delivery
