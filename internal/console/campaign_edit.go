package console

import (
	"fmt"
	"net/http"

	"github.com/citizenspanel/panel/internal/console/form"
	"github.com/citizenspanel/panel/internal/panel"
)

// draftFor loads the campaign of the path for editing: a draft, with its
// recipient count for the preview. Anything else is answered here.
func (c *Console) draftFor(w http.ResponseWriter, r *http.Request) (*panel.Campaign, int, bool) {
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return nil, 0, false
	}
	camp, err := c.store.FindCampaignByID(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return nil, 0, false
	}
	if camp.State != panel.CampaignDraft {
		c.fail(w, r, panel.Errorf(panel.ECONFLICT, "%s", c.viewerFrom(r).L.T("campaign_edit.not_draft")))
		return nil, 0, false
	}
	stats, err := c.invites.Stats(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return nil, 0, false
	}
	return camp, stats.Recipients, true
}

// campaignEdit shows a draft's settings in the campaign form.
func (c *Console) campaignEdit(w http.ResponseWriter, r *http.Request) {
	camp, recipients, ok := c.draftFor(w, r)
	if !ok {
		return
	}
	p := c.makePreview(c.viewerFrom(r), camp, recipients)
	c.showCampaignForm(w, r, http.StatusOK, campaignFormData{
		Form: form.FromCampaign(camp), Errors: form.Errors{}, Preview: &p,
		Action: fmt.Sprintf("/campaigns/%d/edit", camp.ID), Editing: true,
	})
}

// campaignUpdate saves a draft's new settings, or shows the form again
// with each problem by its field. Saving the same values twice is
// harmless, so no once-only token is needed.
func (c *Console) campaignUpdate(w http.ResponseWriter, r *http.Request) {
	camp, recipients, ok := c.draftFor(w, r)
	if !ok {
		return
	}
	if !c.readForm(w, r) {
		return
	}
	f := form.ReadCampaign(r.PostForm)
	d := campaignFormData{Form: f, Errors: f.Validate(), Action: fmt.Sprintf("/campaigns/%d/edit", camp.ID), Editing: true}
	edited := f.Campaign()
	edited.ID, edited.Templates = camp.ID, camp.Templates
	if f.InvitationText != "" {
		p := c.makePreview(c.viewerFrom(r), edited, recipients)
		d.Preview = &p
	}
	if r.PostForm.Get("action") == "preview" {
		c.showCampaignForm(w, r, http.StatusOK, d)
		return
	}
	if len(d.Errors) > 0 {
		c.showCampaignForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	err := c.invites.CheckTexts(edited)
	if err == nil {
		err = c.store.UpdateDraftCampaign(r.Context(), edited)
	}
	switch panel.ErrorCode(err) {
	case "":
		redirect(w, r, fmt.Sprintf("/campaigns/%d?notice=updated", camp.ID))
	case panel.EINVALID:
		d.Problem = panel.ErrorMessage(err)
		c.showCampaignForm(w, r, http.StatusUnprocessableEntity, d)
	case panel.ECONFLICT:
		if cur, ferr := c.store.FindCampaignByID(r.Context(), camp.ID); ferr == nil && cur.State == panel.CampaignDraft {
			d.Errors["name"] = "form.name_taken"
		} else {
			d.Problem = panel.ErrorMessage(err)
		}
		c.showCampaignForm(w, r, http.StatusUnprocessableEntity, d)
	default:
		c.fail(w, r, err)
	}
}
