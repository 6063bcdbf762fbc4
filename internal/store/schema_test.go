package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/migrations"
)

// TestDialectSchemasMatch checks that both migration files create the same
// columns, in the same order, in every table.
func TestDialectSchemasMatch(t *testing.T) {
	t.Parallel()
	dbs := storetest.Databases(t)
	lite, pg := storetest.Open(t, dbs[0]), storetest.Open(t, dbs[1])
	ctx := context.Background()
	for _, table := range domainTables {
		a, err := lite.Columns(ctx, table)
		if err != nil {
			t.Fatalf("sqlite columns of %s: %v", table, err)
		}
		b, err := pg.Columns(ctx, table)
		if err != nil {
			t.Fatalf("postgres columns of %s: %v", table, err)
		}
		if !slices.Equal(a, b) {
			t.Errorf("table %s: got sqlite columns %v, postgres columns %v; want the same", table, a, b)
		}
	}
}

// TestSchemaConstraints checks a few rules the schema enforces itself, in
// both dialects, by writing rows that break them.
func TestSchemaConstraints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		sql      string
		wantCode string
	}{
		{"valid recipient", `INSERT INTO recipients (campaign_id, phone, pseudonym) VALUES (1, '+4790000001', 'r1')`, ""},
		{"duplicate phone in campaign", `INSERT INTO recipients (campaign_id, phone, pseudonym) VALUES (1, '+4790000000', 'r2')`, panel.ECONFLICT},
		{"duplicate pseudonym", `INSERT INTO recipients (campaign_id, phone, pseudonym) VALUES (1, '+4790000009', 'r0')`, panel.ECONFLICT},
		{"recipient of unknown campaign", `INSERT INTO recipients (campaign_id, phone, pseudonym) VALUES (99, '+4790000002', 'r3')`, panel.ECONFLICT},
		{"bad recipient state", `INSERT INTO recipients (campaign_id, phone, pseudonym, state) VALUES (1, '+4790000003', 'r4', 'happy')`, panel.EINVALID},
		{"duplicate dedup key", `INSERT INTO outbound_messages (campaign_id, recipient_id, kind, body, dedup_key) VALUES (1, 1, 'invitation', 'hei', 'inv/1')`, panel.ECONFLICT},
		{"bad message kind", `INSERT INTO outbound_messages (campaign_id, recipient_id, kind, body, dedup_key) VALUES (1, 1, 'spam', 'hei', 'x/1')`, panel.EINVALID},
		{"bad quota bounds", `INSERT INTO quotas (campaign_id, category, value, min, max) VALUES (1, 'gender', 'kvinne', 5, 4)`, panel.EINVALID},
		{"second live draw", `INSERT INTO draws (campaign_id, seats, algorithm) VALUES (1, 50, 'leximin')`, panel.ECONFLICT},
		{"bad token role", `INSERT INTO api_tokens (name, role, hash) VALUES ('x', 'root', 'h2')`, panel.EINVALID},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		if err := s.CreateCampaign(ctx, validCampaign("constraints")); err != nil {
			t.Fatalf("CreateCampaign: %v", err)
		}
		for _, q := range []string{
			`INSERT INTO recipients (campaign_id, phone, pseudonym) VALUES (1, '+4790000000', 'r0')`,
			`INSERT INTO outbound_messages (campaign_id, recipient_id, kind, body, dedup_key) VALUES (1, 1, 'invitation', 'hei', 'inv/1')`,
			`INSERT INTO draws (campaign_id, seats, algorithm) VALUES (1, 50, 'leximin')`,
		} {
			if err := s.ExecRaw(ctx, q); err != nil {
				t.Fatalf("setup %q: %v", q, err)
			}
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := store.Translate(s.ExecRaw(ctx, tt.sql), "row")
				if code := panel.ErrorCode(err); code != tt.wantCode {
					t.Errorf("got code %q (%v), want %q", code, err, tt.wantCode)
				}
			})
		}
	})
}

// TestMigrateConcurrently starts several "replicas" on one fresh database at
// once: the migration is applied exactly once and all of them succeed.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			db.SkipIfUnavailable(t)
			ctx := context.Background()
			const replicas = 4
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				applied []string
			)
			for range replicas {
				wg.Go(func() {
					s, err := store.Open(ctx, db.URL, nil)
					if err != nil {
						t.Errorf("Open: %v", err)
						return
					}
					defer s.Close()
					files, err := s.Migrate(ctx)
					if err != nil {
						t.Errorf("Migrate: %v", err)
					}
					mu.Lock()
					applied = append(applied, files...)
					mu.Unlock()
				})
			}
			wg.Wait()
			want, err := migrations.Files(db.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(applied, want) {
				t.Errorf("got applied %v across %d replicas, want %v once", applied, replicas, want)
			}
		})
	}
}
