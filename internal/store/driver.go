package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// driver is what differs between the two databases. Every operation of
// the store is written once, over this interface; postgresDriver and
// sqliteDriver are its only implementations, and the only places that know
// which database they talk to.
type driver interface {
	// name is the dialect: DialectPostgres or DialectSQLite.
	name() string
	// rebind turns the '?' placeholders of a query written for both
	// databases into the driver's own.
	rebind(query string) string

	// forUpdate is the clause that locks the rows a SELECT reads from the
	// tables of aliases (all tables when none) until the transaction
	// ends, skipping rows locked by others when skipLocked. Empty on
	// SQLite, whose transactions hold the write lock from their start.
	forUpdate(skipLocked bool, aliases ...string) string
	// lockingRead is db made to lock the rows it reads, as forUpdate.
	lockingRead(db *gorm.DB) *gorm.DB
	// xactLock takes the advisory lock key until the transaction of db
	// ends; xactLockStrings takes one lock per string, under class. No-ops
	// on SQLite.
	xactLock(db *gorm.DB, key int64) error
	xactLockStrings(db *gorm.DB, class int32, keys []string) error
	// queueSenderLocks queues on p the statement that takes, until the
	// transaction ends, one advisory lock per sender number under class,
	// in one order, so that two transactions handling messages from one
	// number run one after the other and the second reads what the first
	// wrote (also across replicas). Nothing on SQLite, whose transactions
	// hold the write lock from their start.
	queueSenderLocks(p pipeline, class int32, phones []string)

	// inList is a condition that column is one of the values of a single
	// parameter, which listParam makes from values.
	inList(column string) string
	listParam(values []string) any
	// newIDs is a query that returns as many new ids for table as its one
	// parameter says, for rows inserted later in the same transaction.
	newIDs(table string) string
	// senderFrom is the FROM clause of senderColumns (see inbound_sender.go).
	senderFrom() string
	// tablesQuery lists the schema's tables by name; columnsQuery lists
	// the columns of the table named by its parameter, in order.
	tablesQuery() string
	columnsQuery() string
	// retryOpen reports whether opening the database failed only because
	// another process holds it for a moment (SQLite's lock while another
	// replica switches a new file to WAL or migrates it), so Open tries
	// again.
	retryOpen(err error) bool
	// versionTableQuery answers whether goose's version table exists.
	versionTableQuery() string
	// boundedTx is whether a transaction without a deadline of its own
	// gets DefaultTxTimeout (see txContext): true where a connection can
	// hang (PostgreSQL), false for an embedded database.
	boundedTx() bool
	// insertBatch is how many rows one multi-row INSERT should carry.
	insertBatch() int
	// copyRows inserts rows (one value per column of cols each) into
	// table on conn, inside the transaction conn is in: one COPY on
	// PostgreSQL, multi-row INSERTs of insertBatch rows on SQLite.
	copyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error

	// beginQuery starts a transaction that takes the locks it needs up
	// front (see pipelineTx).
	beginQuery() string
	// pipeline returns a pipeline on conn.
	pipeline(conn *sql.Conn) pipeline
	// classify adds gorm's error for a constraint violation to err, so
	// that translate maps errors of queries GORM did not run.
	classify(err error) error
}

// newDriver returns the driver for a dialect named by parseDatabaseURL.
func newDriver(dialect string) (driver, error) {
	switch dialect {
	case DialectPostgres:
		return postgresDriver{rebound: &sync.Map{}}, nil
	case DialectSQLite:
		return sqliteDriver{}, nil
	}
	return nil, fmt.Errorf("store: no driver for dialect %q", dialect)
}

// rows is what a pipeline's scan callback reads: *sql.Rows or pgx.Rows.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// A pipeline queues statements written with '?' placeholders and sends
// them at flush: on PostgreSQL in one round trip, on SQLite one after the
// other. Each scan callback (nil for a statement without rows) reads its
// statement's rows, in order; the first error stops the flush.
type pipeline interface {
	queue(scan func(rows) error, query string, args ...any)
	flush(ctx context.Context) error
}

// queuedStmt is a statement waiting in a sequential pipeline.
type queuedStmt struct {
	scan  func(rows) error
	query string
	args  []any
}

// seqPipeline runs its statements one by one through database/sql.
type seqPipeline struct {
	db     gorm.ConnPool
	rebind func(string) string
	stmts  []queuedStmt
}

func (p *seqPipeline) queue(scan func(rows) error, query string, args ...any) {
	p.stmts = append(p.stmts, queuedStmt{scan: scan, query: p.rebind(query), args: args})
}

func (p *seqPipeline) flush(ctx context.Context) error {
	stmts := p.stmts
	p.stmts = nil
	for _, st := range stmts {
		if st.scan == nil {
			if _, err := p.db.ExecContext(ctx, st.query, st.args...); err != nil {
				return err
			}
			continue
		}
		r, err := p.db.QueryContext(ctx, st.query, st.args...)
		if err != nil {
			return err
		}
		err = st.scan(r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// insertRows inserts rows into table on conn with INSERTs of per rows
// each, for drivers without a bulk path.
func insertRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any, per int) error {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	args := make([]any, 0, per*len(cols))
	var full string // the statement for a whole chunk, built once
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := full
		if len(chunk) != per || q == "" {
			q = head + strings.TrimSuffix(strings.Repeat(one+", ", len(chunk)), ", ")
			if len(chunk) == per {
				full = q
			}
		}
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
