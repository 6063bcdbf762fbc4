package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
)

// MeetingStore is what the meeting and reminder-policy routes read and
// write.
type MeetingStore interface {
	panel.MeetingService
	panel.ReminderStore
	panel.ReminderPolicyService
	panel.MeetingScheduling
	// ExportAbsences lists the campaign's absences with who reported them.
	ExportAbsences(ctx context.Context, campaignID int64) ([]panel.AbsenceRow, error)
}

// MeetingDeps are the dependencies of the meeting routes.
type MeetingDeps struct {
	Store MeetingStore
	// Location is PANEL_TIMEZONE: the reminder schedule shown with each
	// meeting is computed on its wall clock. Default UTC.
	Location *time.Location
	// Scheduler decides, on its clock and with its grace and minimum lead,
	// what happens to the overdue reminders of a meeting being created
	// (and previews the schedule). Default: a scheduler on Store with
	// Location and the scheduler's defaults (real clock).
	Scheduler *reminder.Scheduler
}

// meetingRoutes registers the meeting and reminder-policy routes.
// Organisers write; auditors read (authenticate refuses them writes).
func (s *Server) meetingRoutes(api *gin.RouterGroup) {
	api.POST("/campaigns/:id/meetings", s.idempotent, s.handle(s.createMeeting))
	api.POST("/campaigns/:id/meetings/preview", s.handle(s.previewMeeting))
	api.GET("/campaigns/:id/meetings", s.handle(s.listMeetings))
	api.GET("/campaigns/:id/meetings/:mid", s.handle(s.getMeeting))
	api.PATCH("/campaigns/:id/meetings/:mid", s.handle(s.updateMeeting))
	api.DELETE("/campaigns/:id/meetings/:mid", s.handle(s.cancelMeeting))
	api.POST("/campaigns/:id/meetings/:mid/cancel", s.handle(s.cancelMeeting))
	api.GET("/campaigns/:id/reminder-policy", s.handle(s.getReminderPolicy))
	api.PUT("/campaigns/:id/reminder-policy", s.handle(s.putReminderPolicy))
}

// meetingScheduler returns the scheduler that settles overdue reminders.
func (s *Server) meetingScheduler() *reminder.Scheduler { return s.meetings.Scheduler }

// location returns the time zone of meeting schedules.
func (s *Server) location() *time.Location {
	if s.meetings.Location == nil {
		return time.UTC
	}
	return s.meetings.Location
}

// meetingRequest is the body of POST .../meetings and PATCH
// .../meetings/{mid}. starts_at is read as a string so that a bad time
// gets a message naming it.
type meetingRequest struct {
	Title    *string `json:"title"`
	StartsAt *string `json:"starts_at"`
	Place    *string `json:"place"`
	// SendOverdue (creation and preview only) sends the reminders whose
	// time has already passed; without it they are not sent.
	SendOverdue *bool `json:"send_overdue"`
}

// update parses the request into a panel.MeetingUpdate.
func (r meetingRequest) update() (panel.MeetingUpdate, error) {
	u := panel.MeetingUpdate{Title: r.Title, Place: r.Place}
	if r.StartsAt != nil {
		t, err := panel.ParseMeetingTime(*r.StartsAt)
		if err != nil {
			return u, err
		}
		u.StartsAt = &t
	}
	return u, nil
}

// scheduledReminder is one reminder of a meeting's schedule.
type scheduledReminder struct {
	Kind  string    `json:"kind"`   // the policy rule, e.g. "7d@12:00"
	DueAt time.Time `json:"due_at"` // in PANEL_TIMEZONE
}

// meetingView is a meeting with its counts and reminder schedule, as
// listed and as answered after a change.
type meetingView struct {
	reminder.Summary
	Schedule       []scheduledReminder `json:"schedule"`
	AbsenceReports []absenceReport     `json:"absence_reports"`
}

// meetingReport is the answer of GET .../meetings/{mid}.
type meetingReport struct {
	*reminder.Report
	Schedule       []scheduledReminder `json:"schedule"`
	AbsenceReports []absenceReport     `json:"absence_reports"`
}

