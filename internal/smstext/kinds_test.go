package smstext_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// TestKindDefaultsFit: every built-in text parses and fits its limit.
func TestKindDefaultsFit(t *testing.T) {
	t.Parallel()
	kinds := append(slices.Clone(smstext.MeetingKinds), smstext.DrawSelected, smstext.DrawReserve, smstext.DrawNotSelected)
	for _, k := range kinds {
		t.Run(k.Key, func(t *testing.T) {
			tpl, err := k.Parse(nil)
			if err != nil {
				t.Fatalf("got %v, want the default to parse and fit %d segments", err, k.MaxSegments)
			}
			if tpl.Text() != k.Default {
				t.Errorf("got text %q, want the default %q", tpl.Text(), k.Default)
			}
		})
	}
}

// TestKindParse: an override replaces the default; a bad one is EINVALID
// naming templates.<key>.
func TestKindParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		kind      smstext.Kind
		templates map[string]string
		wantText  string
		wantErr   string // prefix of the message
	}{
		{"override", smstext.DrawReserve, map[string]string{"draw_reserve": "Du er reserve."}, "Du er reserve.", ""},
		{"other keys ignored", smstext.MeetingReminder, map[string]string{"draw_reserve": "x"}, smstext.MeetingReminder.Default, ""},
		{"unknown placeholder", smstext.DrawSelected, map[string]string{"draw_selected": "Svar innen {meeting_date}"}, "", "templates.draw_selected: "},
		{"too long", smstext.MeetingCancelled, map[string]string{"meeting_cancelled": strings.Repeat("avlyst ", 60)}, "", "templates.meeting_cancelled: text needs 3 SMS segments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := tt.kind.Parse(tt.templates)
			if tt.wantErr != "" {
				if panel.ErrorCode(err) != panel.EINVALID || !strings.HasPrefix(panel.ErrorMessage(err), tt.wantErr) {
					t.Errorf("got %v, want EINVALID starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || tpl.Text() != tt.wantText {
				t.Errorf("got %v, %v; want text %q", tpl, err, tt.wantText)
			}
		})
	}
}

// TestKindEnglish: every kind has an English default that parses and
// fits; ParseIn picks the campaign's English text, else the campaign's own
// text, else the English default.
func TestKindEnglish(t *testing.T) {
	t.Parallel()
	kinds := append(slices.Clone(smstext.MeetingKinds), smstext.DrawSelected, smstext.DrawReserve, smstext.DrawNotSelected)
	for _, k := range kinds {
		tpl, err := k.ParseIn(nil, panel.LangEnglish)
		if err != nil || k.English == "" || tpl.Text() != k.English {
			t.Errorf("%s: got %v, %v; want the English default %q", k.Key, tpl, err, k.English)
		}
		if tpl, err := k.ParseIn(nil, panel.LangNorwegian); err != nil || tpl.Text() != k.Default {
			t.Errorf("%s in Norwegian: got %v, %v; want the default", k.Key, tpl, err)
		}
	}
	tests := []struct {
		name      string
		templates map[string]string
		want      string
	}{
		{"English override", map[string]string{"draw_reserve": "Du er reserve.", "draw_reserve_en": "You are a reserve."}, "You are a reserve."},
		{"the organiser's own text", map[string]string{"draw_reserve": "Du er reserve."}, "Du er reserve."},
		{"no override", map[string]string{"draw_selected": "x"}, smstext.DrawReserve.English},
	}
	for _, tt := range tests {
		tpl, err := smstext.DrawReserve.ParseIn(tt.templates, panel.LangEnglish)
		if err != nil || tpl.Text() != tt.want {
			t.Errorf("%s: got %v, %v; want %q", tt.name, tpl, err, tt.want)
		}
	}
	if _, err := smstext.DrawSelected.ParseIn(map[string]string{"draw_selected_en": "By {meeting_date}"}, panel.LangEnglish); panel.ErrorCode(err) != panel.EINVALID ||
		!strings.HasPrefix(panel.ErrorMessage(err), "templates.draw_selected_en: ") {
		t.Errorf("bad English override: got %v, want EINVALID naming templates.draw_selected_en", err)
	}
}
