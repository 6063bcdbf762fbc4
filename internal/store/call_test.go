package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// rosterFixture is a campaign with a seeded draw: three selected members
// (p1 confirmed, p2 and p3 waiting to confirm) and two reserves (p4, p5),
// each with a phone number and category values.
func rosterFixture(t *testing.T, s *store.Store, name string) (*panel.Campaign, *panel.Draw) {
	t.Helper()
	ctx := context.Background()
	c := validCampaign(name)
	if err := s.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	stmts := []string{fmt.Sprintf(`INSERT INTO draws (campaign_id, seats, reserves, algorithm, state) VALUES (%d, 3, 2, 'leximin', 'seeded')`, c.ID)}
	for i := 1; i <= 5; i++ {
		stmts = append(stmts,
			fmt.Sprintf(`INSERT INTO recipients (campaign_id, phone, pseudonym, state) VALUES (%d, '+4791%03d%03d', 'r-%d-%d', 'volunteered')`, c.ID, c.ID, i, c.ID, i),
			fmt.Sprintf(`INSERT INTO volunteers (campaign_id, recipient_id, external_id, source, complete, category_values)
				SELECT %d, id, 'v%d', 'sms', true, '{"district":"Østbyen","gender":"kvinne"}' FROM recipients WHERE pseudonym = 'r-%d-%d'`, c.ID, i, c.ID, i))
	}
	stmts = append(stmts, fmt.Sprintf(`INSERT INTO panel_members (draw_id, volunteer_id, pseudonym, role, rank, state)
		SELECT d.id, v.id, 'p' || substr(v.external_id, 2),
		CASE WHEN v.external_id IN ('v4', 'v5') THEN 'reserve' ELSE 'selected' END,
		CASE WHEN v.external_id IN ('v4', 'v5') THEN CAST(substr(v.external_id, 2) AS INTEGER) - 3 ELSE CAST(substr(v.external_id, 2) AS INTEGER) END,
		CASE WHEN v.external_id = 'v1' THEN 'confirmed' WHEN v.external_id IN ('v4', 'v5') THEN 'reserve' ELSE 'selected' END
		FROM volunteers v JOIN draws d ON d.campaign_id = v.campaign_id WHERE v.campaign_id = %d`, c.ID))
	for _, q := range stmts {
		if err := s.ExecRaw(ctx, q); err != nil {
			t.Fatalf("roster fixture: %q: %v", q, err)
		}
	}
	d, err := s.CampaignDraw(ctx, c.ID)
	if err != nil {
		t.Fatalf("CampaignDraw: %v", err)
	}
	return c, d
}

func TestCampaignDraw(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		if _, err := s.CampaignDraw(ctx, 999); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown campaign: got %v, want not_found", err)
		}
		c := validCampaign("no draw")
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CampaignDraw(ctx, c.ID); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Errorf("campaign without a seeded draw: got %v, want conflict", err)
		}
		c2, d := rosterFixture(t, s, "seeded")
		if d.CampaignID != c2.ID || d.State != panel.DrawSeeded {
			t.Errorf("got draw of campaign %d in state %s, want campaign %d seeded", d.CampaignID, d.State, c2.ID)
		}
	})
}

