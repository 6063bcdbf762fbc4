package panel

import (
	"context"
	"time"
)

// Campaign states.
const (
	CampaignDraft   = "draft"   // created; recipients may be imported
	CampaignSending = "sending" // invitations are being sent
	CampaignPaused  = "paused"  // sending paused by an organiser
	CampaignClosed  = "closed"  // recruitment closed; the pool may be frozen for a draw
)

// Campaign is one recruitment round: whom to invite, what to say, and how
// fast. Settings not given on creation take the documented defaults.
type Campaign struct {
	ID             int64             `json:"id"`
	Name           string            `json:"name"`
	InvitationText string            `json:"invitation_text"`
	Templates      map[string]string `json:"templates"`   // other message texts by kind; empty means built-in defaults
	SendRate       float64           `json:"send_rate"`   // messages per second; default 10
	QuietHours     string            `json:"quiet_hours"` // "HH:MM-HH:MM" in PANEL_TIMEZONE; default "20:00-08:00"; "" means none
	ReplyBy        string            `json:"reply_by"`    // last day to answer, "YYYY-MM-DD" in PANEL_TIMEZONE; fills {deadline}; "" means none
	// AgeBands are the bands a recipient's age or birth year is put into
	// to become a volunteer's age category (see ParseAgeBands), e.g.
	// ["18-29","30-44","45-59","60-74","75+"]; empty means
	// DefaultAgeBandLabels. Stored campaigns always show their bands.
	AgeBands  []string  `json:"age_bands"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Campaign defaults.
const (
	DefaultSendRate   = 10.0
	DefaultQuietHours = "20:00-08:00"
)

// CampaignFilter narrows CampaignService.ListCampaigns. Zero values mean
// "no limit" except Limit, which defaults to 100 and is capped at 1000.
type CampaignFilter struct {
	State  string
	Offset int
	Limit  int
}

// CampaignService stores campaigns.
type CampaignService interface {
	// CreateCampaign validates c, fills defaults, stores it and sets c.ID,
	// c.State, c.CreatedAt and c.UpdatedAt. Returns EINVALID naming the bad field.
	CreateCampaign(ctx context.Context, c *Campaign) error
	// FindCampaignByID returns ENOTFOUND if there is no such campaign.
	FindCampaignByID(ctx context.Context, id int64) (*Campaign, error)
	// ListCampaigns returns campaigns in ID order and the total count matching f.
	ListCampaigns(ctx context.Context, f CampaignFilter) ([]*Campaign, int, error)
}
