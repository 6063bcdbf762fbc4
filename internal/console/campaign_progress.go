package console

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/citizenspanel/panel/internal/panel"
)

// campaignProgress answers the overview's live numbers as JSON. It costs
// the database one grouped count over the campaign's invitations (an
// index range), so many open browsers polling it stay cheap. The rate is
// the ?rate the page was rendered with, not read again.
func (c *Console) campaignProgress(w http.ResponseWriter, r *http.Request) {
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	byState, err := c.store.CountMessagesByState(r.Context(), id, panel.KindInvitation)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	rate := 0.0
	if q := r.URL.Query().Get("rate"); q != "" {
		if f, err := strconv.ParseFloat(q, 64); err == nil && f > 0 && f <= 100 {
			rate = f
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(progressFrom(byState, rate))
}
