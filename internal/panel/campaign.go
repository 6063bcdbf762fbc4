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
	// CampaignPurged is how a campaign whose personal data was purged is
	// shown: closed for good, nothing to send, nobody to reach.
	CampaignPurged = "purged"
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
	AgeBands  []string   `json:"age_bands"`
	State     string     `json:"state"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	PurgedAt  *time.Time `json:"purged_at,omitempty"` // when everyone's personal data was purged; State is then CampaignPurged
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
	// UpdateCampaign applies ch to the campaign and returns it as stored,
	// with a "campaign.updated" audit event naming the fields changed.
	// EINVALID naming the bad field or an empty change; ENOTFOUND;
	// ECONFLICT when ch changes texts of a campaign that is no longer a
	// draft, or anything of a purged campaign.
	UpdateCampaign(ctx context.Context, id int64, ch CampaignChange) (*Campaign, error)
	// CloseCampaign ends recruitment: the campaign becomes closed, its
	// queued invitations are cancelled, and it may be purged once no
	// meeting is to come. ENOTFOUND; ECONFLICT when it is closed or purged
	// already.
	CloseCampaign(ctx context.Context, id int64) (*Campaign, error)
}

// CampaignChange is an edit of a campaign: nil fields stay as they are.
// The texts (name, invitation_text, templates, reply_by) and the age bands
// may change only while the campaign is a draft, since invitations may
// already carry the texts and volunteers their age band; send_rate and
// quiet_hours may change at any time until it is purged.
type CampaignChange struct {
	Name           *string            `json:"name"`
	InvitationText *string            `json:"invitation_text"`
	Templates      *map[string]string `json:"templates"`
	ReplyBy        *string            `json:"reply_by"`
	SendRate       *float64           `json:"send_rate"`
	QuietHours     *string            `json:"quiet_hours"`
	// AgeBands replaces the campaign's age bands (see ParseAgeBands); an
	// empty list means DefaultAgeBandLabels.
	AgeBands *[]string `json:"age_bands"`
}

// Fields names the fields ch sets, in JSON spelling.
func (ch CampaignChange) Fields() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"name", ch.Name != nil}, {"invitation_text", ch.InvitationText != nil}, {"templates", ch.Templates != nil},
		{"reply_by", ch.ReplyBy != nil}, {"send_rate", ch.SendRate != nil}, {"quiet_hours", ch.QuietHours != nil},
		{"age_bands", ch.AgeBands != nil},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// draftOnly reports whether ch changes what may change only while the
// campaign is a draft: what messages say, or the age bands.
func (ch CampaignChange) draftOnly() bool {
	return ch.Name != nil || ch.InvitationText != nil || ch.Templates != nil || ch.ReplyBy != nil || ch.AgeBands != nil
}

// Apply returns a copy of c with ch applied and validated. EINVALID for an
// empty change or a bad value (naming the field); ECONFLICT when ch
// changes the texts or age bands of a campaign that is not a draft, or
// anything of a purged one. New age bands are shown as stored: labels as
// ParseAgeBands writes them, DefaultAgeBandLabels for an empty list.
func (ch CampaignChange) Apply(c *Campaign) (*Campaign, error) {
	if len(ch.Fields()) == 0 {
		return nil, Errorf(EINVALID, "give at least one of name, invitation_text, templates, reply_by, age_bands, send_rate, quiet_hours")
	}
	switch {
	case c.State == CampaignPurged:
		return nil, Errorf(ECONFLICT, "campaign %d is purged; it cannot be changed", c.ID)
	case ch.draftOnly() && c.State != CampaignDraft:
		return nil, Errorf(ECONFLICT, "campaign %d is %s: name, invitation_text, templates, reply_by and age_bands can change only while it is a draft; send_rate and quiet_hours can change at any time", c.ID, c.State)
	}
	out := *c
	out.Templates = make(map[string]string, len(c.Templates))
	for k, v := range c.Templates {
		out.Templates[k] = v
	}
	if ch.Name != nil {
		out.Name = *ch.Name
	}
	if ch.InvitationText != nil {
		out.InvitationText = *ch.InvitationText
	}
	if ch.Templates != nil {
		out.Templates = map[string]string{}
		for k, v := range *ch.Templates {
			out.Templates[k] = v
		}
	}
	if ch.ReplyBy != nil {
		out.ReplyBy = *ch.ReplyBy
	}
	if ch.SendRate != nil {
		out.SendRate = *ch.SendRate
	}
	if ch.QuietHours != nil {
		out.QuietHours = *ch.QuietHours
	}
	if ch.AgeBands != nil {
		out.AgeBands = DefaultAgeBandLabels()
		if len(*ch.AgeBands) > 0 {
			bands, err := ParseAgeBands(*ch.AgeBands)
			if err != nil {
				return nil, err
			}
			out.AgeBands = AgeBandLabels(bands)
		}
	}
	state := out.State
	out.State = "" // Validate knows the stored states, not how one is shown
	if err := out.Validate(); err != nil {
		return nil, err
	}
	out.State = state
	return &out, nil
}
