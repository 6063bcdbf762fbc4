package reminder_test

import (
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
)

// oslo loads Europe/Oslo or skips the test.
func oslo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

func mustPolicy(t testing.TB, s string) panel.ReminderPolicy {
	t.Helper()
	p, err := panel.ParseReminderPolicy(s)
	if err != nil {
		t.Fatalf("ParseReminderPolicy(%q): %v", s, err)
	}
	return p
}

func mustQuiet(t testing.TB, s string) panel.QuietHours {
	t.Helper()
	q, err := panel.ParseQuietHours(s)
	if err != nil {
		t.Fatalf("ParseQuietHours(%q): %v", s, err)
	}
	return q
}

func TestDueTimes(t *testing.T) {
	t.Parallel()
	loc := oslo(t)
	local := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, loc) }
	tests := []struct {
		name    string
		start   time.Time
		policy  string
		quiet   string
		want    []string // RFC 3339 in Oslo time, with the offset
		wantUTC []string // optional: the same instants in UTC
	}{
		{
			name: "reference meeting, default policy", start: local(2026, 11, 25, 18, 0), quiet: "20:00-08:00",
			want: []string{"2026-11-18T12:00:00+01:00", "2026-11-24T12:00:00+01:00"},
		},
		{
			name: "January meeting across the new year", start: local(2027, 1, 20, 18, 0), quiet: "20:00-08:00",
			want: []string{"2027-01-13T12:00:00+01:00", "2027-01-19T12:00:00+01:00"},
		},
		{
			name: "spring forward between the reminders keeps 12:00 local", start: local(2026, 3, 30, 18, 0), quiet: "20:00-08:00",
			want:    []string{"2026-03-23T12:00:00+01:00", "2026-03-29T12:00:00+02:00"},
			wantUTC: []string{"2026-03-23T11:00:00Z", "2026-03-29T10:00:00Z"},
		},
		{
			name: "fall back between the reminders keeps 12:00 local", start: local(2026, 10, 26, 18, 0), quiet: "20:00-08:00",
			want:    []string{"2026-10-19T12:00:00+02:00", "2026-10-25T12:00:00+01:00"},
			wantUTC: []string{"2026-10-19T10:00:00Z", "2026-10-25T11:00:00Z"},
		},
		{
			name: "meeting on the spring-forward day", start: local(2026, 3, 29, 18, 0), policy: "1d@12:00,0d@09:00", quiet: "",
			want: []string{"2026-03-28T12:00:00+01:00", "2026-03-29T09:00:00+02:00"},
		},
		{
			name: "reminder in quiet hours moves to their end", start: local(2026, 12, 2, 18, 0), policy: "1d@21:30", quiet: "20:00-08:00",
			want: []string{"2026-12-02T08:00:00+01:00"},
		},
		{
			name: "early morning reminder in quiet hours moves to the same morning", start: local(2026, 12, 2, 18, 0), policy: "0d@06:00", quiet: "20:00-08:00",
			want: []string{"2026-12-02T08:00:00+01:00"},
		},
		{
			name: "quiet hours off", start: local(2026, 12, 2, 18, 0), policy: "1d@21:30", quiet: "",
			want: []string{"2026-12-01T21:30:00+01:00"},
		},
		{
			name: "moved past the meeting is dropped", start: local(2026, 12, 2, 7, 30), policy: "0d@06:00,1d@12:00", quiet: "20:00-08:00",
			want: []string{"2026-12-01T12:00:00+01:00"},
		},
		{
			name: "at or after the meeting is dropped", start: local(2026, 12, 2, 12, 0), policy: "0d@12:00,0d@13:00", quiet: "",
			want: nil,
		},
		{
			name: "no reminders", start: local(2026, 12, 2, 18, 0), policy: "none", quiet: "",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &panel.Meeting{ID: 1, StartsAt: tt.start.UTC()}
			got := reminder.DueTimes(m, mustPolicy(t, tt.policy), mustQuiet(t, tt.quiet), loc)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d reminders %v, want %d %v", len(got), got, len(tt.want), tt.want)
			}
			for i, d := range got {
				if s := d.At.In(loc).Format(time.RFC3339); s != tt.want[i] {
					t.Errorf("reminder %d (%s): got %s, want %s", i, d.Kind, s, tt.want[i])
				}
				if tt.wantUTC != nil {
					if s := d.At.UTC().Format(time.RFC3339); s != tt.wantUTC[i] {
						t.Errorf("reminder %d (%s): got %s UTC, want %s", i, d.Kind, s, tt.wantUTC[i])
					}
				}
			}
		})
	}
	t.Run("cancelled meeting", func(t *testing.T) {
		now := time.Now()
		m := &panel.Meeting{StartsAt: local(2026, 12, 2, 18, 0), CancelledAt: &now}
		if got := reminder.DueTimes(m, mustPolicy(t, ""), panel.QuietHours{Off: true}, loc); len(got) != 0 {
			t.Errorf("got %v, want no reminders", got)
		}
	})
}

