// Package storetest gives tests fresh, migrated databases: a SQLite file
// always, and a PostgreSQL schema of its own when PANEL_TEST_POSTGRES_URL
// names a reachable server. Other packages' tests import it to run against
// the real store.
//
//	func TestX(t *testing.T) {
//		storetest.ForEach(t, func(t *testing.T, s *store.Store) { ... })
//	}
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/citizenspanel/panel/internal/store"
)

// Environment variables read by this package.
const (
	// PostgresURLEnv names an existing PostgreSQL database in which each
	// test gets a schema of its own, e.g.
	// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
	PostgresURLEnv = "PANEL_TEST_POSTGRES_URL"
	// CIEnv set to "true" turns a missing or unreachable PostgreSQL from a
	// skip into a failure.
	CIEnv = "CI"
)

// adminTimeout bounds creating and dropping a test schema.
const adminTimeout = 15 * time.Second

// Database is a fresh, empty database for one test.
type Database struct {
	Name string // "sqlite" or "postgres", the store's dialect
	URL  string // a PANEL_DATABASE_URL value for it
	skip string // why this database is not available; "" when it is
}

// Databases returns a fresh empty database of each kind: "sqlite" (a file
// in t.TempDir()) and "postgres" (a new schema in PANEL_TEST_POSTGRES_URL,
// dropped with everything in it when the test ends). When PostgreSQL is not
// configured or not reachable, the "postgres" entry is still returned and
// Open skips the test that uses it, or with CI=true Databases fails t.
func Databases(t testing.TB) []Database {
	t.Helper()
	return []Database{SQLite(t), Postgres(t)}
}

// SQLite returns a fresh SQLite database file in t.TempDir().
func SQLite(t testing.TB) Database {
	t.Helper()
	return Database{Name: store.DialectSQLite, URL: "sqlite:" + filepath.Join(t.TempDir(), "panel.db")}
}

// Postgres returns a fresh schema in PANEL_TEST_POSTGRES_URL, dropped with
// CASCADE in t.Cleanup. Its URL sets search_path to that schema, so every
// connection of the pool uses it. If PostgreSQL is unavailable, the result
// makes Open skip; with CI=true Postgres fails t instead.
func Postgres(t testing.TB) Database {
	t.Helper()
	db := Database{Name: store.DialectPostgres}
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		db.skip = fmt.Sprintf("%s is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresURLEnv)
		return unavailable(t, db)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a valid URL: %v", PostgresURLEnv, err)
	}
	schema := "panel_test_" + randomHex(t, 8)
	if err := adminExec(base, "CREATE SCHEMA "+schema); err != nil {
		db.skip = fmt.Sprintf("%s is not usable: %v", PostgresURLEnv, err)
		return unavailable(t, db)
	}
	t.Cleanup(func() {
		if err := adminExec(base, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db.URL = u.String()
	return db
}

// unavailable fails t under CI and otherwise returns db marked to skip.
func unavailable(t testing.TB, db Database) Database {
	t.Helper()
	if os.Getenv(CIEnv) == "true" {
		t.Fatalf("PostgreSQL tests cannot run: %s (with CI=true this is a failure, not a skip)", db.skip)
	}
	return db
}

// SkipIfUnavailable skips t when db is a PostgreSQL database that is not
// available. Tests that use db.URL directly (e.g. to start the service)
// call it first.
func (db Database) SkipIfUnavailable(t testing.TB) {
	t.Helper()
	if db.skip != "" {
		t.Skip("PostgreSQL tests skipped: " + db.skip)
	}
}

// Open opens db, applies the migrations and closes it when the test ends.
// It skips t when db is a PostgreSQL database that is not available.
func Open(t testing.TB, db Database) *store.Store {
	t.Helper()
	db.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	s, err := store.Open(ctx, db.URL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open %s test database: %v", db.Name, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close %s test database: %v", db.Name, err)
		}
	})
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s test database: %v", db.Name, err)
	}
	return s
}

// ForEach runs fn as one subtest per database ("sqlite", "postgres"), each
// with a fresh migrated store. fn may call t.Parallel: nothing is shared
// between subtests.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, name := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(name, func(t *testing.T) {
			fn(t, Open(t, Fresh(t, name)))
		})
	}
}

// Parallel is ForEach for a test that runs in parallel with other tests,
// its subtests in parallel with each other.
func Parallel(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Parallel()
	ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		fn(t, s)
	})
}

// Fresh returns a fresh database of the dialect named ("sqlite" or
// "postgres"), as SQLite or Postgres do.
func Fresh(tb testing.TB, name string) Database {
	tb.Helper()
	fresh, ok := map[string]func(testing.TB) Database{store.DialectSQLite: SQLite, store.DialectPostgres: Postgres}[name]
	if !ok {
		tb.Fatalf("storetest: no database %q", name)
	}
	return fresh(tb)
}

// adminExec runs one statement on a short-lived connection to url.
func adminExec(url, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	return nil
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random schema name: %v", err)
	}
	return hex.EncodeToString(b)
}
