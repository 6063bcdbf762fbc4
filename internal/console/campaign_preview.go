package console

import (
	"encoding/json"
	"net/http"

	"github.com/citizenspanel/panel/internal/console/form"
)

// campaignPreview answers the live preview of the form's invitation as
// JSON, for the script that updates it while the organiser types.
func (c *Console) campaignPreview(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := form.ReadCampaign(r.PostForm)
	p := c.makePreview(c.viewerFrom(r), f.Campaign(), 0)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(p)
}
