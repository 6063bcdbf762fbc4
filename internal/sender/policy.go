package sender

import (
	"context"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
)

// CampaignPolicy returns a PolicyFunc that reads each campaign's send_rate
// and quiet_hours settings (burst 1).
func CampaignPolicy(campaigns panel.CampaignService) PolicyFunc {
	return func(ctx context.Context, campaignID int64) (Policy, error) {
		c, err := campaigns.FindCampaignByID(ctx, campaignID)
		if err != nil {
			return Policy{}, fmt.Errorf("campaign %d policy: %w", campaignID, err)
		}
		q, err := panel.ParseQuietHours(c.QuietHours)
		if err != nil {
			return Policy{}, fmt.Errorf("campaign %d policy: %w", campaignID, err)
		}
		return Policy{Rate: c.SendRate, Burst: 1, Quiet: q}, nil
	}
}
