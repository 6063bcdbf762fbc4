package templates_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
	"github.com/citizenspanel/panel/internal/templates"
)

// TestDefaultsFit checks that both default texts of every key use only its
// placeholders and fit its segment limit with long sample values.
func TestDefaultsFit(t *testing.T) {
	for _, e := range templates.Catalogue() {
		var names []string
		for _, p := range e.Placeholders {
			names = append(names, p.Name)
		}
		for lang, text := range map[string]string{"nb": e.Default.NB, "en": e.Default.EN} {
			tpl, err := smstext.Parse(text, names)
			if err != nil {
				t.Errorf("%s (%s): %v", e.Key, lang, err)
				continue
			}
			if err := smstext.CheckFits(tpl, nil, e.MaxSegments); err != nil {
				t.Errorf("%s (%s): %v", e.Key, lang, err)
			}
			if strings.Contains(text, "{meeting_time}") && !strings.Contains(text, "kl. {meeting_time}") && !strings.Contains(text, "at {meeting_time}") {
				t.Errorf("%s (%s): %q does not say kl./at before {meeting_time}", e.Key, lang, text)
			}
		}
	}
}

func TestCheckKeys(t *testing.T) {
	tests := []struct {
		name      string
		templates map[string]string
		want      string // "" for no error
	}{
		{"none", nil, ""},
		{"known", map[string]string{"draw_selected": "x", "meeting_reminder": "y"}, ""},
		{"misspelt", map[string]string{"meeting_remindr": "x"}, "templates.meeting_remindr is not a template key (did you mean meeting_reminder?); the keys are draw_not_selected,"},
		{"far off", map[string]string{"hello": "x"}, "templates.hello is not a template key; the keys are"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := templates.CheckKeys(tc.templates)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want nil", err)
			case tc.want != "" && (err == nil || panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tc.want)):
				t.Errorf("got %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

func TestDefaultText(t *testing.T) {
	if got, ok := templates.DefaultText("meeting_reminder", "en"); !ok || !strings.HasPrefix(got, "Reminder:") {
		t.Errorf("got %q %t, want the English reminder", got, ok)
	}
	if got, ok := templates.DefaultText("meeting_reminder", "nb"); !ok || !strings.HasPrefix(got, "Påminnelse:") {
		t.Errorf("got %q %t, want the Norwegian reminder", got, ok)
	}
	if _, ok := templates.DefaultText("welcome", "nb"); ok {
		t.Errorf("an unknown key has a default")
	}
}
