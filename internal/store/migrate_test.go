package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/migrations"
)

// domainTables are the tables 00001_init.sql creates.
var domainTables = []string{
	"absences", "api_tokens", "audit_events", "campaigns", "draws", "inbound_messages",
	"meetings", "message_status_events", "outbound_messages", "panel_members", "quotas",
	"recipients", "reminders", "volunteer_answers", "volunteers",
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db) // applies the migrations once
			ctx := context.Background()
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			if len(applied) != 0 {
				t.Errorf("second Migrate applied %v, want nothing", applied)
			}
			v, err := s.SchemaVersion(ctx)
			if err != nil {
				t.Fatalf("SchemaVersion: %v", err)
			}
			files, err := migrations.Files(s.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			if want := migrationVersion(t, files[len(files)-1]); v != want {
				t.Errorf("got schema version %d, want %d (from %s)", v, want, files[len(files)-1])
			}
		})
	}
}

func TestMigrateFreshAppliesEveryFile(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			ctx := context.Background()
			s, err := store.Open(ctx, db.URL, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			want, err := migrations.Files(s.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(applied, want) {
				t.Errorf("got applied %v, want every embedded file %v", applied, want)
			}
		})
	}
}

func TestEveryTableExists(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		got, err := s.Tables(context.Background())
		if err != nil {
			t.Fatalf("Tables: %v", err)
		}
		for _, want := range domainTables {
			if !slices.Contains(got, want) {
				t.Errorf("table %s is missing; got %v", want, got)
			}
		}
	})
}

// migrationVersion reads the version number goose takes from a file name
// such as "00002_dialogue.sql".
func migrationVersion(t *testing.T, name string) int64 {
	t.Helper()
	num, _, ok := strings.Cut(name, "_")
	v, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil {
		t.Fatalf("migration file %q has no version number", name)
	}
	return v
}
