package httpapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// meetingAnswer is the part of a meeting answer the tests check.
type meetingAnswer struct {
	ID                 int64      `json:"id"`
	CampaignID         int64      `json:"campaign_id"`
	Title              string     `json:"title"`
	StartsAt           time.Time  `json:"starts_at"`
	Place              string     `json:"place"`
	CancelledAt        *time.Time `json:"cancelled_at"`
	Revision           int        `json:"revision"`
	RemindersSent      int        `json:"reminders_sent"`
	RemindersDelivered int        `json:"reminders_delivered"`
	NoticesSent        int        `json:"notices_sent"`
	Absences           int        `json:"absences"`
	Schedule           []struct {
		Kind  string    `json:"kind"`
		DueAt time.Time `json:"due_at"`
	} `json:"schedule"`
}

func TestMeetingValidationAndRoles(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 1)
		base := fmt.Sprintf("/api/v1/campaigns/%d/meetings", e.campaign.ID)
		e.call(t, "POST", base, e.org, `{"title":"Samling 1","starts_at":"2026-11-25T18:00:00+01:00"}`, 201)
		long := strings.Repeat("x", 201)
		tests := []struct {
			name, method, path, token, body string
			wantStatus                      int
			wantInMessage                   string
		}{
			{"no title", "POST", base, e.org, `{"starts_at":"2026-11-25T18:00:00+01:00"}`, 422, "title is required"},
			{"blank title", "POST", base, e.org, `{"title":"  ","starts_at":"2026-11-25T18:00:00+01:00"}`, 422, "title is required"},
			{"long title", "POST", base, e.org, `{"title":"` + long + `","starts_at":"2026-11-25T18:00:00+01:00"}`, 422, "title must be at most 200"},
			{"no time", "POST", base, e.org, `{"title":"x"}`, 422, "starts_at is required"},
			{"time without offset", "POST", base, e.org, `{"title":"x","starts_at":"2026-11-25T18:00:00"}`, 422, "starts_at must be an RFC 3339 time"},
			{"time as number", "POST", base, e.org, `{"title":"x","starts_at":1764090000}`, 422, "starts_at must be a string"},
			{"past time", "POST", base, e.org, `{"title":"x","starts_at":"2026-11-01T18:00:00+01:00"}`, 422, "starts_at must be in the future"},
			{"long place", "POST", base, e.org, `{"title":"x","starts_at":"2026-11-25T18:00:00+01:00","place":"` + long + `"}`, 422, "place must be at most 200"},
			{"unknown field", "POST", base, e.org, `{"title":"x","starts_at":"2026-11-25T18:00:00+01:00","room":"1"}`, 422, `unknown field "room"`},
			{"malformed JSON", "POST", base, e.org, `{"title":`, 400, "malformed JSON"},
			{"unknown campaign", "POST", "/api/v1/campaigns/999/meetings", e.org, `{"title":"x","starts_at":"2026-11-25T18:00:00+01:00"}`, 404, "campaign not found"},
			{"bad campaign id", "GET", "/api/v1/campaigns/x/meetings", e.aud, "", 400, "campaign id"},
			{"bad meeting id", "GET", base + "/0", e.aud, "", 400, "meeting id"},
			{"unknown meeting", "GET", base + "/999", e.aud, "", 404, "meeting not found"},
			{"meeting of another campaign", "GET", "/api/v1/campaigns/999/meetings/1", e.aud, "", 404, "campaign 999 has no meeting 1"},
			{"empty change", "PATCH", base + "/1", e.org, `{}`, 422, "give at least one of title, starts_at and place"},
			{"change to the past", "PATCH", base + "/1", e.org, `{"starts_at":"2026-11-09T18:00:00Z"}`, 422, "starts_at must be in the future"},
			{"auditor may not create", "POST", base, e.aud, `{"title":"x","starts_at":"2026-11-25T18:00:00+01:00"}`, 403, "may only read"},
			{"auditor may not change", "PATCH", base + "/1", e.aud, `{"title":"y"}`, 403, "may only read"},
			{"auditor may not cancel", "POST", base + "/1/cancel", e.aud, "", 403, "may only read"},
			{"auditor may not delete", "DELETE", base + "/1", e.aud, "", 403, "may only read"},
			{"auditor may not set the policy", "PUT", fmt.Sprintf("/api/v1/campaigns/%d/reminder-policy", e.campaign.ID), e.aud, `{"reminder_policy":"none"}`, 403, "may only read"},
			{"no token", "GET", base, "", "", 401, "API token is required"},
			{"policy missing", "PUT", fmt.Sprintf("/api/v1/campaigns/%d/reminder-policy", e.campaign.ID), e.org, `{}`, 422, "reminder_policy is required"},
			{"policy malformed", "PUT", fmt.Sprintf("/api/v1/campaigns/%d/reminder-policy", e.campaign.ID), e.org, `{"reminder_policy":"7 days"}`, 422, `reminder_policy: "7 days" is not a rule`},
			{"policy too early", "PUT", fmt.Sprintf("/api/v1/campaigns/%d/reminder-policy", e.campaign.ID), e.org, `{"reminder_policy":"61d@12:00"}`, 422, "reminder_policy"},
			{"policy twice", "PUT", fmt.Sprintf("/api/v1/campaigns/%d/reminder-policy", e.campaign.ID), e.org, `{"reminder_policy":"1d@12:00,1d@12:00"}`, 422, "is given twice"},
			{"policy of unknown campaign", "GET", "/api/v1/campaigns/999/reminder-policy", e.aud, "", 404, "campaign not found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.call(t, tt.method, tt.path, tt.token, tt.body, tt.wantStatus)
				if got := r.errorBody(t).Message; !strings.Contains(got, tt.wantInMessage) {
					t.Errorf("got message %q, want it to contain %q", got, tt.wantInMessage)
				}
			})
		}
		// Nothing of the refused calls was stored.
		if n := e.count(t, `SELECT count(*) FROM meetings`); n != 1 {
			t.Errorf("got %d meetings, want 1", n)
		}
		var m meetingAnswer
		decodeAnswer(t, e.call(t, "GET", base+"/1", e.aud, "", 200), &struct {
			Meeting *meetingAnswer `json:"meeting"`
		}{&m})
		if m.Title != "Samling 1" || m.Revision != 0 {
			t.Errorf("got %+v, want Samling 1 unchanged", m)
		}
		if got := e.count(t, `SELECT count(*) FROM audit_events WHERE action LIKE 'meeting.%' OR action LIKE '%policy%'`); got != 1 {
			t.Errorf("got %d meeting audit events, want 1 (the creation)", got)
		}
	})
}

