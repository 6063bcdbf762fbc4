package console

import (
	"net/http"

	"github.com/citizenspanel/panel/internal/console/form"
)

// campaignFormData is the new-campaign page's data.
type campaignFormData struct {
	Form    form.Campaign
	Errors  form.Errors // field → catalogue key
	Problem string      // a sentence from the domain (e.g. a text too long)
	Preview *preview
	// Action is where the form posts: /campaigns/new, or the campaign's
	// edit page.
	Action string
	// Editing is true on the edit page of a draft.
	Editing bool
}

// campaignNew shows the empty new-campaign form.
func (c *Console) campaignNew(w http.ResponseWriter, r *http.Request) {
	f := form.NewCampaign()
	f.Nonce = c.nonce()
	c.showCampaignForm(w, r, http.StatusOK, campaignFormData{Form: f, Errors: form.Errors{}, Action: "/campaigns/new"})
}

func (c *Console) showCampaignForm(w http.ResponseWriter, r *http.Request, status int, d campaignFormData) {
	v := c.viewerFrom(r)
	title, nav := v.L.T("campaign_new.title"), "new"
	if d.Editing {
		title, nav = v.L.T("campaign_edit.title", d.Form.Name), "campaigns"
	}
	c.render(w, r, status, "campaign_new", title, nav, d)
}
