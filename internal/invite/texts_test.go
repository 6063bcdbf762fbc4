package invite_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/panel"
)

func TestTextsCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, replyBy string
		templates           map[string]string
		wantErr             string // "" for valid
	}{
		{"plain GSM-7 with æøå", "Hei! Vil du være med i innbyggerpanelet? Svar {keyword} eller NEI.", "", nil, ""},
		{"deadline with a date", "Svar {keyword} innen {deadline}.", "2026-10-18", nil, ""},
		{"deadline without a date", "Svar {keyword} innen {deadline}.", "", nil, "invitation_text uses {deadline}, but the campaign has no reply_by date"},
		{"unknown placeholder", "Hei {name}!", "", nil, "invitation_text:"},
		{"curly quote forces UCS-2", strings.Repeat("Velkommen til panelet. ", 9) + "Svar “JA”.", "", nil, `which is not in the GSM-7 alphabet`},
		{"too long in GSM-7", strings.Repeat("a", 460), "", nil, "GSM-7"},
		{"459 GSM-7 characters fit three segments", strings.Repeat("å", 459), "", nil, ""},
		{"a template too long", "Hei", "", map[string]string{"draw_selected": strings.Repeat("x", 500)}, "templates.draw_selected:"},
		{"a misspelt template key", "Hei", "", map[string]string{"draw_selectd": "Du er trukket ut!"},
			"templates.draw_selectd is not a template key (did you mean draw_selected?); the keys are draw_not_selected, draw_reserve, draw_selected, meeting_cancelled, meeting_changed, meeting_reminder"},
		{"an unknown template key", "Hei", "", map[string]string{"welcome": "Velkommen"}, "templates.welcome is not a template key; the keys are"},
		{"a draw text with an unknown placeholder", "Hei", "", map[string]string{"draw_selected": "Hei {name}"}, "templates.draw_selected:"},
		{"a meeting text with kl. once", "Hei", "", map[string]string{"meeting_reminder": "Husk {meeting_title} kl. {meeting_time}"}, ""},
		{"an English reminder", "Hei", "", map[string]string{"meeting_reminder_en": "Reminder: {meeting_title} {meeting_date} {meeting_time}."}, ""},
		{"an English reminder with a draw placeholder", "Hei", "", map[string]string{"meeting_reminder_en": "Reply by {deadline}."}, "templates.meeting_reminder_en:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := panel.NewCampaign()
			c.Name, c.InvitationText, c.ReplyBy = "Trondheim", tt.text, tt.replyBy
			if tt.templates != nil {
				c.Templates = tt.templates
			}
			err := invite.Texts{}.Check(c)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(panel.ErrorMessage(err), tt.wantErr) || panel.ErrorCode(err) != panel.EINVALID):
				t.Errorf("got %v, want EINVALID containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRenderInvitationDeadline(t *testing.T) {
	t.Parallel()
	c := panel.NewCampaign()
	c.Name, c.InvitationText, c.ReplyBy = "Trondheim", "Svar {keyword} innen {deadline}.", "2026-10-18"
	got, err := invite.Texts{}.RenderInvitation(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Svar JA innen søndag 18. oktober."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