// absenceReport is one reported absence and who reported it.
type absenceReport struct {
	Member     string    `json:"member"`      // the member's pseudonym
	ReportedBy string    `json:"reported_by"` // "sms" (the member's reply) or an organiser's or caller's name
	ReportedAt time.Time `json:"reported_at"`
	Reason     string    `json:"reason,omitempty"` // organisers only
}

// absenceReports returns the absences of the campaign's meetings by
// meeting id, as the actor in ctx may see them.
func (s *Server) absenceReports(c *gin.Context, campaignID int64) (map[int64][]absenceReport, error) {
	ctx := c.Request.Context()
	rows, err := s.meetings.Store.ExportAbsences(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	personal := panel.SeesPhones(panel.ActorOrSystem(ctx).Role)
	out := map[int64][]absenceReport{}
	for _, r := range rows {
		a := absenceReport{Member: r.PseudoID, ReportedBy: r.ReportedBy, ReportedAt: r.CreatedAt.In(s.location())}
		if personal {
			a.Reason = r.Reason
		}
		out[r.MeetingID] = append(out[r.MeetingID], a)
	}
	return out, nil
}

// reportsOf returns the absence reports of meeting id, never nil.
func reportsOf(all map[int64][]absenceReport, id int64) []absenceReport {
	if r := all[id]; r != nil {
		return r
	}
	return []absenceReport{}
}

// schedule returns when each reminder of m is due under the campaign's
// settings (none for a cancelled meeting).
func (s *Server) schedule(m *panel.Meeting, rs panel.ReminderSettings) []scheduledReminder {
	loc := s.location()
	out := []scheduledReminder{}
	for _, d := range reminder.DueTimes(m, rs.Policy, rs.QuietHours, loc) {
		out = append(out, scheduledReminder{Kind: d.Kind, DueAt: d.At.In(loc)})
	}
	return out
}

// campaignMeeting parses the path's campaign and meeting ids and returns
// the meeting; ENOTFOUND when it belongs to another campaign.
func (s *Server) campaignMeeting(c *gin.Context) (*panel.Meeting, error) {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return nil, err
	}
	mid, err := pathID(c.Param("mid"), "meeting id")
	if err != nil {
		return nil, err
	}
	m, err := s.meetings.Store.FindMeeting(c.Request.Context(), mid)
	if err != nil {
		return nil, err
	}
	if m.CampaignID != cid {
		return nil, panel.Errorf(panel.ENOTFOUND, "campaign %d has no meeting %d", cid, mid)
	}
	return m, nil
}

// view builds the answer for one meeting.
func (s *Server) view(c *gin.Context, m *panel.Meeting) (meetingView, error) {
	ctx := c.Request.Context()
	rs, err := s.meetings.Store.ReminderSettings(ctx, m.CampaignID)
	if err != nil {
		return meetingView{}, err
	}
	sums, err := reminder.Summaries(ctx, s.meetings.Store, []*panel.Meeting{m})
	if err != nil {
		return meetingView{}, err
	}
	reports, err := s.absenceReports(c, m.CampaignID)
	if err != nil {
		return meetingView{}, err
	}
	return meetingView{Summary: sums[0], Schedule: s.schedule(m, rs), AbsenceReports: reportsOf(reports, m.ID)}, nil
}

// meetingCreated is the answer of POST .../meetings: the meeting, its
// schedule, and what became of the reminders whose time had passed.
type meetingCreated struct {
	meetingView
	Overdue              []reminder.Planned `json:"overdue"`
	SendOverdue          bool               `json:"send_overdue"`
	OverdueSkipped       int                `json:"overdue_skipped"` // reminders recorded as not sent
	Members              int                `json:"members"`
	AwaitingConfirmation int                `json:"awaiting_confirmation"`
}

// meetingPreview is the answer of POST .../meetings/preview.
type meetingPreview struct {
	Meeting *panel.Meeting `json:"meeting"`
	reminder.Preview
}

