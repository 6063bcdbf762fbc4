package console

import (
	"net/http"

	"github.com/citizenspanel/panel/internal/panel"
)

// campaignList shows every campaign, newest first.
func (c *Console) campaignList(w http.ResponseWriter, r *http.Request) {
	list, _, err := c.store.ListCampaigns(r.Context(), panel.CampaignFilter{Limit: 1000})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	v := c.viewerFrom(r)
	c.render(w, r, http.StatusOK, "campaigns", v.L.T("campaigns.title"), "campaigns", list)
}
