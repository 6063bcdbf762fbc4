package smstext_test

import (
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/smstext"
)

func TestFormatDateAndTime(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
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
			if got := smstext.FormatDate(tt.at, ref, loc); got != tt.wantDate {
				t.Errorf("got date %q, want %q", got, tt.wantDate)
			}
			if got := smstext.FormatTime(tt.at, loc); got != tt.wantTime {
				t.Errorf("got time %q, want %q", got, tt.wantTime)
			}
		})
	}
}
