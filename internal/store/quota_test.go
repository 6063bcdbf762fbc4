package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestQuotas(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := inboundCampaign(t, s, "quotas", panel.CampaignSending, panel.RecipientInvited)
		flex, flexMax, share := 20, 30, 0.507
		first := []panel.Quota{
			{Category: "gender", Value: "mann", Min: 24, Max: 26},
			{Category: "gender", Value: "kvinne", Min: 24, Max: 26, MinFlex: &flex, MaxFlex: &flexMax, Share: &share},
		}
		if err := s.SetQuotas(ctx, c.ID, first); err != nil {
			t.Fatalf("SetQuotas: %v", err)
		}
		got, err := s.ListQuotas(ctx, c.ID)
		if err != nil || !reflect.DeepEqual(got, first) {
			t.Fatalf("ListQuotas: got %+v, %v, want %+v", got, err, first)
		}
		second := []panel.Quota{{Category: "age", Value: "18-29", Min: 10, Max: 14}}
		if err := s.SetQuotas(ctx, c.ID, second); err != nil {
			t.Fatalf("SetQuotas again: %v", err)
		}
		if got, err := s.ListQuotas(ctx, c.ID); err != nil || !reflect.DeepEqual(got, second) {
			t.Errorf("got %+v, %v after replacing, want %+v", got, err, second)
		}
		tests := []struct {
			name       string
			campaignID int64
			qs         []panel.Quota
			want       string
		}{
			{"max below min", c.ID, []panel.Quota{{Category: "a", Value: "b", Min: 3, Max: 2}}, panel.EINVALID},
			{"repeated value", c.ID, []panel.Quota{{Category: "a", Value: "b", Max: 1}, {Category: "a", Value: "b", Max: 1}}, panel.EINVALID},
			{"share above 1", c.ID, []panel.Quota{{Category: "a", Value: "b", Max: 1, Share: new(1.01)}}, panel.EINVALID},
			{"negative share", c.ID, []panel.Quota{{Category: "a", Value: "b", Max: 1, Share: new(-0.2)}}, panel.EINVALID},
			{"unknown campaign", c.ID + 100, second, panel.ENOTFOUND},
		}
		for _, tt := range tests {
			if err := s.SetQuotas(ctx, tt.campaignID, tt.qs); panel.ErrorCode(err) != tt.want {
				t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
			}
		}
		if got, _ := s.ListQuotas(ctx, c.ID); !reflect.DeepEqual(got, second) {
			t.Errorf("got %+v after rejected sets, want %+v unchanged", got, second)
		}
	})
}
