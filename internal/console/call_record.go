package console

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/citizenspanel/panel/internal/panel"
)

// callRecord is POST /campaigns/{id}/members/{member}/call: one call
// outcome with support needs. A decline gives the seat to a reserve, and
// the page says who. Posted twice, it records once.
func (c *Console) callRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	v := c.viewerFrom(r)
	member := r.PathValue("member")
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.renderError(w, r, v, http.StatusBadRequest, v.L.T("error.bad_form"))
		return
	}
	in := panel.CallInput{Outcome: r.PostForm.Get("outcome"), SupportNeeds: r.PostForm.Get("support_needs"),
		SupportTags: r.PostForm["tag"]}
	if _, err := in.Normalize(); err != nil {
		c.showMembers(w, r, http.StatusUnprocessableEntity, callError(v, in), member)
		return
	}
	var failed error
	loc, _ := c.once.do("call/"+r.PostForm.Get("nonce"), c.now(), func() string {
		res, err := c.members.RecordCall(r.Context(), id, member, in)
		if err != nil {
			failed = err
			return ""
		}
		q := url.Values{"member": {member}, "notice": {"recorded"}}
		// A seat to fill: a member drawn onto the panel, or a reserve who
		// had stepped in.
		if in.Outcome == panel.CallDeclined && (res.Member.Role == panel.RoleSelected || res.Member.Replaces != "") {
			q.Set("notice", "declined")
			if res.Replacement != "" {
				q.Set("notice", "replaced")
				q.Set("by", res.Replacement)
			}
		}
		return fmt.Sprintf("/campaigns/%d/members?%s#m-%s", id, q.Encode(), member)
	})
	switch code := panel.ErrorCode(failed); {
	case failed == nil:
		redirect(w, r, loc)
	case code == panel.ECONFLICT:
		c.showMembers(w, r, http.StatusConflict, v.L.T("members.error_state", member), member)
	default:
		c.fail(w, r, failed)
	}
}

// callError names what is wrong with a call form, in the viewer's
// language.
func callError(v viewer, in panel.CallInput) string {
	n := panel.CallInput{Outcome: in.Outcome}
	if _, err := n.Normalize(); err != nil {
		return v.L.T("members.error_outcome")
	}
	n.SupportNeeds = in.SupportNeeds
	if _, err := n.Normalize(); err != nil {
		return v.L.T("members.error_needs", panel.MaxSupportNeedsLength)
	}
	return v.L.T("members.error_tag")
}
