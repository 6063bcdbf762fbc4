package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// meetingClock is a settable clock for meeting tests.
type meetingClock struct{ t time.Time }

func (c *meetingClock) now() time.Time { return c.t }

func TestMeetingLifecycle(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &meetingClock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.now)
		c := validCampaign("meetings")
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatalf("CreateCampaign: %v", err)
		}
		second := &panel.Meeting{CampaignID: c.ID, Title: "Samling 2", StartsAt: time.Date(2026, 12, 2, 18, 0, 0, 0, time.FixedZone("CET", 3600))}
		first := &panel.Meeting{CampaignID: c.ID, Title: "Samling 1", StartsAt: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), Place: "Rådhuset"}
		for _, m := range []*panel.Meeting{second, first} {
			if err := s.CreateMeeting(ctx, m); err != nil {
				t.Fatalf("CreateMeeting(%s): %v", m.Title, err)
			}
		}
		if first.ID == 0 || first.Revision != 0 || !first.CreatedAt.Equal(clock.t) {
			t.Errorf("got id %d revision %d created %v, want an id, revision 0, created %v", first.ID, first.Revision, first.CreatedAt, clock.t)
		}
		got, err := s.FindMeeting(ctx, second.ID)
		if err != nil || got.Title != "Samling 2" || !got.StartsAt.Equal(second.StartsAt) || got.StartsAt.Location() != time.UTC {
			t.Errorf("FindMeeting: got %+v, %v; want Samling 2 at %v in UTC", got, err, second.StartsAt)
		}
		list, err := s.ListMeetings(ctx, c.ID)
		if err != nil || len(list) != 2 || list[0].ID != first.ID || list[1].ID != second.ID {
			t.Fatalf("ListMeetings: got %v, %v; want the two meetings by start", list, err)
		}

		later := first.StartsAt.Add(time.Hour)
		upd, err := s.UpdateMeeting(ctx, first.ID, panel.MeetingUpdate{StartsAt: &later})
		if err != nil || upd.Revision != 1 || !upd.StartsAt.Equal(later) {
			t.Fatalf("UpdateMeeting: got %+v, %v; want revision 1 at %v", upd, err, later)
		}
		same, err := s.UpdateMeeting(ctx, first.ID, panel.MeetingUpdate{StartsAt: &later})
		if err != nil || same.Revision != 1 {
			t.Errorf("unchanged update: got revision %d, %v; want 1, nil", same.Revision, err)
		}
		cancelled, err := s.CancelMeeting(ctx, first.ID)
		if err != nil || cancelled.CancelledAt == nil || cancelled.Revision != 2 {
			t.Fatalf("CancelMeeting: got %+v, %v; want cancelled with revision 2", cancelled, err)
		}
		again, err := s.CancelMeeting(ctx, first.ID)
		if err != nil || again.Revision != 2 {
			t.Errorf("second CancelMeeting: got revision %d, %v; want 2, nil", again.Revision, err)
		}
		stored, err := s.FindMeeting(ctx, first.ID)
		if err != nil || stored.CancelledAt == nil || !stored.CancelledAt.Equal(clock.t) || stored.Revision != 2 {
			t.Errorf("FindMeeting after cancel: got %+v, %v", stored, err)
		}

		title := "Ny tittel"
		past := clock.t.Add(-time.Hour)
		tests := []struct {
			name     string
			call     func() error
			wantCode string
		}{
			{"create in the past", func() error {
				return s.CreateMeeting(ctx, &panel.Meeting{CampaignID: c.ID, Title: "x", StartsAt: past})
			}, panel.EINVALID},
			{"create without title", func() error {
				return s.CreateMeeting(ctx, &panel.Meeting{CampaignID: c.ID, StartsAt: later})
			}, panel.EINVALID},
			{"create for unknown campaign", func() error {
				return s.CreateMeeting(ctx, &panel.Meeting{CampaignID: 999, Title: "x", StartsAt: later})
			}, panel.ENOTFOUND},
			{"update cancelled", func() error {
				_, err := s.UpdateMeeting(ctx, first.ID, panel.MeetingUpdate{Title: &title})
				return err
			}, panel.ECONFLICT},
			{"update into the past", func() error {
				_, err := s.UpdateMeeting(ctx, second.ID, panel.MeetingUpdate{StartsAt: &past})
				return err
			}, panel.EINVALID},
			{"update unknown", func() error {
				_, err := s.UpdateMeeting(ctx, 999, panel.MeetingUpdate{Title: &title})
				return err
			}, panel.ENOTFOUND},
			{"find unknown", func() error { _, err := s.FindMeeting(ctx, 999); return err }, panel.ENOTFOUND},
			{"list unknown campaign", func() error { _, err := s.ListMeetings(ctx, 999); return err }, panel.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if code := panel.ErrorCode(tt.call()); code != tt.wantCode {
					t.Errorf("got code %q, want %q", code, tt.wantCode)
				}
			})
		}

		clock.t = second.StartsAt
		if _, err := s.CancelMeeting(ctx, second.ID); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Errorf("cancel a started meeting: got %v, want ECONFLICT", err)
		}
	})
}

func TestReminderPolicySetting(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := validCampaign("policy")
		c.QuietHours = "21:00-07:30"
		c.Templates = map[string]string{"meeting_reminder": "Husk {meeting_title}"}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatalf("CreateCampaign: %v", err)
		}
		tests := []struct {
			name, set, want string
			wantCode        string
		}{
			{"default", "", "7d@12:00,1d@12:00", ""},
			{"custom, sorted", "1d@18:00,3d@10:00", "3d@10:00,1d@18:00", ""},
			{"none", "none", "", ""},
			{"invalid keeps the old", "8x", "", panel.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := s.SetReminderPolicy(ctx, c.ID, tt.set); panel.ErrorCode(err) != tt.wantCode {
					t.Fatalf("SetReminderPolicy: got %v, want code %q", err, tt.wantCode)
				}
				rs, err := s.ReminderSettings(ctx, c.ID)
				if err != nil {
					t.Fatalf("ReminderSettings: %v", err)
				}
				if got := rs.Policy.String(); got != tt.want {
					t.Errorf("got policy %q, want %q", got, tt.want)
				}
				if rs.QuietHours.Start != 21*60 || rs.QuietHours.End != 7*60+30 || rs.Templates["meeting_reminder"] != "Husk {meeting_title}" {
					t.Errorf("got quiet hours %+v, templates %v; want 21:00-07:30 and the campaign's template", rs.QuietHours, rs.Templates)
				}
			})
		}
		if err := s.SetReminderPolicy(ctx, 999, ""); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown campaign: got %v, want ENOTFOUND", err)
		}
		if _, err := s.ReminderSettings(ctx, 999); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("settings of unknown campaign: got %v, want ENOTFOUND", err)
		}
	})
}
