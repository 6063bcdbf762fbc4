package store

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// target is a parsed database URL: which dialect, how GORM reaches it and
// how big its pool is.
type target struct {
	dialect   string
	dialector gorm.Dialector
	pool      poolConfig
	// live checks PostgreSQL connections before reuse; nil for SQLite.
	live *liveness
}

// poolConfig sizes a database/sql pool. The lifetimes make sure no
// connection that died with a database restart is kept for long.
type poolConfig struct {
	maxOpen     int
	maxIdle     int
	maxLifetime time.Duration
	maxIdleTime time.Duration
}

func (p poolConfig) apply(db *sql.DB) {
	db.SetMaxOpenConns(p.maxOpen)
	db.SetMaxIdleConns(p.maxIdle)
	db.SetConnMaxLifetime(p.maxLifetime)
	db.SetConnMaxIdleTime(p.maxIdleTime)
}

// postgresPool suits a service replica; PostgreSQL's default limit of 100
// connections leaves room for several replicas.
func postgresPool() poolConfig {
	return poolConfig{maxOpen: 20, maxIdle: 10, maxLifetime: 30 * time.Minute, maxIdleTime: 5 * time.Minute}
}

// sqlitePool: SQLite has one writer at a time; a few connections let reads
// proceed during a write (WAL) without piling up writers on the lock.
func sqlitePool() poolConfig {
	return poolConfig{maxOpen: 4, maxIdle: 4, maxLifetime: time.Hour, maxIdleTime: 10 * time.Minute}
}

// sqliteParams are added to every SQLite DSN: writers take the lock at
// BEGIN (deferred transactions fail under concurrency even with a busy
// timeout), WAL lets readers run beside a writer, and foreign keys are
// enforced. The driver's _time_format option is deliberately not used: the
// driver skips _txlock when it is present.
func sqliteParams() []string {
	return []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(NORMAL)",
		"_pragma=foreign_keys(1)",
		"_txlock=immediate",
	}
}

// parseDatabaseURL turns PANEL_DATABASE_URL into a target. Its errors are
// EINVALID and never repeat the URL, which may hold a password.
func parseDatabaseURL(raw string) (target, error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok || scheme == "" {
		return target{}, panel.Errorf(panel.EINVALID,
			"PANEL_DATABASE_URL must start with sqlite: or postgres://, got no scheme")
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		dsn, err := sqliteDSN(rest)
		if err != nil {
			return target{}, err
		}
		return target{dialect: DialectSQLite, dialector: sqlite.Open(dsn), pool: sqlitePool()}, nil
	case "postgres", "postgresql":
		dsn, err := withConnectTimeout(raw)
		if err != nil {
			return target{}, panel.Errorf(panel.EINVALID, "PANEL_DATABASE_URL is not a valid postgres URL")
		}
		pool := postgresPool()
		live := &liveness{maxIdle: pool.maxIdle}
		return target{
			dialect:   DialectPostgres,
			dialector: postgres.New(postgres.Config{DSN: dsn, OptionOpenDB: live.options()}),
			pool:      pool,
			live:      live,
		}, nil
	default:
		return target{}, panel.Errorf(panel.EINVALID,
			"PANEL_DATABASE_URL scheme %q is not supported; use sqlite:PATH or postgres://...", scheme)
	}
}

// sqliteDSN builds the driver DSN for the part after "sqlite:". A path may
// carry its own query parameters after '?'; ours are added after them.
func sqliteDSN(rest string) (string, error) {
	path, query, _ := strings.Cut(rest, "?")
	path = strings.TrimPrefix(path, "//") // sqlite:///abs/file.db is /abs/file.db
	if path == "" {
		return "", panel.Errorf(panel.EINVALID, "PANEL_DATABASE_URL sqlite: needs a file path, e.g. sqlite:panel.db")
	}
	if path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		return "", panel.Errorf(panel.EINVALID,
			"PANEL_DATABASE_URL sqlite::memory: is not supported (each connection would see its own database); use a file path")
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return "", panel.Errorf(panel.EINVALID,
			"PANEL_DATABASE_URL names the SQLite file %q, but its directory %q does not exist", path, dir)
	}
	params := sqliteParams()
	if query != "" {
		params = append([]string{query}, params...)
	}
	return path + "?" + strings.Join(params, "&"), nil
}
