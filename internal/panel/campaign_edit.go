package panel

import "context"

// CampaignEditor changes a campaign's settings while it is a draft
// (before any invitation is queued).
type CampaignEditor interface {
	// UpdateDraftCampaign stores c's name, invitation text, send rate,
	// quiet hours, reply-by date and age bands (nil AgeBands keeps the
	// stored ones; an empty non-nil list means the default), and sets
	// c.UpdatedAt, c.State and c.AgeBands (as stored).
	// EINVALID naming the bad field; ENOTFOUND for an unknown campaign;
	// ECONFLICT when it is no longer a draft or the name is taken.
	UpdateDraftCampaign(ctx context.Context, c *Campaign) error
}
