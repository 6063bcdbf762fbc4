package panel_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestNewCampaignDefaults(t *testing.T) {
	t.Parallel()
	c := panel.NewCampaign()
	if c.SendRate != panel.DefaultSendRate || c.QuietHours != panel.DefaultQuietHours || c.State != panel.CampaignDraft || c.Templates == nil {
		t.Errorf("got %+v, want send_rate %v, quiet_hours %q, state draft, empty templates", c, panel.DefaultSendRate, panel.DefaultQuietHours)
	}
}

func TestCampaignValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(c *panel.Campaign)
		wantMsg string // "" for valid
	}{
		{"valid", func(c *panel.Campaign) {}, ""},
		{"200 characters", func(c *panel.Campaign) { c.Name = strings.Repeat("ø", 200) }, ""},
		{"rate 100", func(c *panel.Campaign) { c.SendRate = 100 }, ""},
		{"tiny rate", func(c *panel.Campaign) { c.SendRate = 0.01 }, ""},
		{"quiet hours off", func(c *panel.Campaign) { c.QuietHours = "" }, ""},
		{"no name", func(c *panel.Campaign) { c.Name = "" }, "name is required"},
		{"201 characters", func(c *panel.Campaign) { c.Name = strings.Repeat("ø", 201) }, "name must be at most 200 characters, got 201"},
		{"blank invitation", func(c *panel.Campaign) { c.InvitationText = "\n " }, "invitation_text is required"},
		{"zero rate", func(c *panel.Campaign) { c.SendRate = 0 }, "send_rate must be between 0 and 100, got 0"},
		{"NaN rate", func(c *panel.Campaign) { c.SendRate = math.NaN() }, "send_rate must be between 0 and 100, got NaN"},
		{"rate over 100", func(c *panel.Campaign) { c.SendRate = 101 }, "send_rate must be between 0 and 100, got 101"},
		{"quiet hours single", func(c *panel.Campaign) { c.QuietHours = "8:00-20:00" }, `quiet_hours must be "" or "HH:MM-HH:MM" with valid clock times, got "8:00-20:00"`},
		{"quiet hours letters", func(c *panel.Campaign) { c.QuietHours = "ab:cd-ef:gh" }, `quiet_hours must be "" or "HH:MM-HH:MM" with valid clock times, got "ab:cd-ef:gh"`},
		{"reply by a date", func(c *panel.Campaign) { c.ReplyBy = "2026-10-18" }, ""},
		{"reply by a time", func(c *panel.Campaign) { c.ReplyBy = "2026-10-18T12:00:00Z" }, `reply_by must be a date YYYY-MM-DD (or "" for none), got "2026-10-18T12:00:00Z"`},
		{"reply by no date", func(c *panel.Campaign) { c.ReplyBy = "2026-02-30" }, `reply_by must be a date YYYY-MM-DD (or "" for none), got "2026-02-30"`},
		{"unknown state", func(c *panel.Campaign) { c.State = "done" }, `state must be one of draft, sending, paused, closed, got "done"`},
		{"empty template key", func(c *panel.Campaign) { c.Templates = map[string]string{"": "x"} }, "templates must not have an empty key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := panel.NewCampaign()
			c.Name, c.InvitationText = "Trondheim", "Hei!"
			tt.edit(c)
			err := c.Validate()
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

func TestQuietHoursContains(t *testing.T) {
	t.Parallel()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 25, h, m, 0, 0, oslo) }
	tests := []struct {
		name  string
		spec  string
		t     time.Time
		quiet bool
	}{
		{"wrapping, evening", "20:00-08:00", at(21, 30), true},
		{"wrapping, start is quiet", "20:00-08:00", at(20, 0), true},
		{"wrapping, end is not quiet", "20:00-08:00", at(8, 0), false},
		{"wrapping, early morning", "20:00-08:00", at(3, 0), true},
		{"wrapping, day", "20:00-08:00", at(12, 0), false},
		{"same day, inside", "12:00-13:00", at(12, 59), true},
		{"same day, outside", "12:00-13:00", at(13, 0), false},
		{"off", "", at(3, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := panel.ParseQuietHours(tt.spec)
			if err != nil {
				t.Fatalf("ParseQuietHours(%q): %v", tt.spec, err)
			}
			if got := q.Contains(tt.t); got != tt.quiet {
				t.Errorf("got quiet %t at %s, want %t", got, tt.t.Format("15:04"), tt.quiet)
			}
		})
	}
}
