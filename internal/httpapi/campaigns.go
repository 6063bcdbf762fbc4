package httpapi

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// createCampaignRequest is the body of POST /api/v1/campaigns. Pointers
// tell "absent" (take the default) from an explicit value: quiet_hours ""
// turns quiet hours off, while an absent quiet_hours means the default.
type createCampaignRequest struct {
	Name           string            `json:"name"`
	InvitationText string            `json:"invitation_text"`
	Templates      map[string]string `json:"templates"`
	SendRate       *float64          `json:"send_rate"`
	QuietHours     *string           `json:"quiet_hours"`
	ReplyBy        string            `json:"reply_by"`
	AgeBands       []string          `json:"age_bands"`
}

// campaign turns the request into a panel.Campaign that starts from
// panel.NewCampaign, so absent settings keep their defaults. Content is
// checked by the service (panel.Campaign.Validate).
func (r createCampaignRequest) campaign() *panel.Campaign {
	c := panel.NewCampaign()
	c.Name, c.InvitationText, c.ReplyBy, c.AgeBands = r.Name, r.InvitationText, r.ReplyBy, r.AgeBands
	if r.Templates != nil {
		c.Templates = r.Templates
	}
	if r.SendRate != nil {
		c.SendRate = *r.SendRate
	}
	if r.QuietHours != nil {
		c.QuietHours = *r.QuietHours
	}
	return c
}

// createCampaign stores a new campaign; the store records it in the audit
// log in the same transaction, under the caller's name.
func (s *Server) createCampaign(c *gin.Context) error {
	ctx := c.Request.Context()
	var req createCampaignRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	camp := req.campaign()
	if err := s.invitations.CheckTexts(camp); err != nil {
		return err
	}
	if err := s.campaigns.CreateCampaign(ctx, camp); err != nil {
		return err
	}
	c.Header("Location", fmt.Sprintf("/api/v1/campaigns/%d", camp.ID))
	s.writeJSON(c, http.StatusCreated, s.withWarnings(camp))
	return nil
}

// campaignWithWarnings is the answer of a call that creates or changes a
// campaign: the campaign as stored, and what in it is allowed but most
// likely a mistake (absent when nothing is).
type campaignWithWarnings struct {
	*panel.Campaign
	Warnings []string `json:"warnings,omitempty"`
}

// withWarnings adds the campaign's warnings, judged on today's date in
// PANEL_TIMEZONE. Every call that creates or edits a campaign answers
// with it.
func (s *Server) withWarnings(camp *panel.Campaign) campaignWithWarnings {
	return campaignWithWarnings{Campaign: camp, Warnings: s.invitations.CampaignWarnings(camp, s.now().In(s.location()))}
}

// campaignList is the answer of GET /api/v1/campaigns.
type campaignList struct {
	Campaigns []*panel.Campaign `json:"campaigns"`
	Total     int               `json:"total"`
	Limit     int               `json:"limit"`
	Offset    int               `json:"offset"`
}

// listCampaigns answers a page of campaigns (?limit=1..1000, default 100;
// ?offset; ?state).
func (s *Server) listCampaigns(c *gin.Context) error {
	pg, err := parsePage(c.Request, panel.CampaignDraft, panel.CampaignSending, panel.CampaignPaused, panel.CampaignClosed, panel.CampaignPurged)
	if err != nil {
		return err
	}
	list, total, err := s.campaigns.ListCampaigns(c.Request.Context(), panel.CampaignFilter{State: pg.state, Offset: pg.offset, Limit: pg.limit})
	if err != nil {
		return err
	}
	if list == nil {
		list = []*panel.Campaign{}
	}
	s.writeJSON(c, http.StatusOK, campaignList{Campaigns: list, Total: total, Limit: pg.limit, Offset: pg.offset})
	return nil
}

// getCampaign answers one campaign.
func (s *Server) getCampaign(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	camp, err := s.campaigns.FindCampaignByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, camp)
	return nil
}

// updateCampaign edits a campaign (PATCH): texts and templates while it is
// a draft, send_rate and quiet_hours at any time. Changed texts are
// checked as a new campaign's are.
func (s *Server) updateCampaign(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	var ch panel.CampaignChange
	if err := decodeJSON(c.Request, &ch); err != nil {
		return err
	}
	ctx := c.Request.Context()
	cur, err := s.campaigns.FindCampaignByID(ctx, id)
	if err != nil {
		return err
	}
	next, err := ch.Apply(cur)
	if err != nil {
		return err
	}
	if err := s.invitations.CheckTexts(next); err != nil {
		return err
	}
	camp, err := s.campaigns.UpdateCampaign(ctx, id, ch)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, s.withWarnings(camp))
	return nil
}

// closeCampaign ends recruitment; the campaign may be purged once no
// meeting is to come.
func (s *Server) closeCampaign(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	camp, err := s.campaigns.CloseCampaign(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, camp)
	return nil
}
