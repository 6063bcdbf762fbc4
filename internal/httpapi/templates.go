package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/templates"
)

// templateList is the answer of GET /api/v1/templates.
type templateList struct {
	Templates []templates.Entry `json:"templates"`
}

// effectiveTemplates is the answer of GET /api/v1/campaigns/{id}/templates.
type effectiveTemplates struct {
	CampaignID int64                 `json:"campaign_id"`
	Templates  []templates.Effective `json:"templates"`
}

// listTemplates lists every template key with its default texts and
// placeholders.
func (s *Server) listTemplates(c *gin.Context) error {
	if err := noQuery(c.Request); err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, templateList{Templates: templates.Catalogue()})
	return nil
}

// campaignTemplates lists the templates a campaign sends: its own text or
// the default, per key.
func (s *Server) campaignTemplates(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	camp, err := s.campaigns.FindCampaignByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, effectiveTemplates{CampaignID: camp.ID, Templates: templates.EffectiveFor(camp.Templates)})
	return nil
}
