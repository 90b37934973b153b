package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/reportbot/reportbot/fault"
)

// mapErr gives a driver error its fault reason: StoreUnavailable when the
// database cannot be reached or used right now (a person should try again
// later), InternalError otherwise. The cause is kept, so errors.Is still finds
// context.Canceled, driver.ErrBadConn and the like. Errors that already carry
// a reason pass through.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	if unavailable(err) {
		return fault.Wrap(err, fault.StoreUnavailable)
	}
	return fault.Wrap(err, fault.InternalError)
}

// unavailable reports whether err means the database could not be reached
// or used for now, rather than that the request or our SQL was wrong.
func unavailable(err error) bool {
	switch {
	// A deadline or cancellation means the database did not answer in time
	// for the person waiting; to them it was unreachable.
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	}
	// database/sql's "database is closed" error is not exported.
	if strings.Contains(err.Error(), "sql: database is closed") {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true // dial failures, DNS, timeouts
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		code := string(pe.Code)
		switch {
		case strings.HasPrefix(code, "08"), // connection exception
			strings.HasPrefix(code, "57P"), // admin or crash shutdown, cannot connect now
			strings.HasPrefix(code, "53"),  // insufficient resources (too many connections, disk full)
			strings.HasPrefix(code, "28"),  // invalid authorisation: a deployment problem, not the request's
			code == "3D000":                // the database does not exist
			return true
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code under the extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN,
			sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL:
			return true
		}
	}
	return false
}
