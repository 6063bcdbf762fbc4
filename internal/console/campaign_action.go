package console

import (
	"fmt"
	"net/http"

	"github.com/citizenspanel/panel/internal/panel"
)

// Actions of the campaign overview beyond sending: they cannot be undone,
// so each asks for the ticked confirmation box.
const (
	actionClose = "close" // end recruitment (CampaignService.CloseCampaign)
	actionPurge = "purge" // delete everyone's personal data (PurgeService.PurgeCampaign)
)

// campaignAction starts, pauses or resumes sending, through the same
// invitation service as the API, or closes the campaign or purges its
// personal data as the admin API does. A form posted twice acts once.
func (c *Console) campaignAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	action := r.PathValue("action")
	switch action {
	case panel.ActionSend, panel.ActionPause, panel.ActionResume, actionClose, actionPurge:
	default:
		c.notFound(w, r)
		return
	}
	if !c.readForm(w, r) {
		return
	}
	if action == actionClose || action == actionPurge {
		if refused := c.refuseFinal(r, id, action); refused != "" {
			v := c.viewerFrom(r)
			c.renderError(w, r, v, http.StatusUnprocessableEntity, refused)
			return
		}
	}
	var failed error
	loc, repeated := c.once.do(action+"/"+r.PostForm.Get("nonce"), c.now(), func() string {
		var err error
		switch action {
		case panel.ActionSend:
			_, err = c.invites.Send(ctx, id)
		case panel.ActionPause:
			_, err = c.invites.Pause(ctx, id)
		case actionClose:
			_, err = c.store.CloseCampaign(ctx, id)
		case actionPurge:
			_, err = c.store.PurgeCampaign(ctx, id)
		default:
			_, err = c.invites.Resume(ctx, id)
		}
		if err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d?notice=%s", id, action)
	})
	if panel.ErrorCode(failed) == panel.ECONFLICT && action == actionPurge {
		// A meeting is still to come: the store's reason names it.
		v := c.viewerFrom(r)
		c.renderError(w, r, v, http.StatusConflict, v.L.T("error.purge_not_ended"))
		return
	}
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

// refuseFinal returns why a close or purge form is refused before
// anything is done, in the viewer's language, or "" when it may go ahead:
// the "I understand" box must be ticked, and only a closed campaign may
// be purged (the console never purges a campaign still recruiting).
func (c *Console) refuseFinal(r *http.Request, id int64, action string) string {
	v := c.viewerFrom(r)
	if !confirmed(r) {
		return v.L.T("campaign.confirm_needed")
	}
	if action != actionPurge {
		return ""
	}
	camp, err := c.store.FindCampaignByID(r.Context(), id)
	if err != nil || camp.State == panel.CampaignClosed || camp.State == panel.CampaignPurged {
		return "" // not found, or already purged: the action itself answers
	}
	return v.L.T("campaign.purge_before_close", v.L.T("state."+camp.State))
}
