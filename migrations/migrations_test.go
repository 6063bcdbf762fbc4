package migrations_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	_ "github.com/glebarez/go-sqlite" // registers the "sqlite" database/sql driver

	"github.com/citizenspanel/panel/migrations"
)

func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db")+"?_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestUpAndVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openSQLite(t)
	if v, err := migrations.Version(ctx, db, migrations.SQLite); err != nil || v != 0 {
		t.Fatalf("fresh database: got version %d, %v; want 0, nil", v, err)
	}
	applied, err := migrations.Up(ctx, db, migrations.SQLite)
	if err != nil {
		t.Fatalf("Up: %v", err)
	}
	if want := []string{"00001_init.sql"}; !slices.Equal(applied, want) {
		t.Errorf("got applied %v, want %v", applied, want)
	}
	again, err := migrations.Up(ctx, db, migrations.SQLite)
	if err != nil || len(again) != 0 {
		t.Errorf("second Up: got %v, %v; want nothing applied", again, err)
	}
	if v, err := migrations.Version(ctx, db, migrations.SQLite); err != nil || v != 1 {
		t.Errorf("got version %d, %v; want 1, nil", v, err)
	}
}

func TestUnknownDialect(t *testing.T) {
	t.Parallel()
	db := openSQLite(t)
	for _, dialect := range []string{"mysql", "", "Postgres"} {
		if _, err := migrations.Up(context.Background(), db, dialect); err == nil {
			t.Errorf("Up with dialect %q: got nil, want an error", dialect)
		}
		if _, err := migrations.Version(context.Background(), db, dialect); err == nil {
			t.Errorf("Version with dialect %q: got nil, want an error", dialect)
		}
	}
}
