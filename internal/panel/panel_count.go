package panel

import "context"

// PanelCounts are how many current members of a campaign's drawn panel
// have each category value, by category, then value.
type PanelCounts map[string]map[string]int

// PanelCounter counts a drawn panel for the pool-against-quotas view.
type PanelCounter interface {
	// PanelCounts counts the current members (selected or confirmed, the
	// reserves who stepped in included) of the campaign's seeded draw per
	// category value. It returns nil when the campaign has no seeded draw.
	PanelCounts(ctx context.Context, campaignID int64) (PanelCounts, error)
}
