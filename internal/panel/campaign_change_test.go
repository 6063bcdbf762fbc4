package panel_test

import (
	"slices"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestCampaignChangeApply(t *testing.T) {
	t.Parallel()
	text, rate, quiet, empty := "Ny tekst. Svar JA.", 2.5, "", map[string]string{}
	bands, noBands, badBands := []string{"18-34", " 35 - 69 ", "70+"}, []string{}, []string{"18-44", "40-59", "60+"}
	bad := 0.0
	tests := []struct {
		name     string
		state    string
		ch       panel.CampaignChange
		wantCode string
		check    func(c *panel.Campaign) bool
	}{
		{"text of a draft", panel.CampaignDraft, panel.CampaignChange{InvitationText: &text}, "",
			func(c *panel.Campaign) bool { return c.InvitationText == text && c.SendRate == panel.DefaultSendRate }},
		{"templates emptied", panel.CampaignDraft, panel.CampaignChange{Templates: &empty}, "",
			func(c *panel.Campaign) bool { return len(c.Templates) == 0 }},
		{"rate while sending", panel.CampaignSending, panel.CampaignChange{SendRate: &rate, QuietHours: &quiet}, "",
			func(c *panel.Campaign) bool {
				return c.SendRate == rate && c.QuietHours == "" && c.State == panel.CampaignSending
			}},
		{"rate when closed", panel.CampaignClosed, panel.CampaignChange{SendRate: &rate}, "", nil},
		{"text while sending", panel.CampaignSending, panel.CampaignChange{InvitationText: &text}, panel.ECONFLICT, nil},
		{"text when paused", panel.CampaignPaused, panel.CampaignChange{Templates: &empty}, panel.ECONFLICT, nil},
		{"anything when purged", panel.CampaignPurged, panel.CampaignChange{SendRate: &rate}, panel.ECONFLICT, nil},
		{"age bands of a draft", panel.CampaignDraft, panel.CampaignChange{AgeBands: &bands}, "",
			func(c *panel.Campaign) bool { return slices.Equal(c.AgeBands, []string{"18-34", "35-69", "70+"}) }},
		{"default age bands", panel.CampaignDraft, panel.CampaignChange{AgeBands: &noBands}, "",
			func(c *panel.Campaign) bool { return slices.Equal(c.AgeBands, panel.DefaultAgeBandLabels()) }},
		{"overlapping age bands", panel.CampaignDraft, panel.CampaignChange{AgeBands: &badBands}, panel.EINVALID, nil},
		{"age bands while sending", panel.CampaignSending, panel.CampaignChange{AgeBands: &bands}, panel.ECONFLICT, nil},
		{"nothing", panel.CampaignDraft, panel.CampaignChange{}, panel.EINVALID, nil},
		{"bad rate", panel.CampaignSending, panel.CampaignChange{SendRate: &bad}, panel.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := panel.NewCampaign()
			c.ID, c.Name, c.InvitationText, c.State = 7, "Trondheim", "Hei! Svar JA.", tt.state
			c.Templates["draw_selected"] = "Du er trukket ut."
			got, err := tt.ch.Apply(c)
			if code := panel.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("got %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if c.Templates["draw_selected"] != "Du er trukket ut." || c.InvitationText != "Hei! Svar JA." {
				t.Errorf("Apply changed the campaign it was given: %+v", c)
			}
			if tt.check != nil && !tt.check(got) {
				t.Errorf("got %+v", got)
			}
		})
	}
	rateOnly := panel.CampaignChange{SendRate: &rate, Name: &text, AgeBands: &bands}
	if got := rateOnly.Fields(); !slices.Equal(got, []string{"name", "send_rate", "age_bands"}) {
		t.Errorf("Fields: got %v, want [name send_rate age_bands]", got)
	}
}
