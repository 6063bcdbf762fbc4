package reminder_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestMeetingReport(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		ctx := context.Background()
		loc := oslo(t)
		e := newEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, loc), 3)
		m := e.meeting(t, "Samling 1", time.Date(2026, 11, 25, 18, 0, 0, 0, loc))
		other := e.meeting(t, "Samling 2", time.Date(2026, 12, 2, 18, 0, 0, 0, loc))
		s := e.scheduler(t, e.store)
		opted, absent := e.members[2], e.members[1]
		e.exec(t, fmt.Sprintf(`UPDATE recipients SET state = 'opted_out' WHERE id = %d`, opted.RecipientID))
		if res := e.tick(t, s, time.Date(2026, 11, 18, 12, 0, 0, 0, loc)); res.Sent != 2 {
			t.Fatalf("got %d sent, want 2 (not the opted-out member)", res.Sent)
		}
		e.exec(t, fmt.Sprintf(`UPDATE outbound_messages SET state = 'delivered' WHERE recipient_id = %d`, e.members[0].RecipientID))
		if _, err := s.CantAttend(ctx, absent.RecipientID, "kan ikke"); err != nil {
			t.Fatalf("CantAttend: %v", err)
		}

		rep, err := reminder.MeetingReport(ctx, e.store, m.ID)
		if err != nil {
			t.Fatalf("MeetingReport: %v", err)
		}
		want := reminder.Counts{RemindersSent: 2, RemindersDelivered: 1, Absences: 1}
		if rep.Counts != want {
			t.Errorf("got counts %+v, want %+v", rep.Counts, want)
		}
		if len(rep.Members) != 3 {
			t.Fatalf("got %d members, want 3", len(rep.Members))
		}
		tests := []struct {
			name          string
			mr            reminder.MemberReport
			wantReminders int
			wantAbsent    bool
			wantOptedOut  bool
		}{
			{"reminded and delivered", rep.Members[0], 1, false, false},
			{"reminded, then absent", rep.Members[1], 1, true, false},
			{"opted out", rep.Members[2], 0, false, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if len(tt.mr.Reminders) != tt.wantReminders || (tt.mr.Absence != nil) != tt.wantAbsent || tt.mr.OptedOut != tt.wantOptedOut {
					t.Errorf("got %d reminders, absent %t, opted out %t; want %d, %t, %t",
						len(tt.mr.Reminders), tt.mr.Absence != nil, tt.mr.OptedOut, tt.wantReminders, tt.wantAbsent, tt.wantOptedOut)
				}
			})
		}
		if got := rep.Members[0].Reminders[0].Message; got != panel.MessageDelivered {
			t.Errorf("got message state %q, want delivered", got)
		}
		js, err := json.Marshal(rep)
		if err != nil {
			t.Fatalf("encode report: %v", err)
		}
		for _, field := range []string{`"reminders_sent":2`, `"reminders_delivered":1`, `"absences":1`, `"pseudo_id":`, `"opted_out":true`} {
			if !strings.Contains(string(js), field) {
				t.Errorf("report JSON lacks %s: %s", field, js)
			}
		}
		if strings.Contains(string(js), "+4791") {
			t.Errorf("report JSON holds a phone number: %s", js)
		}

		sums, err := reminder.Summaries(ctx, e.store, []*panel.Meeting{m, other})
		if err != nil {
			t.Fatalf("Summaries: %v", err)
		}
		if len(sums) != 2 || sums[0].Counts != want || sums[1].Counts != (reminder.Counts{}) {
			t.Errorf("got summaries %+v, want %+v and zero", sums, want)
		}
		if _, err := reminder.MeetingReport(ctx, e.store, 9999); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown meeting: got %v, want ENOTFOUND", err)
		}
	})
}