func TestMeetingLifecycle(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		ctx := context.Background()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 3)
		loc := e.loc
		base := fmt.Sprintf("/api/v1/campaigns/%d/meetings", e.campaign.ID)

		var created meetingAnswer
		r := e.call(t, "POST", base, e.org, `{"title":"Samling 1","starts_at":"2026-11-25T18:00:00+01:00","place":"Rådhuset"}`, 201)
		decodeAnswer(t, r, &created)
		if want := fmt.Sprintf("%s/%d", base, created.ID); r.header.Get("Location") != want {
			t.Errorf("Location: got %q, want %q", r.header.Get("Location"), want)
		}
		wantSchedule := []time.Time{time.Date(2026, 11, 18, 12, 0, 0, 0, loc), time.Date(2026, 11, 24, 12, 0, 0, 0, loc)}
		if len(created.Schedule) != 2 || !created.Schedule[0].DueAt.Equal(wantSchedule[0]) || !created.Schedule[1].DueAt.Equal(wantSchedule[1]) {
			t.Errorf("schedule: got %+v, want 7 and 1 days before at 12:00 Oslo time", created.Schedule)
		}
		second := e.call(t, "POST", base, e.org, `{"title":"Samling 2","starts_at":"2026-12-02T18:00:00+01:00"}`, 201)
		var m2 meetingAnswer
		decodeAnswer(t, second, &m2)
		mpath := fmt.Sprintf("%s/%d", base, created.ID)

		// The first reminder, one delivery and one absence.
		if res := e.tick(t, wantSchedule[0]); res.Sent != 3 {
			t.Fatalf("tick at the 7-day reminder: got %d sent, want 3", res.Sent)
		}
		e.exec(t, fmt.Sprintf(`UPDATE outbound_messages SET state = 'delivered' WHERE recipient_id = %d`, e.members[0].RecipientID))
		if _, err := e.sched.CantAttend(ctx, e.members[1].RecipientID, "KAN IKKE"); err != nil {
			t.Fatalf("CantAttend: %v", err)
		}
		var list struct {
			Meetings []meetingAnswer `json:"meetings"`
		}
		decodeAnswer(t, e.call(t, "GET", base, e.aud, "", 200), &list)
		if len(list.Meetings) != 2 {
			t.Fatalf("got %d meetings, want 2", len(list.Meetings))
		}
		tests := []struct {
			name                                 string
			got                                  meetingAnswer
			wantSent, wantDelivered, wantAbsence int
		}{
			{"first meeting", list.Meetings[0], 3, 1, 1},
			{"second meeting", list.Meetings[1], 0, 0, 0},
		}
		for _, tt := range tests {
			if tt.got.RemindersSent != tt.wantSent || tt.got.RemindersDelivered != tt.wantDelivered || tt.got.Absences != tt.wantAbsence {
				t.Errorf("%s: got sent %d, delivered %d, absences %d; want %d, %d, %d", tt.name,
					tt.got.RemindersSent, tt.got.RemindersDelivered, tt.got.Absences, tt.wantSent, tt.wantDelivered, tt.wantAbsence)
			}
		}

		var report struct {
			Meeting            meetingAnswer `json:"meeting"`
			RemindersSent      int           `json:"reminders_sent"`
			RemindersDelivered int           `json:"reminders_delivered"`
			Absences           int           `json:"absences"`
			Members            []struct {
				ID        int64  `json:"id"`
				PseudoID  string `json:"pseudo_id"`
				Reminders []struct {
					Kind         string `json:"kind"`
					MessageState string `json:"message_state"`
				} `json:"reminders"`
				Absence *struct {
					Reason string `json:"reason"`
				} `json:"absence"`
			} `json:"members"`
		}
		r = e.call(t, "GET", mpath, e.aud, "", 200)
		decodeAnswer(t, r, &report)
		if report.RemindersSent != 3 || report.RemindersDelivered != 1 || report.Absences != 1 || len(report.Members) != 3 {
			t.Fatalf("report: got %s, want 3 members, 3 sent, 1 delivered, 1 absence", r.body)
		}
		if m := report.Members[0]; m.PseudoID == "" || len(m.Reminders) != 1 || m.Reminders[0].MessageState != panel.MessageDelivered {
			t.Errorf("member 1: got %+v, want one delivered reminder", m)
		}
		if m := report.Members[1]; m.Absence == nil || m.Absence.Reason != "KAN IKKE" {
			t.Errorf("member 2: got %+v, want the absence", m)
		}
		if strings.Contains(string(r.body), "+4791") {
			t.Errorf("the report holds a phone number: %s", r.body)
		}

		// A change notifies the members already reminded, once.
		e.clock.Set(time.Date(2026, 11, 19, 9, 0, 0, 0, loc))
		var changed meetingAnswer
		decodeAnswer(t, e.call(t, "PATCH", mpath, e.org, `{"starts_at":"2026-11-26T18:00:00+01:00","place":"Biblioteket"}`, 200), &changed)
		if changed.Revision != 1 || changed.Place != "Biblioteket" || !changed.StartsAt.Equal(time.Date(2026, 11, 26, 18, 0, 0, 0, loc)) || changed.Title != "Samling 1" {
			t.Errorf("changed: got %+v, want revision 1 at the new time and place", changed)
		}
		if res := e.tick(t, time.Date(2026, 11, 19, 9, 1, 0, 0, loc)); res.Notices != 3 {
			t.Errorf("tick after the change: got %d notices, want 3", res.Notices)
		}
		if res := e.tick(t, time.Date(2026, 11, 19, 9, 2, 0, 0, loc)); res.Notices != 0 || res.Sent != 0 {
			t.Errorf("second tick after the change: got %+v, want nothing", res)
		}
		// Changing nothing is no revision and no notice.
		decodeAnswer(t, e.call(t, "PATCH", mpath, e.org, `{"place":"Biblioteket"}`, 200), &changed)
		if changed.Revision != 1 {
			t.Errorf("unchanged: got revision %d, want 1", changed.Revision)
		}

		// Cancel: a notice per reminded member, then no more reminders.
		var cancelled meetingAnswer
		decodeAnswer(t, e.call(t, "POST", mpath+"/cancel", e.org, "", 200), &cancelled)
		if cancelled.CancelledAt == nil || cancelled.Revision != 2 || len(cancelled.Schedule) != 0 {
			t.Errorf("cancelled: got %+v, want cancelled_at, revision 2 and no schedule", cancelled)
		}
		decodeAnswer(t, e.call(t, "DELETE", mpath, e.org, "", 200), &cancelled)
		if cancelled.Revision != 2 {
			t.Errorf("cancelled twice: got revision %d, want 2", cancelled.Revision)
		}
		if res := e.tick(t, time.Date(2026, 11, 19, 10, 0, 0, 0, loc)); res.Notices != 3 {
			t.Errorf("tick after the cancellation: got %d notices, want 3", res.Notices)
		}
		if res := e.tick(t, time.Date(2026, 11, 25, 12, 0, 0, 0, loc)); res.Sent != 3 {
			t.Errorf("tick at the second meeting's 7-day reminder: got %d sent, want 3 (none for the cancelled one)", res.Sent)
		}
		r = e.call(t, "PATCH", mpath, e.org, `{"title":"Samling 1b"}`, 409)
		if msg := r.errorBody(t).Message; !strings.Contains(msg, "cancelled") {
			t.Errorf("change of a cancelled meeting: got %q, want it to say cancelled", msg)
		}
		decodeAnswer(t, e.call(t, "GET", mpath, e.aud, "", 200), &struct {
			NoticesSent *int `json:"notices_sent"`
		}{&changed.NoticesSent})
		if changed.NoticesSent != 6 {
			t.Errorf("notices sent: got %d, want 6 (3 for the change, 3 for the cancellation)", changed.NoticesSent)
		}
		notices := e.ints(t, `SELECT count(*) FROM outbound_messages WHERE kind = 'notice'`)
		if notices[0][0] != 6 {
			t.Errorf("notice SMS in the outbox: got %d, want 6", notices[0][0])
		}

		// The audit log has each organiser action, by its author, and verifies.
		got := e.auditActions(t, fmt.Sprintf("meeting/%d", created.ID))
		want := []string{"meeting.created by alice", "meeting.absence_recorded by sms", "meeting.updated by alice", "meeting.cancelled by alice"}
		if !slices.Equal(got, want) {
			t.Errorf("audit: got %q, want %q", got, want)
		}
		if _, err := e.st.VerifyAuditChain(ctx); err != nil {
			t.Errorf("VerifyAuditChain: %v", err)
		}
	})
}

