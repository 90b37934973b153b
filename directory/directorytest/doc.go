// Package directorytest provides an in-memory directory.Store for tests —
// of this package and of any other that needs people, supervisors and chat
// IDs without a database — and a suite (RunStoreTests) that any
// directory.Store implementation can run to check it behaves the same way.
package directorytest
