package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// This file owns transactions: InTx for GORM code, pipelineTx for
// pipelines.

// InTx runs fn with a Store bound to one transaction: if fn returns an
// error or panics, everything it did is rolled back; otherwise it is
// committed. Nested calls use savepoints. On SQLite the transaction takes
// the write lock when it starts, which serialises writers.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	ctx, cancel := s.txContext(ctx)
	defer cancel()
	return s.db.WithContext(ctx).Transaction(func(gtx *gorm.DB) error {
		return fn(s.bind(gtx))
	})
}

// bind returns a copy of s that runs its queries on db.
func (s *Store) bind(db *gorm.DB) *Store {
	c := *s
	c.db = db
	c.inTx = true
	return &c
}

// conn returns the GORM handle for one operation.
func (s *Store) conn(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// clock returns the current time in UTC, truncated to microseconds (the
// resolution both databases keep).
func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// pipelineTx runs fn in a transaction on one connection: fn queues its
// statements on p, and commit queues the end of the transaction and
// flushes. gdb is GORM on the same transaction. Unless fn commits and
// returns nil, the transaction is rolled back. Inside InTx the transaction
// is a savepoint of the caller's.
func (s *Store) pipelineTx(ctx context.Context, fn func(p pipeline, gdb *gorm.DB, commit func() error) error) error {
	if s.inTx {
		return s.conn(ctx).Transaction(func(gtx *gorm.DB) error {
			p := s.seqPipeline(gtx)
			return fn(p, gtx, func() error { return p.flush(ctx) })
		})
	}
	return s.conn(ctx).Connection(func(gdb *gorm.DB) error {
		conn, ok := gdb.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("store: connection is %T, not *sql.Conn", gdb.Statement.ConnPool)
		}
		// GORM must not wrap its writes in transactions of its own: the
		// connection is in this one already.
		gdb = gdb.Session(&gorm.Session{SkipDefaultTransaction: true})
		p := s.drv.pipeline(conn)
		p.queue(nil, s.drv.beginQuery())
		committed := false
		defer func() { // also when fn panics
			if !committed {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
				defer cancel()
				// A failed ROLLBACK leaves the transaction open, and the
				// driver then refuses to reuse the connection.
				_, _ = conn.ExecContext(rctx, "ROLLBACK")
			}
		}()
		return fn(p, gdb, func() error {
			p.queue(nil, "COMMIT")
			err := p.flush(ctx)
			committed = err == nil
			return err
		})
	})
}

// rollbackTimeout bounds the ROLLBACK after a failure; a connection whose
// transaction is still open afterwards is discarded by the pool.
const rollbackTimeout = 5 * time.Second

// seqPipeline is a pipeline that runs its statements one by one on db's
// connection or transaction.
func (s *Store) seqPipeline(db *gorm.DB) *seqPipeline {
	return &seqPipeline{db: db.Statement.ConnPool, rebind: s.drv.rebind}
}
