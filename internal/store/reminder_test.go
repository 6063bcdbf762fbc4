package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// seatPanel gives campaign n confirmed panel members, each with a
// recipient and a volunteer, as the draw service would, and returns them.
func seatPanel(t *testing.T, s *store.Store, campaignID int64, n int) []panel.PanelMember {
	t.Helper()
	ctx := context.Background()
	c := campaignID
	stmts := []string{fmt.Sprintf(`INSERT INTO draws (campaign_id, seats, algorithm, state) VALUES (%d, %d, 'leximin', 'seeded')`, c, n)}
	for i := 1; i <= n; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO recipients (campaign_id, phone, pseudonym, state) VALUES (%d, '+479%03d%04d', 'r-%d-%d', 'volunteered')`, c, c, i, c, i))
	}
	stmts = append(stmts,
		fmt.Sprintf(`INSERT INTO volunteers (campaign_id, recipient_id, external_id, source, complete) SELECT %d, id, 'v' || id, 'sms', true FROM recipients WHERE campaign_id = %d`, c, c),
		fmt.Sprintf(`INSERT INTO panel_members (draw_id, volunteer_id, pseudonym, role, rank, state) SELECT d.id, v.id, 'p' || v.id, 'selected', v.id, 'confirmed' FROM volunteers v JOIN draws d ON d.campaign_id = v.campaign_id WHERE v.campaign_id = %d`, c),
	)
	for _, q := range stmts {
		if err := s.ExecRaw(ctx, q); err != nil {
			t.Fatalf("seat panel: %q: %v", q, err)
		}
	}
	m := &panel.Meeting{CampaignID: c, Title: "probe", StartsAt: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreateMeeting(ctx, m); err != nil {
		t.Fatalf("probe meeting: %v", err)
	}
	members, err := s.MembersToRemind(ctx, m.ID, "probe")
	if err != nil || len(members) != n {
		t.Fatalf("seat panel: got members %v, %v; want %d", members, err, n)
	}
	if err := s.ExecRaw(ctx, `DELETE FROM meetings WHERE id = ?`, m.ID); err != nil {
		t.Fatalf("delete probe meeting: %v", err)
	}
	return members
}

// reminderFixture is a campaign with a seated panel and one meeting.
func reminderFixture(t *testing.T, s *store.Store, members int) (*panel.Meeting, []panel.PanelMember) {
	t.Helper()
	ctx := context.Background()
	c := validCampaign("reminders")
	if err := s.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	pm := seatPanel(t, s, c.ID, members)
	m := &panel.Meeting{CampaignID: c.ID, Title: "Samling 1", StartsAt: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)}
	if err := s.CreateMeeting(ctx, m); err != nil {
		t.Fatalf("CreateMeeting: %v", err)
	}
	return m, pm
}

func reminderMessage(m *panel.Meeting, pm panel.PanelMember, kind string) *panel.OutboundMessage {
	return &panel.OutboundMessage{
		CampaignID: m.CampaignID, RecipientID: pm.RecipientID, Kind: panel.KindReminder,
		Body: "Påminnelse", DedupKey: fmt.Sprintf("reminder/%d/%d/%s", pm.ID, m.ID, kind),
	}
}

func TestRecordReminderOnce(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &meetingClock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.now)
		m, members := reminderFixture(t, s, 3)
		const kind = "7d@12:00"
		due := time.Date(2026, 11, 18, 11, 0, 0, 0, time.UTC)
		clock.t = due

		// Many concurrent attempts at the same reminder: one wins.
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			created int
		)
		for range 8 {
			wg.Go(func() {
				r := &panel.Reminder{MemberID: members[0].ID, MeetingID: m.ID, Kind: kind, DueAt: due, State: panel.ReminderSent}
				ok, err := s.RecordReminder(ctx, r, reminderMessage(m, members[0], kind))
				if err != nil {
					t.Errorf("RecordReminder: %v", err)
				}
				if ok {
					mu.Lock()
					created++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if created != 1 {
			t.Fatalf("got %d reminders created, want 1", created)
		}
		list, err := s.ListReminders(ctx, m.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListReminders: got %v, %v; want 1", list, err)
		}
		r := list[0]
		if r.State != panel.ReminderSent || r.MessageID == 0 || r.Message != panel.MessageQueued || !r.DueAt.Equal(due) || !r.CreatedAt.Equal(due) {
			t.Errorf("got %+v, want sent with a queued message, due and created at %v", r, due)
		}
		msg, err := s.FindOutboundMessage(ctx, r.MessageID)
		if err != nil || msg.RecipientID != members[0].RecipientID || msg.Kind != panel.KindReminder {
			t.Errorf("FindOutboundMessage: got %+v, %v", msg, err)
		}

		// The member reminded is no longer to remind; the others are.
		left, err := s.MembersToRemind(ctx, m.ID, kind)
		if err != nil || len(left) != 2 || left[0].ID != members[1].ID {
			t.Errorf("MembersToRemind: got %v, %v; want members 2 and 3", left, err)
		}

		// A skipped reminder has no message and also counts as done.
		skip := &panel.Reminder{MemberID: members[1].ID, MeetingID: m.ID, Kind: kind, DueAt: due, State: panel.ReminderSkipped}
		if ok, err := s.RecordReminder(ctx, skip, nil); !ok || err != nil || skip.MessageID != 0 {
			t.Errorf("skipped: got %t, %v, message %d; want true, nil, 0", ok, err, skip.MessageID)
		}

		// An opted-out recipient gets no message; the reminder is skipped.
		if err := s.ExecRaw(ctx, `UPDATE recipients SET state = 'opted_out' WHERE id = ?`, members[2].RecipientID); err != nil {
			t.Fatal(err)
		}
		opted := &panel.Reminder{MemberID: members[2].ID, MeetingID: m.ID, Kind: kind, DueAt: due, State: panel.ReminderSent}
		if ok, err := s.RecordReminder(ctx, opted, reminderMessage(m, members[2], kind)); !ok || err != nil || opted.State != panel.ReminderSkipped {
			t.Errorf("opted out: got %t, %v, state %s; want true, nil, skipped", ok, err, opted.State)
		}
		if left, err := s.MembersToRemind(ctx, m.ID, "1d@12:00"); err != nil || len(left) != 2 {
			t.Errorf("opted-out member still to remind: got %v, %v; want the 2 others", left, err)
		}

		bad := []struct {
			name string
			r    *panel.Reminder
			msg  *panel.OutboundMessage
		}{
			{"unknown state", &panel.Reminder{MemberID: members[0].ID, MeetingID: m.ID, Kind: "x", State: "maybe"}, nil},
			{"sent without message", &panel.Reminder{MemberID: members[0].ID, MeetingID: m.ID, Kind: "x", State: panel.ReminderSent}, nil},
			{"skipped with message", &panel.Reminder{MemberID: members[0].ID, MeetingID: m.ID, Kind: "x", State: panel.ReminderSkipped}, reminderMessage(m, members[0], "x")},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := s.RecordReminder(ctx, tt.r, tt.msg); panel.ErrorCode(err) != panel.EINVALID {
					t.Errorf("got %v, want EINVALID", err)
				}
			})
		}
	})
}

func TestMembersToNotify(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &meetingClock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.now)
		m, members := reminderFixture(t, s, 3)
		clock.t = time.Date(2026, 11, 18, 11, 0, 0, 0, time.UTC)
		for _, pm := range members[:2] {
			r := &panel.Reminder{MemberID: pm.ID, MeetingID: m.ID, Kind: "7d@12:00", DueAt: clock.t, State: panel.ReminderSent}
			if _, err := s.RecordReminder(ctx, r, reminderMessage(m, pm, "7d@12:00")); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.MembersToNotify(ctx, m.ID, panel.NoticeKind(0)); err != nil || len(got) != 0 {
			t.Errorf("before any change: got %v, %v; want nobody (reminded after the last update)", got, err)
		}
		clock.t = clock.t.Add(time.Hour)
		title := "Samling 1 (ny tid)"
		upd, err := s.UpdateMeeting(ctx, m.ID, panel.MeetingUpdate{Title: &title})
		if err != nil {
			t.Fatal(err)
		}
		kind := panel.NoticeKind(upd.Revision)
		got, err := s.MembersToNotify(ctx, m.ID, kind)
		if err != nil || len(got) != 2 || got[0].ID != members[0].ID || got[1].ID != members[1].ID {
			t.Fatalf("after change: got %v, %v; want the two reminded members", got, err)
		}
		// The third member is reminded after the change: no notice for them.
		clock.t = clock.t.Add(time.Minute)
		late := &panel.Reminder{MemberID: members[2].ID, MeetingID: m.ID, Kind: "7d@12:00", DueAt: clock.t, State: panel.ReminderSent}
		if _, err := s.RecordReminder(ctx, late, reminderMessage(m, members[2], "7d@12:00")); err != nil {
			t.Fatal(err)
		}
		n := &panel.Reminder{MemberID: members[0].ID, MeetingID: m.ID, Kind: kind, DueAt: clock.t, State: panel.ReminderSent}
		if _, err := s.RecordReminder(ctx, n, reminderMessage(m, members[0], kind)); err != nil {
			t.Fatal(err)
		}
		got, err = s.MembersToNotify(ctx, m.ID, kind)
		if err != nil || len(got) != 1 || got[0].ID != members[1].ID {
			t.Errorf("after one notice: got %v, %v; want only member 2", got, err)
		}
	})
}

func TestRecordAbsence(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &meetingClock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.now)
		first, members := reminderFixture(t, s, 2)
		second := &panel.Meeting{CampaignID: first.CampaignID, Title: "Samling 2", StartsAt: time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)}
		if err := s.CreateMeeting(ctx, second); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		a, m, created, err := s.RecordAbsence(ctx, members[0].RecipientID, "KAN IKKE", now)
		if err != nil || !created || m.ID != first.ID || a.MemberID != members[0].ID || a.Reason != "KAN IKKE" {
			t.Fatalf("RecordAbsence: got %+v %+v %t %v; want a new absence from meeting 1", a, m, created, err)
		}
		if _, _, again, err := s.RecordAbsence(ctx, members[0].RecipientID, "kan ikke", now); err != nil || again {
			t.Errorf("repeat: got created %t, %v; want false, nil", again, err)
		}
		if left, err := s.MembersToRemind(ctx, first.ID, "1d@12:00"); err != nil || len(left) != 1 || left[0].ID != members[1].ID {
			t.Errorf("absent member still to remind: got %v, %v; want only member 2", left, err)
		}
		events, err := s.ListAuditEvents(ctx, panel.AuditFilter{Subject: fmt.Sprintf("meeting/%d", first.ID)})
		// The meeting's subject also has its meeting.created event.
		absences := 0
		for _, ev := range events {
			if ev.Action == "meeting.absence_recorded" {
				absences++
			}
		}
		if err != nil || absences != 1 {
			t.Errorf("audit: got %d absence events, %v; want one meeting.absence_recorded event", absences, err)
		}
		// After the first meeting, the next one is the second.
		if _, m, _, err := s.RecordAbsence(ctx, members[0].RecipientID, "", first.StartsAt); err != nil || m.ID != second.ID {
			t.Errorf("after meeting 1: got %+v, %v; want meeting 2", m, err)
		}
		// A cancelled meeting is passed over.
		clock.t = now
		if _, err := s.CancelMeeting(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		if _, m, _, err := s.RecordAbsence(ctx, members[1].RecipientID, "", now); err != nil || m.ID != second.ID {
			t.Errorf("first cancelled: got %+v, %v; want meeting 2", m, err)
		}
		list, err := s.ListAbsences(ctx, second.ID)
		if err != nil || len(list) != 2 {
			t.Errorf("ListAbsences: got %v, %v; want 2", list, err)
		}
		tests := []struct {
			name        string
			recipientID int64
			now         time.Time
		}{
			{"not a member", 9999, now},
			{"no upcoming meeting", members[1].RecipientID, second.StartsAt},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, _, _, err := s.RecordAbsence(ctx, tt.recipientID, "", tt.now); panel.ErrorCode(err) != panel.ENOTFOUND {
					t.Errorf("got %v, want ENOTFOUND", err)
				}
			})
		}
	})
}

func TestUpcomingMeetings(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &meetingClock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.now)
		first, _ := reminderFixture(t, s, 1)
		second := &panel.Meeting{CampaignID: first.CampaignID, Title: "Samling 2", StartsAt: first.StartsAt.Add(7 * 24 * time.Hour)}
		if err := s.CreateMeeting(ctx, second); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			now  time.Time
			want []int64
		}{
			{"before both", clock.t, []int64{first.ID, second.ID}},
			{"at the first's start", first.StartsAt, []int64{second.ID}},
			{"a microsecond before the first", first.StartsAt.Add(-time.Microsecond), []int64{first.ID, second.ID}},
			{"after both", second.StartsAt, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.UpcomingMeetings(ctx, tt.now)
				if err != nil {
					t.Fatal(err)
				}
				ids := make([]int64, len(got))
				for i, m := range got {
					ids[i] = m.ID
				}
				if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
					t.Errorf("got %v, want %v", ids, tt.want)
				}
			})
		}
	})
}
