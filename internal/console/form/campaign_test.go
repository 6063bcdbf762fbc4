package form_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/citizenspanel/panel/internal/console/form"
	"github.com/citizenspanel/panel/internal/panel"
)

func TestCampaignValidate(t *testing.T) {
	t.Parallel()
	good := url.Values{"name": {" Trondheim "}, "invitation_text": {"Svar JA\r\nTakk"}, "reply_by": {"2026-12-20"}, "send_rate": {"2,5"}, "quiet_hours": {"21:00-08:00"}}
	for _, tc := range []struct {
		name  string
		field string
		value string
		want  form.Errors
	}{
		{"complete", "", "", form.Errors{}},
		{"no name", "name", "  ", form.Errors{"name": "form.required"}},
		{"long name", "name", string(make([]rune, 201)), form.Errors{"name": "form.too_long"}},
		{"no text", "invitation_text", "", form.Errors{"invitation_text": "form.required"}},
		{"bad date", "reply_by", "20.12.2026", form.Errors{"reply_by": "form.bad_date"}},
		{"rate zero", "send_rate", "0", form.Errors{"send_rate": "form.bad_rate"}},
		{"rate too high", "send_rate", "101", form.Errors{"send_rate": "form.bad_rate"}},
		{"rate not a number", "send_rate", "fast", form.Errors{"send_rate": "form.bad_rate"}},
		{"quiet hours", "quiet_hours", "21-08", form.Errors{"quiet_hours": "form.bad_quiet"}},
		{"no quiet hours", "quiet_hours", "", form.Errors{}},
		{"no rate", "send_rate", "", form.Errors{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			if tc.field != "" {
				v.Set(tc.field, tc.value)
			}
			if got := form.ReadCampaign(v).Validate(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	f := form.ReadCampaign(good)
	c := f.Campaign()
	if c.Name != "Trondheim" || c.InvitationText != "Svar JA\nTakk" || c.SendRate != 2.5 || c.QuietHours != "21:00-08:00" || c.ReplyBy != "2026-12-20" || c.State != panel.CampaignDraft {
		t.Errorf("Campaign: got %+v", c)
	}
	if back := form.FromCampaign(c); back.SendRate != "2.5" || back.Name != "Trondheim" {
		t.Errorf("FromCampaign: got %+v", back)
	}
	if d := form.NewCampaign(); d.SendRate != "10" || d.QuietHours != panel.DefaultQuietHours {
		t.Errorf("NewCampaign: got %+v, want the domain's defaults", d)
	}
}
