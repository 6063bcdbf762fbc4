package store_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// fixedClock returns a clock that starts at a fixed time with sub-microsecond
// noise (which the store must drop) and advances one second per call.
func fixedClock() func() time.Time {
	t := time.Date(2026, 11, 25, 19, 30, 0, 123456789, time.FixedZone("CET", 3600))
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

func validCampaign(name string) *panel.Campaign {
	c := panel.NewCampaign()
	c.Name = name
	c.InvitationText = "Hei! Vil du være med i innbyggerpanelet? Svar JA eller NEI."
	return c
}

func TestCreateAndFindCampaign(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s = s.WithClock(fixedClock())
		c := validCampaign("Trondheim 2026")
		c.Templates = map[string]string{"reminder": "Husk møtet {{.Date}}", "notice": "Takk!"}
		c.SendRate = 2.5
		c.QuietHours = ""
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatalf("CreateCampaign: %v", err)
		}
		if c.ID == 0 || c.State != panel.CampaignDraft {
			t.Fatalf("got id %d state %q, want an id and state draft", c.ID, c.State)
		}
		wantTime := time.Date(2026, 11, 25, 18, 30, 1, 123456000, time.UTC)
		if !c.CreatedAt.Equal(wantTime) || c.CreatedAt.Location() != time.UTC {
			t.Errorf("got created_at %v, want %v in UTC", c.CreatedAt, wantTime)
		}
		got, err := s.FindCampaignByID(ctx, c.ID)
		if err != nil {
			t.Fatalf("FindCampaignByID: %v", err)
		}
		if got.Name != c.Name || got.InvitationText != c.InvitationText || got.SendRate != 2.5 ||
			got.QuietHours != "" || got.State != panel.CampaignDraft {
			t.Errorf("got %+v, want %+v", got, c)
		}
		if !maps.Equal(got.Templates, c.Templates) {
			t.Errorf("got templates %v, want %v", got.Templates, c.Templates)
		}
		if !got.CreatedAt.Equal(wantTime) || !got.UpdatedAt.Equal(wantTime) {
			t.Errorf("got created_at %v updated_at %v, want both %v", got.CreatedAt, got.UpdatedAt, wantTime)
		}
	})
}

func TestCreateCampaignDefaults(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := validCampaign("defaults")
		c.Templates = nil
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatalf("CreateCampaign: %v", err)
		}
		got, err := s.FindCampaignByID(ctx, c.ID)
		if err != nil {
			t.Fatalf("FindCampaignByID: %v", err)
		}
		if got.SendRate != panel.DefaultSendRate || got.QuietHours != panel.DefaultQuietHours {
			t.Errorf("got send_rate %v quiet_hours %q, want %v and %q",
				got.SendRate, got.QuietHours, panel.DefaultSendRate, panel.DefaultQuietHours)
		}
		if got.Templates == nil || len(got.Templates) != 0 {
			t.Errorf("got templates %#v, want an empty map", got.Templates)
		}
	})
}

func TestCreateCampaignValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(c *panel.Campaign)
		wantIn string // part of the EINVALID message
	}{
		{"empty name", func(c *panel.Campaign) { c.Name = " " }, "name is required"},
		{"long name", func(c *panel.Campaign) { c.Name = strings.Repeat("æ", 201) }, "name must be at most 200 characters, got 201"},
		{"no invitation", func(c *panel.Campaign) { c.InvitationText = "" }, "invitation_text is required"},
		{"zero rate", func(c *panel.Campaign) { c.SendRate = 0 }, "send_rate must be between 0 and 100, got 0"},
		{"rate too high", func(c *panel.Campaign) { c.SendRate = 100.5 }, "send_rate must be between 0 and 100, got 100.5"},
		{"negative rate", func(c *panel.Campaign) { c.SendRate = -1 }, "send_rate must be between 0 and 100, got -1"},
		{"quiet hours no dash", func(c *panel.Campaign) { c.QuietHours = "20:00" }, `quiet_hours must be "" or "HH:MM-HH:MM"`},
		{"quiet hours bad hour", func(c *panel.Campaign) { c.QuietHours = "24:00-08:00" }, `got "24:00-08:00"`},
		{"quiet hours bad minute", func(c *panel.Campaign) { c.QuietHours = "20:60-08:00" }, `got "20:60-08:00"`},
		{"quiet hours equal", func(c *panel.Campaign) { c.QuietHours = "08:00-08:00" }, "must start and end at different times"},
		{"empty template", func(c *panel.Campaign) { c.Templates = map[string]string{"reminder": ""} }, "templates.reminder must not be empty"},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := validCampaign("validation " + tt.name)
				tt.edit(c)
				err := s.CreateCampaign(context.Background(), c)
				if code := panel.ErrorCode(err); code != panel.EINVALID {
					t.Fatalf("got code %q (%v), want %q", code, err, panel.EINVALID)
				}
				if msg := panel.ErrorMessage(err); !strings.Contains(msg, tt.wantIn) {
					t.Errorf("got message %q, want it to contain %q", msg, tt.wantIn)
				}
			})
		}
		_, total, err := s.ListCampaigns(context.Background(), panel.CampaignFilter{})
		if err != nil || total != 0 {
			t.Errorf("after rejected creates got %d campaigns (err %v), want 0", total, err)
		}
	})
}

func TestCreateCampaignAcceptsWrappingQuietHours(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		for _, q := range []string{"20:00-08:00", "00:00-06:30", "23:59-00:00"} {
			c := validCampaign("quiet " + q)
			c.QuietHours = q
			if err := s.CreateCampaign(context.Background(), c); err != nil {
				t.Errorf("quiet_hours %q: got %v, want no error", q, err)
			}
		}
	})
}

func TestCreateCampaignDuplicateName(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateCampaign(ctx, validCampaign("same")); err != nil {
			t.Fatalf("first CreateCampaign: %v", err)
		}
		err := s.CreateCampaign(ctx, validCampaign("same"))
		if code := panel.ErrorCode(err); code != panel.ECONFLICT {
			t.Errorf("got code %q (%v), want %q", code, err, panel.ECONFLICT)
		}
	})
}

func TestFindCampaignNotFound(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		_, err := s.FindCampaignByID(context.Background(), 999)
		if code := panel.ErrorCode(err); code != panel.ENOTFOUND {
			t.Errorf("got code %q (%v), want %q", code, err, panel.ENOTFOUND)
		}
	})
}

func TestListCampaigns(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, name := range []string{"a", "b", "c", "d", "e"} {
			if err := s.CreateCampaign(ctx, validCampaign(name)); err != nil {
				t.Fatalf("CreateCampaign %s: %v", name, err)
			}
		}
		tests := []struct {
			name      string
			filter    panel.CampaignFilter
			wantNames string
			wantTotal int
			wantCode  string
		}{
			{"all", panel.CampaignFilter{}, "abcde", 5, ""},
			{"page", panel.CampaignFilter{Offset: 1, Limit: 2}, "bc", 5, ""},
			{"past the end", panel.CampaignFilter{Offset: 10}, "", 5, ""},
			{"state draft", panel.CampaignFilter{State: panel.CampaignDraft}, "abcde", 5, ""},
			{"state closed", panel.CampaignFilter{State: panel.CampaignClosed}, "", 0, ""},
			{"huge limit is capped", panel.CampaignFilter{Limit: 5000}, "abcde", 5, ""},
			{"unknown state", panel.CampaignFilter{State: "gone"}, "", 0, panel.EINVALID},
			{"negative offset", panel.CampaignFilter{Offset: -1}, "", 0, panel.EINVALID},
			{"negative limit", panel.CampaignFilter{Limit: -1}, "", 0, panel.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.ListCampaigns(ctx, tt.filter)
				if code := panel.ErrorCode(err); code != tt.wantCode {
					t.Fatalf("got code %q (%v), want %q", code, err, tt.wantCode)
				}
				var names strings.Builder
				for _, c := range got {
					names.WriteString(c.Name)
				}
				if names.String() != tt.wantNames || total != tt.wantTotal {
					t.Errorf("got names %q total %d, want %q total %d", names.String(), total, tt.wantNames, tt.wantTotal)
				}
			})
		}
	})
}
