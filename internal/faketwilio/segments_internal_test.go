package faketwilio

import (
	"strings"
	"testing"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want int
	}{
		{name: "empty", body: "", want: 1},
		{name: "short gsm", body: "Hei! Svar JA eller NEI.", want: 1},
		{name: "norwegian letters stay gsm", body: strings.Repeat("æøå", 53) + "x", want: 1}, // 160
		{name: "161 gsm", body: strings.Repeat("a", 161), want: 2},
		{name: "306 gsm", body: strings.Repeat("a", 306), want: 2},
		{name: "307 gsm", body: strings.Repeat("a", 307), want: 3},
		{name: "extension counts twice", body: strings.Repeat("€", 80), want: 1},
		{name: "extension over", body: strings.Repeat("€", 81), want: 2},
		{name: "curly quote switches to ucs2", body: "“" + strings.Repeat("a", 69), want: 1},
		{name: "ucs2 over 70", body: "“" + strings.Repeat("a", 70), want: 2},
		{name: "emoji counts two units", body: "🙂" + strings.Repeat("a", 68), want: 1},
		{name: "emoji over", body: "🙂" + strings.Repeat("a", 69), want: 2},
	}
	for _, tt := range tests {
		if got := segments(tt.body); got != tt.want {
			t.Errorf("%s: got %d segments, want %d", tt.name, got, tt.want)
		}
	}
}

func TestOutcomeRatesPick(t *testing.T) {
	t.Parallel()
	r := OutcomeRates{Undelivered: 0.3, Failed: 0.1}
	tests := []struct {
		u    float64
		want Outcome
	}{
		{0, Failed}, {0.099, Failed}, {0.1, Undelivered30003}, {0.25, Undelivered30005},
		{0.35, Undelivered30006}, {0.4, Delivered}, {0.999, Delivered},
	}
	for _, tt := range tests {
		if got := r.pick(tt.u); got != tt.want {
			t.Errorf("pick(%v): got %v, want %v", tt.u, got, tt.want)
		}
	}
}
