// Package sqlstore keeps cases, their history, the outbox and the directory
// in a SQL database: PostgreSQL (github.com/lib/pq) for deployments, SQLite
// (modernc.org/sqlite, pure Go) for a single machine, the console and tests.
// One implementation over sqlx serves both; the SQL is written with '?'
// placeholders and rebound for PostgreSQL, and the schema stores every
// timestamp as unix milliseconds so that the same comparisons and indexes work
// on both.
//
// *Store implements cases.Store and directory.Store. Errors are fault errors:
// CaseNotFound, PersonNotFound, VersionConflict, StoreUnavailable when the
// database cannot be reached, and InternalError for anything else (the cause
// kept for the log).
//
// SQLite allows one writer at a time. Rather than let concurrent writers
// fail with SQLITE_BUSY, the store writes through a pool of one connection
// whose transactions begin IMMEDIATE, so writers queue in database/sql, and
// reads outside transactions go through a separate read-only pool (WAL lets
// them run beside the writer). An in-memory database (sqlite::memory:) has one
// connection for everything, because each connection would otherwise be its
// own database; there, a read through the Store inside an InTx callback waits
// for the transaction to end, so use the Tx inside the callback.
package sqlstore
