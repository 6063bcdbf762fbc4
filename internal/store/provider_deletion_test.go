package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestProviderDeletionQueue(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		st := s.WithClock(func() time.Time { return now })
		for _, sid := range []string{"SMa", "SMb", "SMc"} {
			if err := st.ExecRaw(ctx, `INSERT INTO provider_deletions (provider_id, attempts, next_attempt_at, created_at) VALUES (?, 0, ?, ?)`, sid, now, now); err != nil {
				t.Fatalf("insert: %v", err)
			}
		}
		first, err := st.ClaimProviderDeletions(ctx, 2, time.Minute)
		if err != nil || len(first) != 2 || first[0].ProviderID != "SMa" || first[1].ProviderID != "SMb" {
			t.Fatalf("first claim: got %+v, %v; want SMa and SMb", first, err)
		}
		second, err := st.ClaimProviderDeletions(ctx, 2, time.Minute)
		if err != nil || len(second) != 1 || second[0].ProviderID != "SMc" {
			t.Fatalf("second claim while the first is leased: got %+v, %v; want SMc alone", second, err)
		}
		if err := st.ProviderDeletionDone(ctx, first[0].ID); err != nil {
			t.Fatalf("ProviderDeletionDone: %v", err)
		}
		if err := st.ProviderDeletionFailed(ctx, first[1].ID, "twilio: http 503", now.Add(-time.Second)); err != nil {
			t.Fatalf("ProviderDeletionFailed: %v", err)
		}
		third, err := st.ClaimProviderDeletions(ctx, 10, time.Minute)
		if err != nil || len(third) != 1 || third[0].ProviderID != "SMb" || third[0].Attempts != 1 {
			t.Fatalf("claim after a failure: got %+v, %v; want SMb with 1 attempt", third, err)
		}
		if err := st.ProviderDeletionFailed(ctx, 999, "x", now); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("failure of an unknown deletion: got %v, want ENOTFOUND", err)
		}
		if _, err := st.ClaimProviderDeletions(ctx, 0, time.Minute); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("limit 0: got %v, want EINVALID", err)
		}
	})
}
