// Package retention keeps cases no longer than the records schedule says
// (ICE PII memo 2013, principles 5–7; IHSC Directive 01-22 §8). A Worker's
// pass disposes of every case closed — resolved or withdrawn — longer ago
// than the retention period, in batches (the store keeps a row of counts
// and dates per disposed case, nothing a person wrote), and deletes sent
// copies of messages older than SentMessageAge. A zero period keeps closed
// cases indefinitely: destroying a federal record early is worse than
// keeping it.
package retention