func TestRosterAndCalls(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		s = s.WithClock(fixedClock())
		_, d := rosterFixture(t, s, "roster")
		ctx := panel.WithActor(context.Background(), panel.Actor{Name: "kari", Role: panel.RoleCaller})

		entries, err := s.Roster(ctx, d.ID)
		if err != nil {
			t.Fatalf("Roster: %v", err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprintf("%s %s#%d %s", e.PseudoID, e.Role, e.Rank, e.Status))
		}
		want := []string{"p1 selected#1 confirmed", "p2 selected#2 drawn", "p3 selected#3 drawn", "p4 reserve#1 reserve", "p5 reserve#2 reserve"}
		if !slices.Equal(got, want) {
			t.Errorf("roster: got %q, want %q", got, want)
		}
		if e := entries[0]; !strings.HasPrefix(string(e.Phone), "+4791") || e.Values["district"] != "Østbyen" || e.Calls != 0 || e.LastCall != nil {
			t.Errorf("p1: got phone %q values %v calls %d last %v; want a phone, district Østbyen and no call", e.Phone, e.Values, e.Calls, e.LastCall)
		}

		// A decline moves the member and stores the call, in one transaction.
		in := panel.CallInput{Outcome: panel.CallDeclined, SupportNeeds: "rullestol", SupportTags: []string{"access", "diet"}}
		change := &panel.MemberChange{From: []string{panel.MemberSelected, panel.MemberConfirmed}, To: panel.MemberDeclined, Action: "draw.member_declined"}
		call, err := s.RecordCall(ctx, d.ID, "p2", in, change)
		if err != nil {
			t.Fatalf("RecordCall: %v", err)
		}
		if call.RecordedBy != "kari" || call.RecordedRole != panel.RoleCaller || !slices.Equal(call.SupportTags, []string{"access", "diet"}) {
			t.Errorf("call: got %+v, want recorded by kari (caller) with tags access, diet", call)
		}
		// A change from a state the member is not in stores nothing.
		_, err = s.RecordCall(ctx, d.ID, "p2", panel.CallInput{Outcome: panel.CallConfirmed},
			&panel.MemberChange{From: []string{panel.MemberSelected}, To: panel.MemberConfirmed, Action: "draw.member_confirmed"})
		if panel.ErrorCode(err) != panel.ECONFLICT {
			t.Errorf("confirming a declined member: got %v, want conflict", err)
		}
		if _, err := s.RecordCall(ctx, d.ID, "nobody", in, nil); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown member: got %v, want not_found", err)
		}
		if _, err := s.RecordCall(ctx, d.ID, "p3", panel.CallInput{Outcome: panel.CallNotReached}, nil); err != nil {
			t.Fatalf("RecordCall not reached: %v", err)
		}
		calls, err := s.ListCalls(ctx, d.ID, "p2")
		if err != nil || len(calls) != 1 || calls[0].SupportNeeds != "rullestol" || calls[0].Outcome != panel.CallDeclined {
			t.Fatalf("ListCalls p2: got %+v, %v; want the one decline with its support needs", calls, err)
		}
		entries, err = s.Roster(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e := entries[1]; e.State != panel.MemberDeclined || e.Status != panel.StatusDeclined || e.Calls != 1 || e.LastCall == nil || e.LastCall.Outcome != panel.CallDeclined {
			t.Errorf("p2 after the decline: got state %s status %s calls %d last %+v; want declined with one call", e.State, e.Status, e.Calls, e.LastCall)
		}
		if e := entries[2]; e.Calls != 1 || e.LastCall.Outcome != panel.CallNotReached || e.State != panel.MemberSelected {
			t.Errorf("p3: got calls %d last %+v state %s; want one not_reached call and no state change", e.Calls, e.LastCall, e.State)
		}

		events, err := s.ListAuditEvents(ctx, panel.AuditFilter{Subject: fmt.Sprintf("draw/%d", d.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action+" by "+ev.Actor)
			if strings.Contains(string(ev.Details), "rullestol") || strings.Contains(string(ev.Details), "diet") {
				t.Errorf("audit event %s holds the free-text support needs: %s", ev.Action, ev.Details)
			}
		}
		wantActions := []string{"draw.member_declined by kari", "member.call_recorded by kari", "member.call_recorded by kari"}
		if !slices.Equal(actions, wantActions) {
			t.Errorf("audit: got %q, want %q", actions, wantActions)
		}

		// A purge empties the free text and keeps the outcome.
		res, err := s.PurgePerson(ctx, d.CampaignID, panel.PurgeTarget{PseudoID: "p2"})
		if err != nil || res.CallNotes != 1 {
			t.Fatalf("PurgePerson p2: got %+v, %v; want 1 call note purged", res, err)
		}
		calls, err = s.ListCalls(ctx, d.ID, "p2")
		if err != nil || len(calls) != 1 || calls[0].SupportNeeds != "" || calls[0].Outcome != panel.CallDeclined {
			t.Errorf("p2's calls after the purge: got %+v, %v; want the decline without support needs", calls, err)
		}
	})
}

