package reminder_test

import (
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/smstext"
)

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
		{"override", map[string]string{smstext.MeetingReminder.Key: "Husk {meeting_title} {meeting_time}"}, "", "Husk Samling 1 18:00", ""},
		{"override writing kl. once", map[string]string{smstext.MeetingReminder.Key: "Husk {meeting_title} kl. {meeting_time}"}, "", "Husk Samling 1 kl. 18:00", ""},
		{"unknown placeholder", map[string]string{smstext.MeetingChanged.Key: "Ny tid {when}"}, "", "", "templates.meeting_changed: "},
		{"too long", map[string]string{smstext.MeetingCancelled.Key: strings.Repeat("avlyst ", 60)}, "", "", "templates.meeting_cancelled: text needs 3 SMS segments"},
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
