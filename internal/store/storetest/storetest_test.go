package storetest_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestDatabasesAreFreshAndSeparate(t *testing.T) {
	t.Parallel()
	a, b := storetest.Databases(t), storetest.Databases(t)
	if len(a) != 2 || a[0].Name != store.DialectSQLite || a[1].Name != store.DialectPostgres {
		t.Fatalf("got %+v, want sqlite then postgres", a)
	}
	for i := range a {
		if a[i].URL != "" && a[i].URL == b[i].URL {
			t.Errorf("%s: two calls gave the same URL %s", a[i].Name, a[i].URL)
		}
	}
	if os.Getenv(storetest.PostgresURLEnv) != "" {
		u, err := url.Parse(a[1].URL)
		if err != nil {
			t.Fatalf("postgres URL: %v", err)
		}
		if sp := u.Query().Get("search_path"); !strings.HasPrefix(sp, "panel_test_") {
			t.Errorf("got search_path %q, want a panel_test_ schema", sp)
		}
	}
}

func TestForEachGivesMigratedEmptyStores(t *testing.T) {
	t.Parallel()
	var ran []string
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ran = append(ran, s.Dialect())
		ctx := context.Background()
		_, n, err := s.ListCampaigns(ctx, panel.CampaignFilter{})
		if err != nil || n != 0 {
			t.Errorf("got %d campaigns, %v; want an empty migrated database", n, err)
		}
		c := panel.NewCampaign()
		c.Name, c.InvitationText = "x", "y"
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Errorf("CreateCampaign: %v", err)
		}
	})
	if len(ran) == 0 || ran[0] != store.DialectSQLite {
		t.Errorf("got runs %v, want sqlite first", ran)
	}
}

// TestDroppedSchema checks that the PostgreSQL schema of a finished test is
// gone.
func TestDroppedSchema(t *testing.T) {
	t.Parallel()
	var schema string
	t.Run("use", func(t *testing.T) {
		db := storetest.Postgres(t)
		db.SkipIfUnavailable(t)
		u, err := url.Parse(db.URL)
		if err != nil {
			t.Fatalf("parse URL: %v", err)
		}
		schema = u.Query().Get("search_path")
		storetest.Open(t, db)
	})
	if schema == "" {
		t.Skip("PostgreSQL not available")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv(storetest.PostgresURLEnv))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil {
		t.Fatalf("query: %v", err)
	}
	if n != 0 {
		t.Errorf("schema %s still exists after its test ended", schema)
	}
}