func TestCreateMeetingWithOverdue(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
		s = s.WithClock(func() time.Time { return now })
		c, _ := rosterFixture(t, s, "overdue")
		ctx := panel.WithActor(context.Background(), panel.Actor{Name: "ola", Role: panel.RoleOrganiser})
		confirmed, awaiting, err := s.RemindableMembers(ctx, c.ID)
		if err != nil || confirmed != 1 || awaiting != 2 {
			t.Errorf("RemindableMembers: got %d, %d, %v; want 1 confirmed, 2 awaiting", confirmed, awaiting, err)
		}
		skip := &panel.Meeting{CampaignID: c.ID, Title: "Samling 1", StartsAt: now.Add(72 * time.Hour)}
		n, err := s.CreateMeetingWithOverdue(ctx, skip, []string{"7d@12:00"}, false)
		if err != nil || n != 1 {
			t.Fatalf("CreateMeetingWithOverdue (skip): got %d, %v; want 1 reminder skipped", n, err)
		}
		rs, err := s.ListReminders(ctx, skip.ID)
		if err != nil || len(rs) != 1 || rs[0].State != panel.ReminderSkipped || rs[0].Kind != "7d@12:00" {
			t.Errorf("reminders of the skipping meeting: got %+v, %v; want one skipped 7d@12:00", rs, err)
		}
		send := &panel.Meeting{CampaignID: c.ID, Title: "Samling 2", StartsAt: now.Add(96 * time.Hour)}
		if n, err := s.CreateMeetingWithOverdue(ctx, send, []string{"7d@12:00"}, true); err != nil || n != 0 {
			t.Fatalf("CreateMeetingWithOverdue (send): got %d, %v; want nothing skipped", n, err)
		}
		if rs, _ := s.ListReminders(ctx, send.ID); len(rs) != 0 {
			t.Errorf("the sending meeting has reminders recorded already: %+v", rs)
		}
		var actions []string
		for _, id := range []int64{skip.ID, send.ID} {
			events, err := s.ListAuditEvents(ctx, panel.AuditFilter{Subject: fmt.Sprintf("meeting/%d", id)})
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range events {
				actions = append(actions, ev.Action+" by "+ev.Actor)
			}
		}
		want := []string{"meeting.created by ola", "meeting.overdue_reminders by ola", "meeting.created by ola", "meeting.overdue_reminders by ola"}
		if !slices.Equal(actions, want) {
			t.Errorf("audit: got %q, want %q", actions, want)
		}
		// A bad meeting stores nothing.
		if _, err := s.CreateMeetingWithOverdue(ctx, &panel.Meeting{CampaignID: c.ID, Title: "", StartsAt: now.Add(time.Hour)}, []string{"1d@12:00"}, false); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("meeting without a title: got %v, want invalid", err)
		}
	})
}

