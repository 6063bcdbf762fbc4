package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	gosqlite "github.com/glebarez/go-sqlite"
	"gorm.io/gorm"
)

// sqliteDriver is the driver for SQLite (glebarez/go-sqlite, pure Go).
// Its transactions take the write lock when they begin, so it needs no row
// or advisory locks.
type sqliteDriver struct{}

var _ driver = sqliteDriver{}

// sqliteInsertBatch is the INSERT size on SQLite, whose driver binds
// parameters in time quadratic in their number: 100 rows import 10,000
// recipients several times faster than 1000.
const sqliteInsertBatch = 100

// SQLite extended result codes that classify maps (from sqlite3.h).
const (
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

func (sqliteDriver) name() string { return DialectSQLite }

func (sqliteDriver) rebind(query string) string { return query }

func (sqliteDriver) forUpdate(bool, ...string) string { return "" }

func (sqliteDriver) lockingRead(db *gorm.DB) *gorm.DB { return db }

func (sqliteDriver) xactLock(*gorm.DB, int64) error { return nil }

func (sqliteDriver) xactLockStrings(*gorm.DB, int32, []string) error { return nil }

func (sqliteDriver) queueSenderLocks(pipeline, int32, []string) {}

func (sqliteDriver) inList(column string) string {
	return column + " IN (SELECT value FROM json_each(?))"
}

func (sqliteDriver) listParam(values []string) any {
	if values == nil {
		values = []string{}
	}
	b, _ := json.Marshal(values) // strings always marshal
	return string(b)
}

// newIDs continues after the highest id ever given (AUTOINCREMENT keeps it
// in sqlite_sequence) or stored; the transaction holds the write lock, so
// no one else takes them meanwhile.
func (sqliteDriver) newIDs(table string) string {
	return `WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
	SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '` + table + `'), 0),
		COALESCE((SELECT max(id) FROM ` + table + `), 0)) + n FROM k ORDER BY n`
}

// senderFrom: SQLite has no LATERAL; the membership is picked by a
// correlated subquery.
func (sqliteDriver) senderFrom() string {
	return `recipients r JOIN campaigns c ON c.id = r.campaign_id
	LEFT JOIN volunteers v ON v.recipient_id = r.id
	LEFT JOIN panel_members m ON m.id = (SELECT pm.id FROM panel_members pm JOIN draws d ON d.id = pm.draw_id AND d.state = ?
		WHERE pm.volunteer_id = v.id ORDER BY pm.draw_id DESC LIMIT 1)`
}

func (sqliteDriver) tablesQuery() string {
	return "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
}

func (sqliteDriver) columnsQuery() string {
	return "SELECT name FROM pragma_table_info(?) ORDER BY cid"
}

func (sqliteDriver) retryOpen(err error) bool {
	var se *gosqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteBusy
}

func (sqliteDriver) versionTableQuery() string {
	return "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version')"
}

func (sqliteDriver) boundedTx() bool { return false }

func (sqliteDriver) insertBatch() int { return sqliteInsertBatch }

func (sqliteDriver) copyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error {
	return insertRows(ctx, conn, table, cols, rows, sqliteInsertBatch)
}

// beginQuery takes the write lock at once (as _txlock=immediate does for
// database/sql transactions): a deferred transaction that reads first
// fails to upgrade its lock under concurrency.
func (sqliteDriver) beginQuery() string { return "BEGIN IMMEDIATE" }

func (d sqliteDriver) pipeline(conn *sql.Conn) pipeline {
	return &seqPipeline{db: conn, rebind: d.rebind}
}

func (sqliteDriver) classify(err error) error {
	var se *gosqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return errors.Join(gorm.ErrDuplicatedKey, err)
		case sqliteConstraintForeignKey:
			return errors.Join(gorm.ErrForeignKeyViolated, err)
		}
	}
	return err
}
