package console

import (
	"fmt"
	"net/http"

	"github.com/citizenspanel/panel/internal/panel"
)

// campaignAction starts, pauses or resumes sending, through the same
// invitation service as the API. A form posted twice acts once.
func (c *Console) campaignAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	action := r.PathValue("action")
	if action != panel.ActionSend && action != panel.ActionPause && action != panel.ActionResume {
		c.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, panel.Errorf(panel.EINVALID, "%s", c.viewerFrom(r).L.T("error.bad_form")))
		return
	}
	var failed error
	loc, repeated := c.once.do(action+"/"+r.PostForm.Get("nonce"), c.now(), func() string {
		var err error
		switch action {
		case panel.ActionSend:
			_, err = c.invites.Send(ctx, id)
		case panel.ActionPause:
			_, err = c.invites.Pause(ctx, id)
		default:
			_, err = c.invites.Resume(ctx, id)
		}
		if err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d?notice=%s", id, action)
	})
	if panel.ErrorCode(failed) == panel.ECONFLICT {
		// The state allows no such action: say so in the viewer's language.
		v := c.viewerFrom(r)
		if camp, err := c.store.FindCampaignByID(ctx, id); err == nil {
			c.renderError(w, r, v, http.StatusConflict, v.L.T("error.action_state", v.L.T("action."+action), v.L.T("state."+camp.State)))
			return
		}
	}
	if failed != nil {
		c.fail(w, r, failed)
		return
	}
	if repeated {
		loc = fmt.Sprintf("/campaigns/%d?notice=repeated", id)
	}
	redirect(w, r, loc)
}
