package console

import (
	"fmt"
	"net/http"

	"github.com/citizenspanel/panel/internal/panel"
)

// meetingsCreate is POST /campaigns/{id}/meetings. With step=preview it
// shows when each reminder would go and to how many, and the overdue ones
// with a box to tick to send them; nothing is stored. With step=save it
// creates the meeting, sending overdue reminders only when ticked. Posted
// twice, it creates once.
func (c *Console) meetingsCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := c.meetingsPageFor(w, r)
	if !ok {
		return
	}
	v := c.viewerFrom(r)
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.renderError(w, r, v, http.StatusBadRequest, v.L.T("error.bad_form"))
		return
	}
	f, at, msg := c.readMeetingForm(r, v)
	p.Form = f
	if msg != "" {
		p.Error = msg
		c.showMeetings(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	m := &panel.Meeting{CampaignID: p.Campaign.ID, Title: f.Title, StartsAt: at, Place: f.Place}
	ctx := r.Context()
	if r.PostForm.Get("step") != "save" {
		pre, err := c.meet.scheduler.PreviewMeeting(ctx, c.meet.store, m, f.SendOverdue)
		if c.meetingFailed(w, r, p, 0, err) {
			return
		}
		p.Preview = &pre
		c.showMeetings(w, r, http.StatusOK, p)
		return
	}
	var failed error
	loc, _ := c.once.do("meeting/"+r.PostForm.Get("nonce"), c.now(), func() string {
		if _, err := c.meet.scheduler.CreateMeeting(ctx, c.meet.store, m, f.SendOverdue); err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d/meetings?notice=created", p.Campaign.ID)
	})
	if c.meetingFailed(w, r, p, 0, failed) {
		return
	}
	redirect(w, r, loc)
}

// meetingsUpdate is POST /campaigns/{id}/meetings/{mid}/edit: a new time,
// title or place. Members already reminded get one notice of the change.
func (c *Console) meetingsUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := c.meetingsPageFor(w, r)
	if !ok {
		return
	}
	m, ok := c.meetingOf(w, r, p.Campaign.ID)
	if !ok {
		return
	}
	v := c.viewerFrom(r)
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.renderError(w, r, v, http.StatusBadRequest, v.L.T("error.bad_form"))
		return
	}
	f, at, msg := c.readMeetingForm(r, v)
	for i := range p.Meetings {
		if p.Meetings[i].ID == m.ID {
			p.Meetings[i].Form = f
		}
	}
	if msg != "" {
		p.Error, p.ErrorFor = msg, m.ID
		c.showMeetings(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	_, err := c.meet.store.UpdateMeeting(r.Context(), m.ID, panel.MeetingUpdate{Title: &f.Title, StartsAt: &at, Place: &f.Place})
	if c.meetingFailed(w, r, p, m.ID, err) {
		return
	}
	redirect(w, r, fmt.Sprintf("/campaigns/%d/meetings?notice=updated", p.Campaign.ID))
}

// meetingsCancel is POST /campaigns/{id}/meetings/{mid}/cancel. Members
// already reminded get one cancellation notice.
func (c *Console) meetingsCancel(w http.ResponseWriter, r *http.Request) {
	p, ok := c.meetingsPageFor(w, r)
	if !ok {
		return
	}
	m, ok := c.meetingOf(w, r, p.Campaign.ID)
	if !ok {
		return
	}
	_, err := c.meet.store.CancelMeeting(r.Context(), m.ID)
	if c.meetingFailed(w, r, p, m.ID, err) {
		return
	}
	redirect(w, r, fmt.Sprintf("/campaigns/%d/meetings?notice=cancelled", p.Campaign.ID))
}

// meetingFailed shows err on the meetings page and reports whether there
// was one: a conflict (started or cancelled) or a bad field in the
// viewer's language where it can.
func (c *Console) meetingFailed(w http.ResponseWriter, r *http.Request, p *meetingsPage, mid int64, err error) bool {
	if err == nil {
		return false
	}
	v := c.viewerFrom(r)
	switch panel.ErrorCode(err) {
	case panel.ECONFLICT:
		p.Error, p.ErrorFor = v.L.T("meetings.error_conflict"), mid
		c.showMeetings(w, r, http.StatusConflict, p)
	case panel.EINVALID:
		p.Error, p.ErrorFor = v.L.T("meetings.error_invalid", panel.ErrorMessage(err)), mid
		c.showMeetings(w, r, http.StatusUnprocessableEntity, p)
	default:
		c.fail(w, r, err)
	}
	return true
}