func TestPlan(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	d7 := reminder.Due{Kind: "7d@12:00", At: time.Date(2026, 11, 18, 11, 0, 0, 0, time.UTC)}
	d1 := reminder.Due{Kind: "1d@12:00", At: time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)}
	dues := []reminder.Due{d7, d1}
	const grace, lead = 5 * time.Minute, 2 * time.Hour
	type want struct {
		kind   string
		send   bool
		reason string
	}
	tests := []struct {
		name string
		now  time.Time
		want []want
	}{
		{"before the first", d7.At.Add(-time.Minute), nil},
		{"first on time", d7.At, []want{{"7d@12:00", true, ""}}},
		{"first within grace", d7.At.Add(grace), []want{{"7d@12:00", true, ""}}},
		{"first missed, sent late", d7.At.Add(48 * time.Hour), []want{{"7d@12:00", true, ""}}},
		{"second on time supersedes the first", d1.At, []want{{"7d@12:00", false, reminder.SkipSuperseded}, {"1d@12:00", true, ""}}},
		{"second missed, still 2 hours ahead", start.Add(-lead), []want{{"7d@12:00", false, reminder.SkipSuperseded}, {"1d@12:00", true, ""}}},
		{"second missed, too near", start.Add(-lead + time.Second), []want{{"7d@12:00", false, reminder.SkipSuperseded}, {"1d@12:00", false, reminder.SkipTooLate}}},
		{"meeting started", start, []want{{"7d@12:00", false, reminder.SkipSuperseded}, {"1d@12:00", false, reminder.SkipTooLate}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reminder.Plan(dues, tt.now, start, grace, lead)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d decisions %+v, want %d", len(got), got, len(tt.want))
			}
			for i, d := range got {
				if w := tt.want[i]; d.Kind != w.kind || d.Send != w.send || d.SkipReason != w.reason {
					t.Errorf("decision %d: got %s send=%t reason=%q, want %s send=%t reason=%q", i, d.Kind, d.Send, d.SkipReason, w.kind, w.send, w.reason)
				}
			}
		})
	}
	t.Run("on time even when the meeting is near", func(t *testing.T) {
		near := reminder.Due{Kind: "0d@16:00", At: start.Add(-time.Hour)}
		got := reminder.Plan([]reminder.Due{near}, near.At.Add(time.Minute), start, grace, lead)
		if len(got) != 1 || !got[0].Send {
			t.Errorf("got %+v, want it sent", got)
		}
	})
}

func BenchmarkDueTimes(b *testing.B) {
	loc := oslo(b)
	m := &panel.Meeting{StartsAt: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)}
	p, q := mustPolicy(b, ""), mustQuiet(b, "20:00-08:00")
	for b.Loop() {
		reminder.DueTimes(m, p, q, loc)
	}
}