// requestedMeeting reads the body of POST .../meetings and .../preview.
func requestedMeeting(c *gin.Context) (*panel.Meeting, bool, error) {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return nil, false, err
	}
	var req meetingRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return nil, false, err
	}
	u, err := req.update()
	if err != nil {
		return nil, false, err
	}
	m, _ := u.Apply(&panel.Meeting{CampaignID: cid})
	return m, req.SendOverdue != nil && *req.SendOverdue, nil
}

// previewMeeting answers when each reminder of a meeting would go and to
// how many members, before it is saved; nothing is stored.
func (s *Server) previewMeeting(c *gin.Context) error {
	m, sendOverdue, err := requestedMeeting(c)
	if err != nil {
		return err
	}
	p, err := s.meetingScheduler().PreviewMeeting(c.Request.Context(), s.meetings.Store, m, sendOverdue)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, meetingPreview{Meeting: m, Preview: p})
	return nil
}

// createMeeting stores a meeting; its reminders are then sent by the
// scheduler. Reminders whose time has already passed are listed in the
// answer and sent only with "send_overdue": true. The store writes the
// audit events in the same transaction.
func (s *Server) createMeeting(c *gin.Context) error {
	m, sendOverdue, err := requestedMeeting(c)
	if err != nil {
		return err
	}
	p, err := s.meetingScheduler().CreateMeeting(c.Request.Context(), s.meetings.Store, m, sendOverdue)
	if err != nil {
		return err
	}
	v, err := s.view(c, m)
	if err != nil {
		return err
	}
	c.Header("Location", fmt.Sprintf("/api/v1/campaigns/%d/meetings/%d", m.CampaignID, m.ID))
	s.writeJSON(c, http.StatusCreated, meetingCreated{meetingView: v, Overdue: p.Overdue, SendOverdue: p.SendOverdue,
		OverdueSkipped: p.Skipped, Members: p.Members, AwaitingConfirmation: p.AwaitingConfirmation})
	return nil
}

// meetingList is the answer of GET .../meetings.
type meetingList struct {
	Meetings []meetingView `json:"meetings"`
}

// listMeetings answers the campaign's meetings, cancelled ones included,
// with reminders sent and delivered, notices and absences.
func (s *Server) listMeetings(c *gin.Context) error {
	ctx := c.Request.Context()
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if _, err := parseQuery(c.Request); err != nil {
		return err
	}
	list, err := s.meetings.Store.ListMeetings(ctx, cid)
	if err != nil {
		return err
	}
	rs, err := s.meetings.Store.ReminderSettings(ctx, cid)
	if err != nil {
		return err
	}
	sums, err := reminder.Summaries(ctx, s.meetings.Store, list)
	if err != nil {
		return err
	}
	reports, err := s.absenceReports(c, cid)
	if err != nil {
		return err
	}
	out := meetingList{Meetings: make([]meetingView, len(sums))}
	for i, sum := range sums {
		out.Meetings[i] = meetingView{Summary: sum, Schedule: s.schedule(sum.Meeting, rs), AbsenceReports: reportsOf(reports, sum.ID)}
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}

// getMeeting answers the organisers' view of one meeting: every confirmed
// member with the reminders and notices they were sent and their absence.
func (s *Server) getMeeting(c *gin.Context) error {
	m, err := s.campaignMeeting(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	rep, err := reminder.MeetingReport(ctx, s.meetings.Store, m.ID)
	if err != nil {
		return err
	}
	rs, err := s.meetings.Store.ReminderSettings(ctx, m.CampaignID)
	if err != nil {
		return err
	}
	reports, err := s.absenceReports(c, m.CampaignID)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, meetingReport{Report: rep, Schedule: s.schedule(rep.Meeting, rs), AbsenceReports: reportsOf(reports, m.ID)})
	return nil
}

// updateMeeting changes a meeting's title, time or place; members already
// reminded get a notice at the scheduler's next tick.
func (s *Server) updateMeeting(c *gin.Context) error {
	m, err := s.campaignMeeting(c)
	if err != nil {
		return err
	}
	var req meetingRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	if req.SendOverdue != nil {
		return panel.Errorf(panel.EINVALID, "send_overdue is only for creating a meeting; a changed meeting's members already reminded get a notice")
	}
	if req.Title == nil && req.StartsAt == nil && req.Place == nil {
		return panel.Errorf(panel.EINVALID, "give at least one of title, starts_at and place")
	}
	u, err := req.update()
	if err != nil {
		return err
	}
	m, err = s.meetings.Store.UpdateMeeting(c.Request.Context(), m.ID, u)
	if err != nil {
		return err
	}
	v, err := s.view(c, m)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, v)
	return nil
}

