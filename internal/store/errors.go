package store

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// SQLite result codes used below (from sqlite3.h).
const (
	sqliteBusy            = 5
	sqliteLocked          = 6
	sqliteConstraintCheck = 275 // SQLITE_CONSTRAINT | (1<<8)
)

// translate turns a database error into the service's vocabulary. what
// names the thing being read or written ("campaign", "api token") and goes
// into user-facing messages. *panel.Error values pass through unchanged.
//
//   - record not found: ENOTFOUND
//   - unique violation: ECONFLICT
//   - foreign key violation: ECONFLICT
//   - check constraint violation: EINVALID
//   - the database cannot be reached: EUNAVAILABLE
//   - anything else: wrapped with context (EINTERNAL)
func translate(err error, what string) error {
	var pe *panel.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return panel.Errorf(panel.ENOTFOUND, "%s not found", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &wrapped{err: panel.Errorf(panel.ECONFLICT, "%s already exists", what), cause: err}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return &wrapped{err: panel.Errorf(panel.ECONFLICT, "%s refers to something that does not exist or is still referenced", what), cause: err}
	case isCheckViolation(err):
		return &wrapped{err: panel.Errorf(panel.EINVALID, "%s breaks a rule of the database", what), cause: err}
	case isUnavailable(err):
		return unavailable(err)
	default:
		return fmt.Errorf("store: %s: %w", what, err)
	}
}

// unavailable is the EUNAVAILABLE error for a database that cannot be
// reached; the cause stays in the chain for logs.
func unavailable(cause error) error {
	return &wrapped{err: panel.Errorf(panel.EUNAVAILABLE, "database unavailable"), cause: cause}
}

// wrapped is a *panel.Error that keeps the database error behind it, so
// errors.As finds the panel error and logs can still show the cause.
type wrapped struct {
	err   *panel.Error
	cause error
}

// Unwrap returns the panel error first, then the cause.
func (w *wrapped) Unwrap() []error { return []error{w.err, w.cause} }

// Error shows the panel error and its cause.
func (w *wrapped) Error() string { return w.err.Error() + ": " + w.cause.Error() }

func isCheckViolation(err error) bool {
	if errors.Is(err, gorm.ErrCheckConstraintViolated) {
		return true
	}
	var se *gosqlite.Error
	return errors.As(err, &se) && se.Code() == sqliteConstraintCheck
}

// isUnavailable reports whether err means the database could not be
// reached or the connection broke, as opposed to a query being wrong.
func isUnavailable(err error) bool {
	if errors.Is(err, sqldriver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true // includes a context deadline while connecting
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case len(pg.Code) == 5 && pg.Code[:2] == "08": // connection exception
			return true
		case pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03", pg.Code == "53300":
			// admin/crash shutdown, cannot connect now, too many connections
			return true
		}
	}
	var se *gosqlite.Error
	if errors.As(err, &se) && (se.Code()&0xff == sqliteBusy || se.Code()&0xff == sqliteLocked) {
		return true // the write lock was not free within the busy timeout
	}
	if pgconn.Timeout(err) && !errors.Is(err, context.Canceled) {
		return true
	}
	return false
}
