package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// postgresDriver is the driver for PostgreSQL through pgx.
type postgresDriver struct {
	// rebound caches rebind's results (nil: no cache): the queries are a
	// fixed set, and the inbound path rebinds several for each message.
	rebound *sync.Map
}

var _ driver = postgresDriver{}

func (postgresDriver) name() string { return DialectPostgres }

// rebind numbers the placeholders: the n-th '?' outside a quoted string
// becomes $n.
func (d postgresDriver) rebind(query string) string {
	if d.rebound == nil {
		return numberPlaceholders(query)
	}
	if q, ok := d.rebound.Load(query); ok {
		return q.(string)
	}
	q := numberPlaceholders(query)
	d.rebound.Store(query, q)
	return q
}

// numberPlaceholders is rebind without the cache.
func numberPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quote := 0, rune(0)
	for _, c := range query {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (postgresDriver) forUpdate(skipLocked bool, aliases ...string) string {
	q := " FOR UPDATE"
	if len(aliases) > 0 {
		q += " OF " + strings.Join(aliases, ", ")
	}
	if skipLocked {
		q += " SKIP LOCKED"
	}
	return q
}

func (postgresDriver) lockingRead(db *gorm.DB) *gorm.DB {
	return db.Clauses(clause.Locking{Strength: "UPDATE"})
}

func (postgresDriver) xactLock(db *gorm.DB, key int64) error {
	return db.Exec("SELECT pg_advisory_xact_lock(?)", key).Error
}

// xactLockStrings locks (class, hashtext(key)) for each key. Keys must not
// hold a line feed, which separates them on the way.
func (postgresDriver) xactLockStrings(db *gorm.DB, class int32, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return db.Exec(`SELECT pg_advisory_xact_lock(CAST(? AS integer), hashtext(p))
		FROM unnest(string_to_array(CAST(? AS text), E'\n')) AS p`, class, strings.Join(keys, "\n")).Error
}

// queueSenderLocks locks (class, hashtext(phone)) per number, in the
// order of the lock keys so that two batches never wait for each other in
// a circle. The statements after it in the pipeline take their snapshots
// once it returns (READ COMMITTED), so they see what the transaction that
// held a lock committed.
func (postgresDriver) queueSenderLocks(p pipeline, class int32, phones []string) {
	p.queue(func(r rows) error {
		for r.Next() {
		}
		return r.Err()
	}, `SELECT pg_advisory_xact_lock(CAST(? AS integer), k)
		FROM (SELECT DISTINCT hashtext(p) AS k FROM unnest(CAST(? AS text[])) AS p ORDER BY k) AS keys`, class, phones)
}

func (postgresDriver) inList(column string) string { return column + " = ANY(?)" }

func (postgresDriver) listParam(values []string) any { return values }

func (postgresDriver) newIDs(table string) string {
	return "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id')) FROM generate_series(1, CAST(? AS integer))"
}

// senderFrom joins the volunteer and the membership laterally, so that
// each is read through its index for each recipient, never by scanning
// the table (recipient_id is unique: LIMIT 1 changes nothing but keeps
// the subquery from being flattened).
func (postgresDriver) senderFrom() string {
	return `recipients r JOIN campaigns c ON c.id = r.campaign_id
	LEFT JOIN LATERAL (SELECT * FROM volunteers WHERE recipient_id = r.id LIMIT 1) v ON true
	LEFT JOIN LATERAL (SELECT pm.id, pm.draw_id, pm.pseudonym, pm.role, pm.state
		FROM panel_members pm JOIN draws d ON d.id = pm.draw_id AND d.state = ?
		WHERE pm.volunteer_id = v.id ORDER BY pm.draw_id DESC LIMIT 1) m ON true`
}

func (postgresDriver) tablesQuery() string {
	return "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
}

func (postgresDriver) columnsQuery() string {
	return "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
}

func (postgresDriver) retryOpen(error) bool { return false }

func (postgresDriver) versionTableQuery() string {
	return "SELECT to_regclass('goose_db_version') IS NOT NULL"
}

func (postgresDriver) boundedTx() bool { return true }

func (postgresDriver) insertBatch() int { return importBatch }

// copyRows sends the rows with COPY FROM STDIN through pgx, in the
// transaction the connection is in.
func (postgresDriver) copyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: driver connection is %T, not pgx", dc)
		}
		_, err := sc.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}

func (postgresDriver) beginQuery() string { return "BEGIN" }

func (d postgresDriver) pipeline(conn *sql.Conn) pipeline {
	return &pgPipeline{conn: conn, rebind: d.rebind}
}

// PostgreSQL error codes that classify maps to GORM's errors.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

func (postgresDriver) classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			return errors.Join(gorm.ErrDuplicatedKey, err)
		case pgForeignKeyViolation:
			return errors.Join(gorm.ErrForeignKeyViolated, err)
		}
	}
	return err
}

// pgPipeline sends its statements as one pgx batch: one round trip, each
// statement prepared once per connection by pgx's statement cache.
type pgPipeline struct {
	conn   *sql.Conn
	rebind func(string) string
	b      pgx.Batch
}

func (p *pgPipeline) queue(scan func(rows) error, query string, args ...any) {
	q := p.b.Queue(p.rebind(query), args...)
	if scan != nil {
		q.Query(func(r pgx.Rows) error { return scan(r) })
	}
}

func (p *pgPipeline) flush(ctx context.Context) error {
	b := p.b
	p.b = pgx.Batch{}
	if b.Len() == 0 {
		return nil
	}
	return p.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: driver connection is %T, not pgx", dc)
		}
		return sc.Conn().SendBatch(ctx, &b).Close()
	})
}
