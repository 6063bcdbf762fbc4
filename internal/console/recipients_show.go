package console

import (
	"net/http"

	"github.com/citizenspanel/panel/internal/panel"
)

// recipientsPage is the import page's data: the upload form, and after an
// upload the preview of what would be imported.
type recipientsPage struct {
	Campaign *panel.Campaign
	Existing int // recipients the campaign has already
	Error    string
	Preview  *importPreview
	Result   *panel.ImportResult
}

// recipientsShow shows the upload form.
func (c *Console) recipientsShow(w http.ResponseWriter, r *http.Request) {
	d, ok := c.recipientsPageFor(w, r)
	if !ok {
		return
	}
	c.showRecipients(w, r, http.StatusOK, d)
}

func (c *Console) recipientsPageFor(w http.ResponseWriter, r *http.Request) (recipientsPage, bool) {
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return recipientsPage{}, false
	}
	camp, err := c.store.FindCampaignByID(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return recipientsPage{}, false
	}
	stats, err := c.invites.Stats(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return recipientsPage{}, false
	}
	return recipientsPage{Campaign: camp, Existing: stats.Recipients}, true
}

func (c *Console) showRecipients(w http.ResponseWriter, r *http.Request, status int, d recipientsPage) {
	v := c.viewerFrom(r)
	c.render(w, r, status, "recipients", v.L.T("recipients.title", d.Campaign.Name), "campaigns", d)
}
