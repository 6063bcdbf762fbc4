package reminder

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// TestPlanOverdue: what happens to each reminder of a meeting created at
// now, with and without send_overdue.
func TestPlanOverdue(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	policy, err := panel.ParseReminderPolicy("7d@12:00,1d@12:00")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 25, 18, 0, 0, 0, loc)
	tests := []struct {
		name string
		now  time.Time
		send bool
		want []string // "kind action" per reminder
	}{
		{"nothing overdue", time.Date(2026, 11, 10, 9, 0, 0, 0, loc), false, []string{"7d@12:00 scheduled", "1d@12:00 scheduled"}},
		{"7-day overdue, not sent", time.Date(2026, 11, 22, 9, 0, 0, 0, loc), false, []string{"7d@12:00 skip", "1d@12:00 scheduled"}},
		{"7-day overdue, sent", time.Date(2026, 11, 22, 9, 0, 0, 0, loc), true, []string{"7d@12:00 send_now", "1d@12:00 scheduled"}},
		{"both overdue, the latest sent", time.Date(2026, 11, 25, 9, 0, 0, 0, loc), true, []string{"7d@12:00 superseded", "1d@12:00 send_now"}},
		{"both overdue, too near", time.Date(2026, 11, 25, 17, 0, 0, 0, loc), true, []string{"7d@12:00 superseded", "1d@12:00 too_late"}},
		{"both overdue, not sent", time.Date(2026, 11, 25, 9, 0, 0, 0, loc), false, []string{"7d@12:00 skip", "1d@12:00 skip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Scheduler{cfg: Config{Location: loc, Now: func() time.Time { return tt.now }}.WithDefaults()}
			p := s.plan(&panel.Meeting{Title: "Samling", StartsAt: start}, panel.ReminderSettings{Policy: policy}, 7, 2, tt.send)
			var got []string
			overdue := 0
			for _, pl := range p.Schedule {
				got = append(got, fmt.Sprintf("%s %s", pl.Kind, pl.Action))
				if pl.Overdue {
					overdue++
				}
				if pl.Members != 7 {
					t.Errorf("%s: got %d members, want 7", pl.Kind, pl.Members)
				}
			}
			if !slices.Equal(got, tt.want) || len(p.Overdue) != overdue || p.AwaitingConfirmation != 2 {
				t.Errorf("got %q with %d overdue listed (%d marked), awaiting %d; want %q", got, len(p.Overdue), overdue, p.AwaitingConfirmation, tt.want)
			}
		})
	}
}
