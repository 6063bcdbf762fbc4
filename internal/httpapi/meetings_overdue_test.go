package httpapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// overdueAnswer is the part of a created meeting's answer about overdue
// reminders.
type overdueAnswer struct {
	ID             int64              `json:"id"`
	Overdue        []reminder.Planned `json:"overdue"`
	SendOverdue    bool               `json:"send_overdue"`
	OverdueSkipped int                `json:"overdue_skipped"`
	Members        int                `json:"members"`
}

// TestMeetingPreviewAndOverdueReminders: the schedule is shown before a
// meeting is saved; a meeting created after one of its reminder times no
// longer sends that reminder silently: it is listed, and sent only with
// send_overdue.
func TestMeetingPreviewAndOverdueReminders(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		// Sunday 22 November 2026, 11:00 in Oslo: the 7-day reminders of a
		// meeting on 25 November (18 November 12:00) are overdue.
		e := newStoreEnv(t, db, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), 4)
		base := fmt.Sprintf("/api/v1/campaigns/%d/meetings", e.campaign.ID)
		body := `{"title":"Samling 1","starts_at":"2026-11-25T18:00:00+01:00","place":"Rådhuset"}`
		seven := time.Date(2026, 11, 18, 12, 0, 0, 0, e.loc)
		one := time.Date(2026, 11, 24, 12, 0, 0, 0, e.loc)

		var prev reminder.Preview
		decodeAnswer(t, e.call(t, "POST", base+"/preview", e.org, body, 200), &prev)
		if prev.Members != 4 || len(prev.Schedule) != 2 || len(prev.Overdue) != 1 || prev.TimeZone != "Europe/Oslo" {
			t.Fatalf("preview: got %+v, want 4 members, 2 reminders, 1 overdue, Europe/Oslo", prev)
		}
		if s := prev.Schedule[0]; s.Kind != "7d@12:00" || !s.DueAt.Equal(seven) || !s.Overdue || s.Action != reminder.ActionSkip || s.Members != 4 {
			t.Errorf("preview 7-day reminder: got %+v, want overdue, skipped, 4 members", s)
		}
		if s := prev.Schedule[1]; s.Kind != "1d@12:00" || !s.DueAt.Equal(one) || s.Overdue || s.Action != reminder.ActionScheduled {
			t.Errorf("preview 1-day reminder: got %+v, want scheduled on 24 November 12:00", s)
		}
		decodeAnswer(t, e.call(t, "POST", base+"/preview", e.org, strings.TrimSuffix(body, "}")+`,"send_overdue":true}`, 200), &prev)
		if prev.Overdue[0].Action != reminder.ActionSendNow {
			t.Errorf("preview with send_overdue: got %+v, want send_now", prev.Overdue[0])
		}
		var list struct {
			Meetings []meetingAnswer `json:"meetings"`
		}
		decodeAnswer(t, e.call(t, "GET", base, e.aud, "", 200), &list)
		if len(list.Meetings) != 0 {
			t.Errorf("a preview stored %d meetings", len(list.Meetings))
		}
		e.call(t, "POST", base+"/preview", e.aud, body, 403)
		e.call(t, "POST", base+"/preview", e.org, `{"title":"x","starts_at":"2026-11-01T18:00:00+01:00"}`, 422)

		// Without send_overdue the overdue reminder is listed and never sent.
		var quiet overdueAnswer
		decodeAnswer(t, e.call(t, "POST", base, e.org, body, 201), &quiet)
		if len(quiet.Overdue) != 1 || quiet.Overdue[0].Kind != "7d@12:00" || quiet.SendOverdue || quiet.OverdueSkipped != 4 {
			t.Errorf("created without send_overdue: got %+v, want the 7-day reminder listed and skipped for 4 members", quiet)
		}
		if res := e.tick(t, time.Date(2026, 11, 22, 10, 1, 0, 0, time.UTC)); res.Sent != 0 {
			t.Errorf("tick after creation: got %d reminders sent, want 0", res.Sent)
		}
		if got := e.auditActions(t, fmt.Sprintf("meeting/%d", quiet.ID)); !slices.Equal(got, []string{"meeting.created by alice", "meeting.overdue_reminders by alice"}) {
			t.Errorf("audit: got %q", got)
		}

		// With send_overdue it goes at the next tick; the other reminder on time.
		var loud overdueAnswer
		decodeAnswer(t, e.call(t, "POST", base, e.org, `{"title":"Samling 2","starts_at":"2026-11-26T18:00:00+01:00","send_overdue":true}`, 201), &loud)
		if len(loud.Overdue) != 1 || loud.Overdue[0].Action != reminder.ActionSendNow || loud.OverdueSkipped != 0 {
			t.Errorf("created with send_overdue: got %+v, want the 7-day reminder to be sent now", loud)
		}
		if res := e.tick(t, time.Date(2026, 11, 22, 10, 2, 0, 0, time.UTC)); res.Sent != 4 {
			t.Errorf("tick after creation with send_overdue: got %d sent, want 4", res.Sent)
		}
		// An organiser reports, from a call, that the fourth member cannot
		// come: that member gets no 1-day reminder.
		fourth := e.text(t, `SELECT pseudonym FROM panel_members WHERE id = ?`, e.members[3].ID)
		absences := fmt.Sprintf("/api/v1/campaigns/%d/members/%s/absences", e.campaign.ID, fourth)
		e.call(t, "POST", absences, e.org, fmt.Sprintf(`{"meeting_id":%d,"reason":"Sa i telefonen at hun er bortreist"}`, quiet.ID), 201)
		e.call(t, "POST", absences, e.org, fmt.Sprintf(`{"meeting_id":%d}`, quiet.ID), 200)
		e.call(t, "POST", absences, e.aud, fmt.Sprintf(`{"meeting_id":%d}`, quiet.ID), 403)
		e.call(t, "POST", absences, e.org, `{"meeting_id":999}`, 404)
		e.call(t, "POST", absences, e.org, `{}`, 422)
		if res := e.tick(t, one); res.Sent != 3 {
			t.Errorf("tick at the 1-day reminder of Samling 1: got %d sent, want 3 (one member reported absent)", res.Sent)
		}
		e.call(t, "PATCH", fmt.Sprintf("%s/%d", base, quiet.ID), e.org, `{"send_overdue":true}`, 422)

		// Absences, and who reported them.
		if _, err := e.sched.CantAttend(context.Background(), e.members[2].RecipientID, "KAN IKKE, syk"); err != nil {
			t.Fatalf("CantAttend: %v", err)
		}
		var withReports struct {
			Meetings []struct {
				ID             int64           `json:"id"`
				Absences       int             `json:"absences"`
				RemindersSent  int             `json:"reminders_sent"`
				AbsenceReports []absenceReport `json:"absence_reports"`
			} `json:"meetings"`
		}
		decodeAnswer(t, e.call(t, "GET", base, e.org, "", 200), &withReports)
		m := withReports.Meetings[0]
		if m.ID != quiet.ID || m.Absences != 2 || m.RemindersSent != 3 || len(m.AbsenceReports) != 2 ||
			m.AbsenceReports[0].ReportedBy != "alice" || m.AbsenceReports[0].Member != fourth ||
			m.AbsenceReports[1].ReportedBy != "sms" || m.AbsenceReports[1].Reason != "KAN IKKE, syk" {
			t.Errorf("meetings for the organiser: got %+v, want Samling 1 with 3 reminders and two absences, reported by alice and by sms", m)
		}
		if got := e.auditActions(t, fmt.Sprintf("meeting/%d", quiet.ID)); !slices.Contains(got, "meeting.absence_recorded by alice") {
			t.Errorf("audit: got %q, want meeting.absence_recorded by alice", got)
		}
		r := e.call(t, "GET", base, e.aud, "", 200)
		if strings.Contains(string(r.body), "syk") || !strings.Contains(string(r.body), `"reported_by":"sms"`) {
			t.Errorf("meetings for the auditor: %s, want who reported without the reason", r.body)
		}
		r = e.call(t, "GET", fmt.Sprintf("%s/%d", base, quiet.ID), e.org, "", 200)
		if !strings.Contains(string(r.body), `"absence_reports":[{"member":"p`) {
			t.Errorf("one meeting: %s, want its absence reports", r.body)
		}
	})
}
