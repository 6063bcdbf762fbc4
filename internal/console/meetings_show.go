package console

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/locale"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
)

// meetingsPage is the meetings page's data.
type meetingsPage struct {
	Campaign *panel.Campaign
	Meetings []meetingRow
	Form     meetingForm
	Preview  *reminder.Preview // the new meeting's schedule, before it is saved
	Nonce    string
	Notice   string
	Error    string
	ErrorFor int64 // the meeting whose edit failed; 0 for the new one
}

// meetingRow is one meeting with its schedule, counts and absences.
type meetingRow struct {
	reminder.Summary
	Form     meetingForm
	Schedule []dueRow
	Absences []panel.AbsenceRow
	Past     bool // started: no more changes
}

// dueRow is one reminder of a saved meeting: when it goes and to how
// many confirmed members (counted now), or that its time has passed.
type dueRow struct {
	Kind    string
	At      time.Time
	Members int
	Gone    bool
}

// meetingForm is what the meeting form holds: the date and time on
// PANEL_TIMEZONE's wall clock.
type meetingForm struct {
	Title, Date, Time, Place string
	SendOverdue              bool
}

// meetingFieldsView is what the meeting_fields template gets.
type meetingFieldsView struct {
	L  locale.Printer
	ID string // tells the fields of several forms apart
	F  meetingForm
}

func init() {
	funcs["meetingFields"] = func(v view, id string, f meetingForm) meetingFieldsView {
		return meetingFieldsView{L: v.L, ID: id, F: f}
	}
}

// formOf fills a form from a meeting.
func (c *Console) formOf(m *panel.Meeting) meetingForm {
	t := m.StartsAt.In(c.loc)
	return meetingForm{Title: m.Title, Date: t.Format("2006-01-02"), Time: t.Format("15:04"), Place: m.Place}
}

// readMeetingForm reads the posted form. The error is a sentence in the
// viewer's language naming the field at fault.
func (c *Console) readMeetingForm(r *http.Request, v viewer) (meetingForm, time.Time, string) {
	f := meetingForm{Title: strings.TrimSpace(r.PostForm.Get("title")), Date: strings.TrimSpace(r.PostForm.Get("date")),
		Time: strings.TrimSpace(r.PostForm.Get("time")), Place: strings.TrimSpace(r.PostForm.Get("place")),
		SendOverdue: r.PostForm.Get("send_overdue") != ""}
	if f.Title == "" {
		return f, time.Time{}, v.L.T("meetings.error_title")
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", f.Date+" "+f.Time, c.loc)
	if err != nil {
		return f, time.Time{}, v.L.T("meetings.error_when")
	}
	if !at.After(c.now()) {
		return f, time.Time{}, v.L.T("meetings.error_past")
	}
	return f, at, ""
}

// meetingsShow is GET /campaigns/{id}/meetings.
func (c *Console) meetingsShow(w http.ResponseWriter, r *http.Request) {
	p, ok := c.meetingsPageFor(w, r)
	if !ok {
		return
	}
	v := c.viewerFrom(r)
	if n := r.URL.Query().Get("notice"); n != "" && v.L.Has("meetings.notice_"+n) {
		p.Notice = v.L.T("meetings.notice_" + n)
	}
	c.showMeetings(w, r, http.StatusOK, p)
}

func (c *Console) showMeetings(w http.ResponseWriter, r *http.Request, status int, p *meetingsPage) {
	v := c.viewerFrom(r)
	c.render(w, r, status, "meetings", v.L.T("meetings.title", p.Campaign.Name), "meetings", p)
}

// meetingsPageFor loads the campaign's meetings with their schedules,
// counts and reported absences (reasons for organisers only).
func (c *Console) meetingsPageFor(w http.ResponseWriter, r *http.Request) (*meetingsPage, bool) {
	ctx := r.Context()
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return nil, false
	}
	camp, err := c.store.FindCampaignByID(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	list, err := c.meet.store.ListMeetings(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	sums, err := reminder.Summaries(ctx, c.meet.store, list)
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	rs, err := c.meet.store.ReminderSettings(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	absences, err := c.meet.store.ExportAbsences(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	confirmed, _, err := c.meet.store.RemindableMembers(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	personal := c.viewerFrom(r).SeesPhones()
	now := c.now()
	p := &meetingsPage{Campaign: camp, Nonce: c.nonce(), Meetings: make([]meetingRow, len(sums))}
	for i, s := range sums {
		row := meetingRow{Summary: s, Form: c.formOf(s.Meeting), Past: !s.StartsAt.After(now)}
		for _, d := range reminder.DueTimes(s.Meeting, rs.Policy, rs.QuietHours, c.loc) {
			row.Schedule = append(row.Schedule, dueRow{Kind: d.Kind, At: d.At, Members: confirmed, Gone: !d.At.After(now)})
		}
		for _, a := range absences {
			if a.MeetingID == s.ID {
				if !personal {
					a.Reason = ""
				}
				a.Phone = ""
				row.Absences = append(row.Absences, a)
			}
		}
		p.Meetings[i] = row
	}
	return p, true
}

// meetingOf reads {mid} and returns the meeting when it is the
// campaign's.
func (c *Console) meetingOf(w http.ResponseWriter, r *http.Request, campaignID int64) (*panel.Meeting, bool) {
	mid, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	if err != nil || mid <= 0 {
		c.notFound(w, r)
		return nil, false
	}
	m, err := c.meet.store.FindMeeting(r.Context(), mid)
	if err == nil && m.CampaignID != campaignID {
		err = panel.Errorf(panel.ENOTFOUND, "meeting %d is not campaign %d's", mid, campaignID)
	}
	if err != nil {
		c.fail(w, r, err)
		return nil, false
	}
	return m, true
}
