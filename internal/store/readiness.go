package store

import (
	"context"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/migrations"
)

// CheckSchema reports whether the database's schema is the one this binary
// was built for: the newest applied migration must be the newest embedded
// one. It returns EUNAVAILABLE naming both versions when they differ (the
// schema is gone, behind, or ahead of this binary) and when the database
// cannot be reached. It reads goose's version table directly, so it takes no
// migration lock and never creates anything.
func (s *Store) CheckSchema(ctx context.Context) error {
	want, err := migrations.Latest(s.drv.name())
	if err != nil {
		return err
	}
	var exists bool
	if err := s.sqlDB.QueryRowContext(ctx, s.drv.versionTableQuery()).Scan(&exists); err != nil {
		return translate(err, "schema version")
	}
	var got int64
	if exists {
		row := s.sqlDB.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied")
		if err := row.Scan(&got); err != nil {
			return translate(err, "schema version")
		}
	}
	if got != want {
		return panel.Errorf(panel.EUNAVAILABLE, "%s", schemaMismatch(got, want))
	}
	return nil
}

// schemaMismatch says how the applied schema version differs from the
// binary's.
func schemaMismatch(got, want int64) string {
	switch {
	case got == 0:
		return fmt.Sprintf("the database has no schema; this binary needs migration version %d (run panel migrate)", want)
	case got < want:
		return fmt.Sprintf("the database schema is at migration version %d, behind this binary's %d (run panel migrate)", got, want)
	}
	return fmt.Sprintf("the database schema is at migration version %d, ahead of this binary's %d (deploy the newer binary)", got, want)
}
