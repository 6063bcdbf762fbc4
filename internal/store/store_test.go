package store_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestPing(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		if err := s.Ping(context.Background()); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
}

// TestStoreRecoversFromDroppedConnections kills every server connection of
// the pool: the store reports at most EUNAVAILABLE and then works again
// without being reopened.
func TestStoreRecoversFromDroppedConnections(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	db.SkipIfUnavailable(t)
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatalf("parse test URL: %v", err)
	}
	q := u.Query()
	app := "recovery_" + q.Get("search_path") // unique per test database
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	db.URL = u.String()
	s := storetest.Open(t, db)
	ctx := context.Background()
	if err := s.CreateCampaign(ctx, validCampaign("before")); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	conn, err := pgx.Connect(ctx, os.Getenv(storetest.PostgresURLEnv))
	if err != nil {
		t.Fatalf("admin connect: %v", err)
	}
	defer conn.Close(ctx)
	var killed int
	if err := conn.QueryRow(ctx, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&killed); err != nil {
		t.Fatalf("terminate: %v", err)
	}
	if killed == 0 {
		t.Fatalf("terminated no connections of application %q", app)
	}
	var lastErr error
	for range 5 {
		_, lastErr = s.FindCampaignByID(ctx, 1)
		if lastErr == nil {
			break
		}
		t.Logf("after the connections died: %v", lastErr)
		if code := panel.ErrorCode(lastErr); code != panel.EUNAVAILABLE {
			t.Fatalf("after the connections died got code %q (%v), want %q or success", code, lastErr, panel.EUNAVAILABLE)
		}
	}
	if lastErr != nil {
		t.Errorf("store did not recover: %v", lastErr)
	}
}

func TestInTx(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		count := func() (campaigns, events int) {
			t.Helper()
			_, n, err := s.ListCampaigns(ctx, panel.CampaignFilter{})
			if err != nil {
				t.Fatalf("ListCampaigns: %v", err)
			}
			ev, err := s.ListAuditEvents(ctx, panel.AuditFilter{})
			if err != nil {
				t.Fatalf("ListAuditEvents: %v", err)
			}
			return n, len(ev)
		}
		createWithAudit := func(tx *store.Store, name string) error {
			// CreateCampaign writes its audit event in tx too.
			return tx.CreateCampaign(ctx, validCampaign(name))
		}

		// An error rolls back the campaign and its audit event.
		err := s.InTx(ctx, func(tx *store.Store) error {
			if err := createWithAudit(tx, "rolled back"); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("got %v, want the callback's error", err)
		}
		if c, e := count(); c != 0 || e != 0 {
			t.Errorf("after rollback got %d campaigns and %d events, want 0 and 0", c, e)
		}

		// A panic rolls back too, and is passed on.
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("got no panic, want it passed on")
				}
			}()
			_ = s.InTx(ctx, func(tx *store.Store) error {
				if err := createWithAudit(tx, "panicked"); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if c, e := count(); c != 0 || e != 0 {
			t.Errorf("after panic got %d campaigns and %d events, want 0 and 0", c, e)
		}

		// A failed nested transaction undoes only its own work.
		err = s.InTx(ctx, func(tx *store.Store) error {
			if err := createWithAudit(tx, "kept"); err != nil {
				return err
			}
			inner := tx.InTx(ctx, func(tx2 *store.Store) error {
				if err := createWithAudit(tx2, "inner"); err != nil {
					return err
				}
				return errBoom
			})
			if !errors.Is(inner, errBoom) {
				t.Errorf("inner: got %v, want the callback's error", inner)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("outer InTx: %v", err)
		}
		if c, e := count(); c != 1 || e != 1 {
			t.Errorf("after nested rollback got %d campaigns and %d events, want 1 and 1", c, e)
		}
		if n, err := s.VerifyAuditChain(ctx); n != 1 || err != nil {
			t.Errorf("VerifyAuditChain: got %d, %v, want 1, nil", n, err)
		}
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.Close() }); err == nil {
			t.Errorf("Close inside InTx: got nil, want an error")
		}
	})
}
