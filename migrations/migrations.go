// Package migrations holds the versioned SQL schema of the panel service,
// one folder per dialect, embedded in the binary, and applies it with goose.
// The SQL files, not GORM models, are the schema's source of truth.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Dialect names accepted by Up and Version.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Lock retry: try every second for up to five minutes, so a replica that
// starts while another one migrates waits for it instead of failing.
const (
	lockPeriodSeconds = 1
	lockAttempts      = 300
)

// Up applies every pending migration for dialect ("postgres" or "sqlite")
// and returns the names of the files it applied, in order. Running it again
// applies nothing. On PostgreSQL it holds a session advisory lock while it
// works, keyed by the current schema, so several replicas starting at once
// migrate exactly once.
//
// SQLite has no lock that spans processes here, so two processes migrating
// one file at the same moment can collide; each migration is one
// transaction, so the loser sees the winner's work on a retry, and Up tries
// up to sqliteAttempts times.
func Up(ctx context.Context, db *sql.DB, dialect string) (applied []string, err error) {
	attempts := 1
	if dialect == SQLite {
		attempts = sqliteAttempts
	}
	for i := 1; ; i++ {
		applied, err = up(ctx, db, dialect)
		if err == nil || i >= attempts || ctx.Err() != nil {
			return applied, err
		}
	}
}

// sqliteAttempts bounds how often Up runs on SQLite when it fails: each
// replica that loses a race for one of the (now fifteen) files tries again.
const sqliteAttempts = 10

func up(ctx context.Context, db *sql.DB, dialect string) (applied []string, err error) {
	p, err := newProvider(ctx, db, dialect)
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		if r.Error == nil && !r.Empty {
			applied = append(applied, r.Source.Path)
		}
	}
	if err != nil {
		return applied, fmt.Errorf("apply %s migrations: %w", dialect, err)
	}
	return applied, nil
}

// Version returns the version of the newest applied migration, 0 for an
// empty database.
func Version(ctx context.Context, db *sql.DB, dialect string) (int64, error) {
	p, err := newProvider(ctx, db, dialect)
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("read %s migration version: %w", dialect, err)
	}
	return v, nil
}

func newProvider(ctx context.Context, db *sql.DB, dialect string) (*goose.Provider, error) {
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	var gd goose.Dialect
	switch dialect {
	case Postgres:
		gd = goose.DialectPostgres
		id, err := lockID(ctx, db)
		if err != nil {
			return nil, err
		}
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(id),
			lock.WithLockTimeout(lockPeriodSeconds, lockAttempts),
		)
		if err != nil {
			return nil, fmt.Errorf("create migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case SQLite:
		gd = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("unknown migration dialect %q (want %q or %q)", dialect, Postgres, SQLite)
	}
	p, err := goose.NewProvider(gd, db, mustSub(dialect), opts...)
	if err != nil {
		return nil, fmt.Errorf("load %s migrations: %w", dialect, err)
	}
	return p, nil
}

// lockID derives the advisory lock key from the current schema: replicas
// sharing a schema contend for one lock, while separate schemas (such as
// parallel test databases) migrate independently.
func lockID(ctx context.Context, db *sql.DB) (int64, error) {
	var schema string
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return 0, fmt.Errorf("read current schema for the migration lock: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("panel migrations " + schema))
	return int64(h.Sum64() >> 1), nil
}

func mustSub(dialect string) fs.FS {
	sub, err := fs.Sub(files, dialect)
	if err != nil {
		// Only possible with an invalid path literal, which the embed
		// directive above rules out.
		panic(err)
	}
	return sub
}

// Files returns the names of the migration files embedded for dialect, in
// the order Up applies them.
func Files(dialect string) ([]string, error) {
	if dialect != Postgres && dialect != SQLite {
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	names, err := fs.Glob(mustSub(dialect), "*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrations: list %s files: %w", dialect, err)
	}
	sort.Strings(names)
	return names, nil
}

// Latest returns the version of the newest migration embedded for dialect:
// the number its file name starts with.
func Latest(dialect string) (int64, error) {
	names, err := Files(dialect)
	if err != nil {
		return 0, err
	}
	if len(names) == 0 {
		return 0, fmt.Errorf("migrations: no %s files", dialect)
	}
	last := names[len(names)-1]
	digits, _, _ := strings.Cut(last, "_")
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("migrations: file %s does not start with a version number", last)
	}
	return v, nil
}
