package migrations_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
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
	files, err := migrations.Files(migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || files[0] != "00001_init.sql" {
		t.Fatalf("embedded SQLite files %v do not start with 00001_init.sql", files)
	}
	if !slices.Equal(applied, files) {
		t.Errorf("got applied %v, want %v", applied, files)
	}
	again, err := migrations.Up(ctx, db, migrations.SQLite)
	if err != nil || len(again) != 0 {
		t.Errorf("second Up: got %v, %v; want nothing applied", again, err)
	}
	if v, err := migrations.Version(ctx, db, migrations.SQLite); err != nil || v != int64(len(files)) {
		t.Errorf("got version %d, %v; want %d (the files are numbered without gaps), nil", v, err, len(files))
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

// TestDialectsHaveTheSameFiles keeps the two schemas in step: every
// migration exists for both databases, under the same number and name.
func TestDialectsHaveTheSameFiles(t *testing.T) {
	t.Parallel()
	pg, err := migrations.Files(migrations.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := migrations.Files(migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pg, lite) {
		t.Errorf("PostgreSQL files %v differ from SQLite files %v", pg, lite)
	}
	for i, name := range pg {
		if want := fmt.Sprintf("%05d_", i+1); !strings.HasPrefix(name, want) {
			t.Errorf("file %s: want it numbered %s (no gaps)", name, want)
		}
	}
}
