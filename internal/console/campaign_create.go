package console

import (
	"fmt"
	"net/http"

	"github.com/citizenspanel/panel/internal/console/form"
	"github.com/citizenspanel/panel/internal/panel"
)

// campaignCreate checks the form and saves the campaign, or shows the form
// again with the values kept and each problem next to its field. The
// "preview" button only shows the preview. A form posted twice saves once.
func (c *Console) campaignCreate(w http.ResponseWriter, r *http.Request) {
	if !c.readForm(w, r) {
		return
	}
	f := form.ReadCampaign(r.PostForm)
	d := campaignFormData{Form: f, Errors: f.Validate(), Action: "/campaigns/new"}
	if f.InvitationText != "" {
		p := c.makePreview(c.viewerFrom(r), f.Campaign(), 0)
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
	var failed error
	loc, _ := c.once.do("campaign/"+f.Nonce, c.now(), func() string {
		camp := f.Campaign()
		if err := c.invites.CheckTexts(camp); err != nil {
			failed = err
			return ""
		}
		if err := c.store.CreateCampaign(r.Context(), camp); err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d", camp.ID)
	})
	switch code := panel.ErrorCode(failed); code {
	case "":
		redirect(w, r, loc)
	case panel.EINVALID, panel.ECONFLICT:
		d.Problem = panel.ErrorMessage(failed)
		if code == panel.ECONFLICT {
			d.Errors["name"] = "form.name_taken"
			d.Problem = ""
		}
		c.showCampaignForm(w, r, http.StatusUnprocessableEntity, d)
	default:
		c.fail(w, r, failed)
	}
}