// cancelMeeting cancels a meeting (DELETE or POST .../cancel); it stays
// listed as cancelled, and members already reminded get a notice at the
// scheduler's next tick.
func (s *Server) cancelMeeting(c *gin.Context) error {
	m, err := s.campaignMeeting(c)
	if err != nil {
		return err
	}
	m, err = s.meetings.Store.CancelMeeting(c.Request.Context(), m.ID)
	if err != nil {
		return err
	}
	v, err := s.view(c, m)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, v)
	return nil
}

// reminderRule is one rule of a reminder policy, as answered.
type reminderRule struct {
	Kind       string `json:"kind"`        // e.g. "7d@12:00"
	DaysBefore int    `json:"days_before"` // calendar days before the meeting's local date
	At         string `json:"at"`          // local wall-clock time, "HH:MM"
}

// reminderPolicy is the answer of GET and PUT .../reminder-policy.
type reminderPolicy struct {
	ReminderPolicy string         `json:"reminder_policy"` // as PUT takes it; "none" when off
	Default        bool           `json:"default"`         // the policy is panel.DefaultReminderPolicy
	Rules          []reminderRule `json:"rules"`
	TimeZone       string         `json:"time_zone"`
}

// reminderPolicyRequest is the body of PUT .../reminder-policy.
type reminderPolicyRequest struct {
	ReminderPolicy *string `json:"reminder_policy"`
}

// policyAnswer reads the campaign's policy in force.
func (s *Server) policyAnswer(c *gin.Context, cid int64) (reminderPolicy, error) {
	rs, err := s.meetings.Store.ReminderSettings(c.Request.Context(), cid)
	if err != nil {
		return reminderPolicy{}, err
	}
	out := reminderPolicy{ReminderPolicy: rs.Policy.String(), Rules: []reminderRule{}, TimeZone: s.location().String()}
	if len(rs.Policy) == 0 {
		out.ReminderPolicy = "none"
	}
	out.Default = out.ReminderPolicy == panel.DefaultReminderPolicy
	for _, r := range rs.Policy {
		out.Rules = append(out.Rules, reminderRule{Kind: r.Kind(), DaysBefore: r.DaysBefore, At: fmt.Sprintf("%02d:%02d", r.At/60, r.At%60)})
	}
	return out, nil
}

// getReminderPolicy answers the campaign's reminder policy.
func (s *Server) getReminderPolicy(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	out, err := s.policyAnswer(c, cid)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}

// putReminderPolicy sets the campaign's reminder policy ("" restores the
// default, "none" turns reminders off); the store writes the audit event.
func (s *Server) putReminderPolicy(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	var req reminderPolicyRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	if req.ReminderPolicy == nil {
		return panel.Errorf(panel.EINVALID, `reminder_policy is required, e.g. "7d@12:00,1d@12:00" ("" restores the default, "none" turns reminders off)`)
	}
	if err := s.meetings.Store.SetReminderPolicy(c.Request.Context(), cid, *req.ReminderPolicy); err != nil {
		return err
	}
	out, err := s.policyAnswer(c, cid)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}

// setMeetingScheduler fills in MeetingDeps.Scheduler's default.
func (s *Server) setMeetingScheduler() error {
	if s.meetings.Scheduler != nil {
		return nil
	}
	sched, err := reminder.New(s.meetings.Store, reminder.Config{Location: s.location()})
	if err != nil {
		return fmt.Errorf("httpapi: meeting scheduler: %w", err)
	}
	// A copy, so the caller's MeetingDeps is not changed.
	md := *s.meetings
	md.Scheduler = sched
	s.meetings = &md
	return nil
}
