package leximin

import (
	"math"
	"testing"
)

func TestSmootherMovesTowardsLatestDuals(t *testing.T) {
	// Two types of one person each, one seat, no quotas: the oracle picks
	// the heavier type.
	in := &Instance{Seats: 1, Min: []int{0}, Max: []int{1}, Types: []Type{{Features: []int{0}, Count: 1}, {Count: 1}}}
	orc := newOracle(in)
	s := newSmoother(2)
	s.reset([]float64{1, 0}, 0.5)
	cases := []struct {
		name   string
		latest []float64 // the master's latest duals' weights (cap 0.5)
		wantW  []float64
		want   Panel // nil: no panel beats the cap
	}{
		// Each call moves the point by (1-smoothing) of the gap to the latest duals.
		{"towards type 1", []float64{0, 1}, []float64{smoothing, 1 - smoothing}, Panel{0, 1}},
		{"below the cap", []float64{0.2, 0.2},
			[]float64{smoothing*smoothing + (1-smoothing)*0.2, smoothing*(1-smoothing) + (1-smoothing)*0.2}, nil},
	}
	for _, tc := range cases {
		s.observe(tc.latest, 0.5)
		got := s.price(orc)
		if got.err != nil {
			t.Fatalf("%s: %v", tc.name, got.err)
		}
		for k := range tc.wantW {
			if math.Abs(s.w[k]-tc.wantW[k]) > 1e-12 {
				t.Errorf("%s: got point %v, want %v", tc.name, s.w, tc.wantW)
			}
		}
		if s.cap != 0.5 {
			t.Errorf("%s: got cap %v, want 0.5", tc.name, s.cap)
		}
		if !equalPanel(got.panel, tc.want) {
			t.Errorf("%s: got panel %v, want %v", tc.name, got.panel, tc.want)
		}
	}
}

func equalPanel(a, b Panel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestImproves(t *testing.T) {
	w := []float64{0.5, 0.25}
	cases := []struct {
		name string
		pn   Panel
		cut  float64
		want bool
	}{
		{"no panel", nil, 0, false},
		{"above the cut", Panel{1, 1}, 0.7, true},
		{"at the cut", Panel{1, 1}, 0.75, false},
		{"below the cut", Panel{0, 2}, 0.6, false},
	}
	for _, tc := range cases {
		if got := improves(tc.pn, w, tc.cut); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
