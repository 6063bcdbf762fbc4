package sender

import (
	"math"
	"testing"
	"time"
)

func TestBucketSpacesTakers(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	tests := []struct {
		name  string
		rate  float64
		burst int
		at    []time.Duration // when each take happens, after t0
		want  []time.Duration // the wait each gets
	}{
		{"rate 10, burst 1, all at once", 10, 1, []time.Duration{0, 0, 0, 0}, []time.Duration{0, 100 * ms, 200 * ms, 300 * ms}},
		{"rate 10, burst 3, all at once", 10, 3, []time.Duration{0, 0, 0, 0, 0}, []time.Duration{0, 0, 0, 100 * ms, 200 * ms}},
		{"takers spaced by the rate wait nothing", 2, 1, []time.Duration{0, 500 * ms, 1000 * ms}, []time.Duration{0, 0, 0}},
		{"refill is capped at the burst", 2, 2, []time.Duration{0, 10 * time.Second, 10 * time.Second, 10 * time.Second}, []time.Duration{0, 0, 0, 500 * ms}},
		{"burst above rate is clamped to rate", 2, 10, []time.Duration{0, 0, 0}, []time.Duration{0, 0, 500 * ms}},
		{"no limit", math.Inf(1), 1, []time.Duration{0, 0, 0}, []time.Duration{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBucket(tt.rate, tt.burst)
			for i, at := range tt.at {
				if got := b.take(t0.Add(at)); got != tt.want[i] {
					t.Errorf("take %d: got wait %s, want %s", i+1, got, tt.want[i])
				}
			}
		})
	}
}

func TestQuietUntil(t *testing.T) {
	t.Parallel()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	evening := quietHours(t, "20:00-08:00")
	lunch := quietHours(t, "12:00-13:00")
	at := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, oslo) }
	tests := []struct {
		name      string
		spec      string
		t         time.Time
		wantQuiet bool
		wantEnd   time.Time
	}{
		{"evening ends next morning", "evening", at(25, 21, 0), true, at(26, 8, 0)},
		{"early morning ends the same morning", "evening", at(26, 3, 0), true, at(26, 8, 0)},
		{"day is not quiet", "evening", at(25, 12, 0), false, time.Time{}},
		{"lunch", "lunch", at(25, 12, 30), true, at(25, 13, 0)},
		{"UTC input is read in Oslo", "evening", time.Date(2026, 11, 25, 19, 30, 0, 0, time.UTC), true, at(26, 8, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := evening
			if tt.spec == "lunch" {
				q = lunch
			}
			end, quiet := quietUntil(q, tt.t, oslo)
			if quiet != tt.wantQuiet || !end.Equal(tt.wantEnd) {
				t.Errorf("got %v %t, want %v %t", end, quiet, tt.wantEnd, tt.wantQuiet)
			}
		})
	}
}

func TestBackoffFullJitterBounds(t *testing.T) {
	t.Parallel()
	b := &backoff{rng: testRand(), base: time.Second, max: 30 * time.Second}
	tests := []struct {
		name             string
		attempt          int
		floor            time.Duration
		wantMin, wantMax time.Duration
	}{
		{"first retry", 1, 0, 0, time.Second},
		{"third retry", 3, 0, 0, 4 * time.Second},
		{"capped", 20, 0, 0, 30 * time.Second},
		{"retry-after is a floor", 1, 5 * time.Second, 5 * time.Second, 5 * time.Second},
		{"huge attempt does not overflow", 500, 0, 0, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lo, hi time.Duration = math.MaxInt64, 0
			for range 2000 {
				d := b.delay(tt.attempt, tt.floor)
				lo, hi = min(lo, d), max(hi, d)
			}
			if lo < tt.wantMin || hi > tt.wantMax {
				t.Errorf("got delays in [%s, %s], want within [%s, %s]", lo, hi, tt.wantMin, tt.wantMax)
			}
			if tt.wantMax > tt.wantMin && hi-lo < (tt.wantMax-tt.wantMin)/2 {
				t.Errorf("got delays in [%s, %s], want them spread over [%s, %s]", lo, hi, tt.wantMin, tt.wantMax)
			}
		})
	}
}
