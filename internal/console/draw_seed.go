package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// maxSeedBytes is the longest seed the draw service takes.
const maxSeedBytes = 1000

// drawSeed enters the seed of a committed draw: the panel and reserves
// are fixed by it. It cannot be undone, so the confirmation box must be
// ticked.
func (c *Console) drawSeed(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	id, d, err := c.campaignDraw(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !c.readForm(w, r) {
		return
	}
	seed := strings.TrimSpace(r.PostForm.Get("seed"))
	msg := ""
	switch {
	case seed == "":
		msg = v.L.T("draw.seed_empty")
	case len(seed) > maxSeedBytes:
		msg = v.L.T("draw.seed_long", maxSeedBytes)
	case !confirmed(r):
		msg = v.L.T("draw.confirm_needed")
	}
	if msg != "" {
		c.drawAgain(w, r, http.StatusUnprocessableEntity, seed, msg)
		return
	}
	var failed error
	loc, repeated := c.once.do("seed/"+r.PostForm.Get("nonce"), c.now(), func() string {
		if _, err := c.draws.Seed(r.Context(), d.ID, seed); err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d/draws/%d?notice=seeded", id, d.ID)
	})
	if panel.ErrorCode(failed) == panel.ECONFLICT {
		c.drawAgain(w, r, http.StatusConflict, seed, v.L.T("draw.seed_state", v.L.T("draw.state_"+d.State)))
		return
	}
	if failed != nil {
		c.fail(w, r, failed)
		return
	}
	if repeated {
		loc = fmt.Sprintf("/campaigns/%d/draws/%d?notice=repeated", id, d.ID)
	}
	redirect(w, r, loc)
}

// drawNotify sends the draw's SMS (selected, reserve, not selected)
// through the outbox, once. It cannot be undone, so the confirmation box
// must be ticked.
func (c *Console) drawNotify(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	id, d, err := c.campaignDraw(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !c.readForm(w, r) {
		return
	}
	if !confirmed(r) {
		c.drawAgain(w, r, http.StatusUnprocessableEntity, "", v.L.T("draw.confirm_needed"))
		return
	}
	var failed error
	loc, repeated := c.once.do("notify/"+r.PostForm.Get("nonce"), c.now(), func() string {
		if _, err := c.draws.Notify(r.Context(), d.ID); err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d/draws/%d?notice=notified", id, d.ID)
	})
	if panel.ErrorCode(failed) == panel.ECONFLICT {
		c.drawAgain(w, r, http.StatusConflict, "", v.L.T("draw.notify_state", v.L.T("draw.state_"+d.State)))
		return
	}
	if failed != nil {
		c.fail(w, r, failed)
		return
	}
	if repeated {
		loc = fmt.Sprintf("/campaigns/%d/draws/%d?notice=repeated", id, d.ID)
	}
	redirect(w, r, loc)
}

// drawAgain shows the draw page again with msg and the seed as typed.
func (c *Console) drawAgain(w http.ResponseWriter, r *http.Request, status int, seed, msg string) {
	v := c.viewerFrom(r)
	p, err := c.drawData(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Seed, p.Error = seed, msg
	c.render(w, r, status, "draw", v.L.T("draw.title", p.Draw.ID, p.Campaign.Name), "campaigns", p)
}
