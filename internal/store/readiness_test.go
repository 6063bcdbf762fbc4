package store_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/migrations"
)

// TestCheckSchema: the schema check fails, naming the versions, on an empty
// database, on a schema behind the binary and on one ahead of it, and
// passes once migrated.
func TestCheckSchema(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			db.SkipIfUnavailable(t)
			ctx := context.Background()
			s, err := store.Open(ctx, db.URL, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			latest, err := migrations.Latest(s.Dialect())
			if err != nil || latest < 7 {
				t.Fatalf("Latest: got %d, %v; want at least 7", latest, err)
			}
			check := func(step, want string) {
				t.Helper()
				err := s.CheckSchema(ctx)
				if want == "" {
					if err != nil {
						t.Errorf("%s: CheckSchema: got %v, want nil", step, err)
					}
					return
				}
				if panel.ErrorCode(err) != panel.EUNAVAILABLE || !strings.Contains(panel.ErrorMessage(err), want) {
					t.Errorf("%s: CheckSchema: got %v, want unavailable saying %q", step, err, want)
				}
			}
			check("empty database", "has no schema")
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			check("migrated", "")
			exec := func(q string, args ...any) {
				t.Helper()
				if err := s.ExecRaw(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec("DELETE FROM goose_db_version WHERE version_id = ?", latest)
			check("behind", "behind")
			exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", latest+5, true)
			check("ahead", "ahead")
		})
	}
}
