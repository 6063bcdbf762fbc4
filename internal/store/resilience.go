package store

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// Timeouts that keep a hung PostgreSQL connection (a stalled login, a
// half-open link, a server that accepts TCP but answers nothing) from
// holding the service: every wait on the database ends by itself, so the
// pool refills with fresh connections within seconds of the database
// coming back.
const (
	// DefaultConnectTimeout bounds opening one PostgreSQL connection, TCP
	// connect and login together. A connect_timeout in PANEL_DATABASE_URL
	// overrides it.
	DefaultConnectTimeout = 5 * time.Second
	// livenessTimeout bounds the ping that checks a connection idle for
	// more than a second before it is reused; a connection that does not
	// answer in time is discarded and another one is tried.
	livenessTimeout = 2 * time.Second
	// livenessIdle is how long a connection must have been idle for the
	// liveness ping (pgx's own default).
	livenessIdle = time.Second
	// DefaultStatementTimeout bounds each PostgreSQL statement whose
	// context has no deadline of its own (background jobs), also inside a
	// transaction given DefaultTxTimeout; callers with a deadline (HTTP
	// requests) keep theirs.
	DefaultStatementTimeout = 10 * time.Second
	// DefaultTxTimeout bounds a PostgreSQL transaction whose context has no
	// deadline, COMMIT included.
	DefaultTxTimeout = 30 * time.Second
)

// withConnectTimeout returns the PostgreSQL URL raw with
// connect_timeout=DefaultConnectTimeout added unless it sets one.
func withConnectTimeout(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", strconv.Itoa(int(DefaultConnectTimeout/time.Second)))
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// liveness checks connections before reuse with a bounded ping, instead of
// pgx's, which waits as long as the caller's context allows. When one idle
// connection is found dead, every other idle connection is dropped too:
// after an outage they are all suspect, and fresh ones cost one login each.
type liveness struct {
	db      atomic.Pointer[sql.DB] // set once the pool exists
	maxIdle int
}

// options returns the pgx stdlib options that install the check.
func (l *liveness) options() []stdlib.OptionOpenDB {
	return []stdlib.OptionOpenDB{
		stdlib.OptionShouldPing(l.shouldPing),
		stdlib.OptionResetSession(func(_ context.Context, c *pgx.Conn) error {
			if c.IsClosed() {
				return sqldriver.ErrBadConn // the ping above failed: take another
			}
			return nil
		}),
	}
}

// shouldPing pings a connection idle for more than livenessIdle itself,
// within livenessTimeout, and always answers false so that pgx does not
// ping again without a bound. A failed ping closes the connection (pgx
// closes a connection whose operation timed out), which the session reset
// then reports as bad.
func (l *liveness) shouldPing(ctx context.Context, p stdlib.ShouldPingParams) bool {
	if p.IdleDuration <= livenessIdle {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, livenessTimeout)
	defer cancel()
	if err := p.Conn.PgConn().Ping(pctx); err != nil {
		cctx, ccancel := context.WithTimeout(context.Background(), livenessTimeout)
		_ = p.Conn.PgConn().Close(cctx) // already broken; pgx has usually closed it
		ccancel()
		if ctx.Err() == nil { // the database failed, not the caller
			go l.dropIdle()
		}
	}
	return false
}

// dropIdle closes every idle connection of the pool, so that the next
// operations open fresh ones rather than try suspect ones one by one. It
// does nothing on a nil liveness (SQLite).
func (l *liveness) dropIdle() {
	if l == nil {
		return
	}
	if db := l.db.Load(); db != nil {
		db.SetMaxIdleConns(0) // closes every idle connection
		db.SetMaxIdleConns(l.maxIdle)
	}
}

// deadlineKey is where statementDeadline keeps the cancel function of the
// deadline it added.
const deadlineKey = "panel:statement_deadline_cancel"

// addedDeadline is what installStatementDeadline keeps between the
// callbacks around one operation.
type addedDeadline struct {
	cancel context.CancelFunc
	orig   context.Context
}

// installStatementDeadline gives every GORM operation whose context has
// no deadline one of d: creates, updates and deletes including the
// transaction GORM wraps them in, queries, Exec and Raw scans. The deadline
// of a Row or Rows query is left to expire on its own, since its rows are
// read after the callbacks have run.
func installStatementDeadline(db *gorm.DB, d time.Duration) error {
	begin := func(tx *gorm.DB) {
		ctx := tx.Statement.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if _, ok := ctx.Deadline(); ok && ctx.Value(txDefaultKey{}) == nil {
			return
		}
		orig := tx.Statement.Context
		ctx, cancel := context.WithTimeout(ctx, d)
		tx.Statement.Context = ctx
		// Row queries never call end: their timer expires by itself.
		tx.Statement.Settings.Store(deadlineKey, addedDeadline{cancel: cancel, orig: orig})
	}
	end := func(tx *gorm.DB) {
		if v, ok := tx.Statement.Settings.LoadAndDelete(deadlineKey); ok {
			if a, ok := v.(addedDeadline); ok {
				a.cancel()
				// A chain used again (Count, then Find) starts from the
				// caller's context, not from this spent one.
				tx.Statement.Context = a.orig
			}
		}
	}
	cb := db.Callback()
	return errors.Join(
		cb.Create().Before("gorm:begin_transaction").Register("panel:deadline", begin),
		cb.Create().After("gorm:commit_or_rollback_transaction").Register("panel:deadline_end", end),
		cb.Update().Before("gorm:begin_transaction").Register("panel:deadline", begin),
		cb.Update().After("gorm:commit_or_rollback_transaction").Register("panel:deadline_end", end),
		cb.Delete().Before("gorm:begin_transaction").Register("panel:deadline", begin),
		cb.Delete().After("gorm:commit_or_rollback_transaction").Register("panel:deadline_end", end),
		cb.Query().Before("gorm:query").Register("panel:deadline", begin),
		cb.Query().After("gorm:query").Register("panel:deadline_end", end),
		cb.Raw().Before("gorm:raw").Register("panel:deadline", begin),
		cb.Raw().After("gorm:raw").Register("panel:deadline_end", end),
		cb.Row().Before("gorm:row").Register("panel:deadline", begin),
	)
}

// txContext gives a transaction whose context has no deadline one of
// DefaultTxTimeout where the driver asks for one (PostgreSQL), so that a COMMIT on a hung connection
// ends too. The cancel function must be called when the transaction is
// over.
func (s *Store) txContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if !s.drv.boundedTx() || s.inTx {
		return ctx, func() {}
	}
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithValue(ctx, txDefaultKey{}, true), DefaultTxTimeout)
}

// txDefaultKey marks a context whose deadline is DefaultTxTimeout, given by
// txContext: its statements still get DefaultStatementTimeout each.
type txDefaultKey struct{}
