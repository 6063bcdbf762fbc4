package panel_test

import (
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestMeetingValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		edit    func(m *panel.Meeting)
		wantMsg string // "" for valid
	}{
		{"valid", func(m *panel.Meeting) {}, ""},
		{"no place", func(m *panel.Meeting) { m.Place = "" }, ""},
		{"200 character title", func(m *panel.Meeting) { m.Title = strings.Repeat("å", 200) }, ""},
		{"empty title", func(m *panel.Meeting) { m.Title = " " }, "title is required"},
		{"long title", func(m *panel.Meeting) { m.Title = strings.Repeat("å", 201) }, "title must be at most 200 characters, got 201"},
		{"no time", func(m *panel.Meeting) { m.StartsAt = time.Time{} }, "starts_at is required (RFC 3339, e.g. 2026-11-25T18:00:00+01:00)"},
		{"now", func(m *panel.Meeting) { m.StartsAt = now }, "starts_at must be in the future, got 2026-11-01T12:00:00Z"},
		{"past", func(m *panel.Meeting) { m.StartsAt = now.Add(-time.Hour) }, "starts_at must be in the future, got 2026-11-01T11:00:00Z"},
		{"long place", func(m *panel.Meeting) { m.Place = strings.Repeat("x", 201) }, "place must be at most 200 characters, got 201"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &panel.Meeting{CampaignID: 1, Title: "Samling 1", StartsAt: now.Add(time.Hour), Place: "Rådhuset"}
			tt.edit(m)
			err := m.Validate(now)
			if tt.wantMsg == "" {
				if err != nil {
					t.Errorf("got %v, want nil", err)
				}
				return
			}
			if panel.ErrorCode(err) != panel.EINVALID || panel.ErrorMessage(err) != tt.wantMsg {
				t.Errorf("got %q %q, want %q %q", panel.ErrorCode(err), panel.ErrorMessage(err), panel.EINVALID, tt.wantMsg)
			}
		})
	}
}

func TestParseMeetingTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     time.Time
		wantErr  bool
	}{
		{"offset", "2026-11-25T18:00:00+01:00", time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), false},
		{"utc", "2026-11-25T17:00:00Z", time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), false},
		{"no offset", "2026-11-25T18:00:00", time.Time{}, true},
		{"date only", "2026-11-25", time.Time{}, true},
		{"words", "next wednesday", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := panel.ParseMeetingTime(tt.in)
			if tt.wantErr {
				if panel.ErrorCode(err) != panel.EINVALID || !strings.HasPrefix(panel.ErrorMessage(err), "starts_at must be") {
					t.Errorf("got %v, want EINVALID naming starts_at", err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestParseReminderPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        string
	}{
		{"empty is the default", "", "7d@12:00,1d@12:00", ""},
		{"none", "none", "", ""},
		{"sorted earliest first", "1d@12:00, 0d@08:30,7d@12:00,1d@09:00", "7d@12:00,1d@09:00,1d@12:00,0d@08:30", ""},
		{"sixty days", "60d@00:00", "60d@00:00", ""},
		{"too early", "61d@12:00", "", `reminder_policy: "61d@12:00" is not a rule like "7d@12:00" (0 to 60 days before, at HH:MM)`},
		{"bad clock", "7d@12", "", `reminder_policy: "7d@12" is not a rule like "7d@12:00" (0 to 60 days before, at HH:MM)`},
		{"no unit", "7@12:00", "", `reminder_policy: "7@12:00" is not a rule like "7d@12:00" (0 to 60 days before, at HH:MM)`},
		{"sign", "+7d@12:00", "", `reminder_policy: "+7d@12:00" is not a rule like "7d@12:00" (0 to 60 days before, at HH:MM)`},
		{"twice", "1d@12:00,1d@12:00", "", `reminder_policy: "1d@12:00" is given twice`},
		{"empty item", "1d@12:00,", "", `reminder_policy: "" is not a rule like "7d@12:00" (0 to 60 days before, at HH:MM)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := panel.ParseReminderPolicy(tt.in)
			if tt.wantErr != "" {
				if panel.ErrorCode(err) != panel.EINVALID || panel.ErrorMessage(err) != tt.wantErr {
					t.Errorf("got %v, want EINVALID %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMeetingUpdateApply(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	base := &panel.Meeting{ID: 1, Title: "Samling 1", StartsAt: at, Place: "Rådhuset"}
	later := at.Add(time.Hour)
	same := at.In(time.FixedZone("CET", 3600))
	title, place := "Samling 1b", "Biblioteket"
	tests := []struct {
		name        string
		u           panel.MeetingUpdate
		wantChanged bool
	}{
		{"nothing", panel.MeetingUpdate{}, false},
		{"same instant in another zone", panel.MeetingUpdate{StartsAt: &same}, false},
		{"time", panel.MeetingUpdate{StartsAt: &later}, true},
		{"title", panel.MeetingUpdate{Title: &title}, true},
		{"place", panel.MeetingUpdate{Place: &place}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := tt.u.Apply(base)
			if changed != tt.wantChanged {
				t.Errorf("got changed %t, want %t", changed, tt.wantChanged)
			}
			if base.Title != "Samling 1" || base.Place != "Rådhuset" || !base.StartsAt.Equal(at) {
				t.Errorf("Apply changed its argument: %+v", base)
			}
			if tt.u.Title != nil && got.Title != *tt.u.Title {
				t.Errorf("got title %q, want %q", got.Title, *tt.u.Title)
			}
		})
	}
}

func TestNoticeKind(t *testing.T) {
	t.Parallel()
	if got := panel.NoticeKind(3); got != "notice-3" || !panel.IsNoticeKind(got) {
		t.Errorf("got %q (notice %t), want notice-3 (notice true)", got, panel.IsNoticeKind(got))
	}
	if panel.IsNoticeKind("7d@12:00") {
		t.Errorf("got 7d@12:00 as a notice kind, want a reminder kind")
	}
}
