// Package delivery is the worker that sends the outbox: the messages a case
// change owes (cases.Message rows written in the change's own transaction)
// go out through a platform Sender, with retries.
//
// Delivery is at least once. A message is marked sent only after the
// platform accepted it, so a crash or a failed write between the two sends
// it again later; it is never lost, but it may rarely arrive twice. A failed
// attempt is retried with exponential backoff (Backoff), a rate limit
// (*RetryAfter) is retried exactly when the platform asked, and an error
// wrapped with Permanent, or a message older than MaxAge or tried
// MaxAttempts times, is marked dead and counted. A dead message is reported,
// in the same transaction, to DeadLetterChannel and to every active
// compliance lead (MsgCompliance notices with DeadLetterOf set); a notice
// that dies in turn is not reported again, so there are no loops.
//
// Several workers — replicas of `bot serve` — may share one outbox. How
// duplicates are avoided:
//
//   - Claims. A pass claims its batch (Outbox.Claim): on PostgreSQL one
//     UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING, so
//     concurrent claims take disjoint rows without waiting; on SQLite the
//     same UPDATE in an immediate transaction on the single writer. A
//     claimed row carries the worker's Owner and the end of its lease.
//   - Lease. Nobody else claims a row before its lease ends, and a worker
//     only starts a send while at least 2×SendTimeout of its lease is left,
//     so the send and its record finish inside the lease. A worker that
//     dies leaves its claims; they end with the lease (default 5 min) and
//     another worker takes the rows — at least once.
//   - Marking only by the owner. MarkSent and MarkFailed apply only while
//     the row is still claimed by the worker that marks it, and clear the
//     claim; otherwise they change nothing and return cases.ErrClaimLost.
//
// A message can therefore arrive twice only when a worker sent it and then
// could not record it in time (it crashed, the database was unreachable, or
// the send and record outlasted the lease — clocks far apart count too):
// then the row is still pending when the lease ends and is sent again.
//
// Shutdown: when ctx ends, the message being sent is finished and recorded,
// and the rest of the batch is released (Outbox.Release) so that another
// replica can take it at once.
package delivery