func TestReminderPolicyRoutes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 1)
		path := fmt.Sprintf("/api/v1/campaigns/%d/reminder-policy", e.campaign.ID)
		type policy struct {
			ReminderPolicy string `json:"reminder_policy"`
			Default        bool   `json:"default"`
			Rules          []struct {
				Kind       string `json:"kind"`
				DaysBefore int    `json:"days_before"`
				At         string `json:"at"`
			} `json:"rules"`
			TimeZone string `json:"time_zone"`
		}
		var p policy
		decodeAnswer(t, e.call(t, "GET", path, e.aud, "", 200), &p)
		if p.ReminderPolicy != panel.DefaultReminderPolicy || !p.Default || len(p.Rules) != 2 || p.TimeZone != "Europe/Oslo" {
			t.Errorf("default: got %+v", p)
		}
		tests := []struct {
			set        string
			wantPolicy string
			wantRules  int
			wantDays   int // of the first rule
		}{
			{"1d@09:30, 3d@18:00", "3d@18:00,1d@09:30", 2, 3},
			{"none", "none", 0, 0},
			{"0d@08:00", "0d@08:00", 1, 0},
			{"", panel.DefaultReminderPolicy, 2, 7},
		}
		for _, tt := range tests {
			decodeAnswer(t, e.call(t, "PUT", path, e.org, fmt.Sprintf(`{"reminder_policy":%q}`, tt.set), 200), &p)
			if p.ReminderPolicy != tt.wantPolicy || len(p.Rules) != tt.wantRules || (tt.wantRules > 0 && p.Rules[0].DaysBefore != tt.wantDays) {
				t.Errorf("PUT %q: got %+v, want %s", tt.set, p, tt.wantPolicy)
			}
			var again policy
			decodeAnswer(t, e.call(t, "GET", path, e.aud, "", 200), &again)
			if again.ReminderPolicy != tt.wantPolicy {
				t.Errorf("GET after PUT %q: got %q, want %q", tt.set, again.ReminderPolicy, tt.wantPolicy)
			}
		}
		// The policy shapes the schedule of the campaign's meetings.
		e.call(t, "PUT", path, e.org, `{"reminder_policy":"2d@10:00"}`, 200)
		var m meetingAnswer
		decodeAnswer(t, e.call(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/meetings", e.campaign.ID), e.org, `{"title":"Samling 1","starts_at":"2026-11-25T18:00:00+01:00"}`, 201), &m)
		if len(m.Schedule) != 1 || m.Schedule[0].Kind != "2d@10:00" || !m.Schedule[0].DueAt.Equal(time.Date(2026, 11, 23, 10, 0, 0, 0, e.loc)) {
			t.Errorf("schedule under 2d@10:00: got %+v", m.Schedule)
		}
		if got := e.auditActions(t, fmt.Sprintf("campaign/%d", e.campaign.ID)); len(got) != 1+len(tests)+1 || got[1] != "campaign.reminder_policy_set by alice" {
			t.Errorf("audit: got %q, want the creation and one event per PUT", got)
		}
	})
}
