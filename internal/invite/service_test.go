package invite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// noPool reports an empty pool; it only fills New's argument here.
type noPool struct{}

func (noPool) Composition(ctx context.Context, campaignID int64, quotas []panel.Quota) (panel.Composition, error) {
	return panel.Composition{}, nil
}

// TestNewRequiresDependencies: a missing dependency is an error naming it.
func TestNewRequiresDependencies(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, storetest.SQLite(t))
	tests := []struct {
		name    string
		store   invite.Store
		pool    invite.Pool
		wantErr string
	}{
		{"complete", st, noPool{}, ""},
		{"no store", nil, noPool{}, "missing store"},
		{"no pool", st, nil, "missing pool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := invite.New(tt.store, tt.pool, invite.Config{})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}
