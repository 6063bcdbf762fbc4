package reminder_test

import (
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/smstext"
)

func TestFormatDateAndTime(t *testing.T) {
	t.Parallel()
	loc := oslo(t)
	ref := time.Date(2026, 11, 1, 12, 0, 0, 0, loc)
	tests := []struct {
		name               string
		at                 time.Time
		wantDate, wantTime string
	}{
		{"reference 25 Nov", time.Date(2026, 11, 25, 18, 0, 0, 0, loc), "onsdag 25. november", "18:00"},
		{"2 Dec", time.Date(2026, 12, 2, 18, 0, 0, 0, loc), "onsdag 2. desember", "18:00"},
		{"next year shows the year", time.Date(2027, 1, 20, 18, 0, 0, 0, loc), "onsdag 20. januar 2027", "18:00"},
		{"UTC instant shown in Oslo", time.Date(2026, 6, 6, 22, 30, 0, 0, time.UTC), "søndag 7. juni", "00:30"},
		{"saturday in March", time.Date(2026, 3, 28, 9, 5, 0, 0, loc), "lørdag 28. mars", "09:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reminder.FormatDate(tt.at, ref, loc); got != tt.wantDate {
				t.Errorf("got date %q, want %q", got, tt.wantDate)
			}
			if got := reminder.FormatTime(tt.at, loc); got != tt.wantTime {
				t.Errorf("got time %q, want %q", got, tt.wantTime)
			}
		})
	}
}

func TestParseTexts(t *testing.T) {
	t.Parallel()
	loc := oslo(t)
	m := &panel.Meeting{ID: 1, Title: "Samling 1", StartsAt: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)}
	now := time.Date(2026, 11, 18, 11, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		templates map[string]string
		place     string
		want      string // the rendered reminder
		wantErr   string
	}{
		{"default", nil, "Rådhuset", "Påminnelse: Samling 1 er onsdag 25. november kl. 18:00. Sted: Rådhuset. Kan du ikke komme, svar KAN IKKE.", ""},
		{"no place yet", nil, "", "Påminnelse: Samling 1 er onsdag 25. november kl. 18:00. Sted: kommer senere. Kan du ikke komme, svar KAN IKKE.", ""},
		{"override", map[string]string{reminder.TemplateReminder: "Husk {meeting_title} {meeting_time}"}, "", "Husk Samling 1 18:00", ""},
		{"override writing kl. once", map[string]string{reminder.TemplateReminder: "Husk {meeting_title} kl. {meeting_time}"}, "", "Husk Samling 1 kl. 18:00", ""},
		{"unknown placeholder", map[string]string{reminder.TemplateChanged: "Ny tid {when}"}, "", "", "templates.meeting_changed: "},
		{"too long", map[string]string{reminder.TemplateCancelled: strings.Repeat("avlyst ", 60)}, "", "", "templates.meeting_cancelled: text needs 3 SMS segments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			texts, err := reminder.ParseTexts(tt.templates)
			if tt.wantErr != "" {
				if panel.ErrorCode(err) != panel.EINVALID || !strings.HasPrefix(panel.ErrorMessage(err), tt.wantErr) {
					t.Errorf("got %v, want EINVALID starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			mm := *m
			mm.Place = tt.place
			got, err := texts.Reminder.Render(reminder.Values(&mm, now, loc))
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDefaultTextsFitTwoSegments(t *testing.T) {
	t.Parallel()
	for _, text := range []string{reminder.DefaultReminderText, reminder.DefaultChangedText, reminder.DefaultCancelledText} {
		tpl, err := smstext.Parse(text, []string{smstext.MeetingTitle, smstext.MeetingDate, smstext.MeetingTime, smstext.Place})
		if err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		if err := smstext.CheckFits(tpl, nil, reminder.MaxSegments); err != nil {
			t.Errorf("%q: got %v, want it to fit in %d segments", text, err, reminder.MaxSegments)
		}
	}
}