func TestExportRows(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		if _, err := s.ExportPool(ctx, 999); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("ExportPool of an unknown campaign: got %v, want not_found", err)
		}
		c, _ := rosterFixture(t, s, "exports")
		pool, err := s.ExportPool(ctx, c.ID)
		if err != nil || len(pool) != 5 || pool[0].ExternalID != "v1" || pool[0].Values["district"] != "Østbyen" || !strings.HasPrefix(string(pool[0].Phone), "+4791") {
			t.Fatalf("ExportPool: got %+v, %v; want 5 volunteers starting with v1 in Østbyen with a phone", pool, err)
		}
		for _, q := range []string{
			fmt.Sprintf(`UPDATE recipients SET state = 'unreachable' WHERE pseudonym = 'r-%d-5'`, c.ID),
			fmt.Sprintf(`INSERT INTO outbound_messages (campaign_id, recipient_id, kind, body, state, dedup_key, last_error_code, last_error)
				SELECT %d, id, 'invitation', 'Hei', 'undelivered', 'k-' || id, 30003, 'Unreachable destination handset' FROM recipients WHERE pseudonym = 'r-%d-4'`, c.ID, c.ID),
		} {
			if err := s.ExecRaw(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		failed, err := s.ExportFailed(ctx, c.ID)
		if err != nil || len(failed) != 2 {
			t.Fatalf("ExportFailed: got %+v, %v; want 2 rows", failed, err)
		}
		if f := failed[0]; f.ErrorCode != 30003 || f.Error != "Unreachable destination handset" || f.MessageState != "undelivered" {
			t.Errorf("undelivered number: got %+v, want code 30003 and Twilio's reason", f)
		}
		if f := failed[1]; f.State != panel.RecipientUnreachable || f.ErrorCode != 0 {
			t.Errorf("unreachable number: got %+v, want state unreachable without a message", f)
		}
		m := &panel.Meeting{CampaignID: c.ID, Title: "Samling 1", StartsAt: time.Now().Add(48 * time.Hour)}
		if err := s.CreateMeeting(ctx, m); err != nil {
			t.Fatal(err)
		}
		recipient := fmt.Sprintf("r-%d-1", c.ID)
		if err := s.ExecRaw(ctx, `INSERT INTO absences (member_id, meeting_id, reason, created_at)
			SELECT pm.id, ?, 'Kan ikke, syk', ? FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id
			JOIN recipients r ON r.id = v.recipient_id WHERE r.pseudonym = ?`, m.ID, time.Now().UTC(), recipient); err != nil {
			t.Fatal(err)
		}
		abs, err := s.ExportAbsences(ctx, c.ID)
		if err != nil || len(abs) != 1 || abs[0].PseudoID != "p1" || abs[0].ReportedBy != "sms" || abs[0].MeetingTitle != "Samling 1" || abs[0].Reason != "Kan ikke, syk" {
			t.Errorf("ExportAbsences: got %+v, %v; want p1's absence from Samling 1 reported by sms", abs, err)
		}
	})
}

func TestReportAbsence(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		s = s.WithClock(func() time.Time { return now })
		c, d := rosterFixture(t, s, "absence")
		ctx := panel.WithActor(context.Background(), panel.Actor{Name: "siri", Role: panel.RoleCaller})
		m := &panel.Meeting{CampaignID: c.ID, Title: "Samling 1", StartsAt: now.Add(48 * time.Hour)}
		if err := s.CreateMeeting(ctx, m); err != nil {
			t.Fatal(err)
		}
		a, created, err := s.ReportAbsence(ctx, d.ID, "p1", m.ID, "  bortreist ", now)
		if err != nil || !created || a.Reason != "bortreist" {
			t.Fatalf("ReportAbsence: got %+v, %t, %v; want a new absence with the reason trimmed", a, created, err)
		}
		if _, created, err := s.ReportAbsence(ctx, d.ID, "p1", m.ID, "again", now); err != nil || created {
			t.Errorf("second report: got created %t, %v; want the first one kept", created, err)
		}
		for _, bad := range []struct {
			member  string
			meeting int64
			at      time.Time
			code    string
		}{
			{"p4", m.ID, now, panel.ECONFLICT},                     // a reserve holds no seat
			{"nobody", m.ID, now, panel.ENOTFOUND},                 // unknown member
			{"p2", 999, now, panel.ENOTFOUND},                      // unknown meeting
			{"p2", m.ID, now.Add(49 * time.Hour), panel.ECONFLICT}, // the meeting has started
		} {
			if _, _, err := s.ReportAbsence(ctx, d.ID, bad.member, bad.meeting, "", bad.at); panel.ErrorCode(err) != bad.code {
				t.Errorf("ReportAbsence(%s, meeting %d): got %v, want %s", bad.member, bad.meeting, err, bad.code)
			}
		}
		rows, err := s.ExportAbsences(ctx, c.ID)
		if err != nil || len(rows) != 1 || rows[0].ReportedBy != "siri" || rows[0].PseudoID != "p1" {
			t.Errorf("absences: got %+v, %v; want p1's, reported by siri", rows, err)
		}
		entries, err := s.Roster(ctx, d.ID)
		if err != nil || entries[0].Absences != 1 {
			t.Errorf("roster: p1 has %d absences (%v), want 1", entries[0].Absences, err)
		}
	})
}
