package sortition_test

import (
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// TestRoundingWithinBound checks the rounding of the reference pools to
// m = 1000 panels: every published probability within 2.5/m of the optimum
// (the local search's target; the documented, verified bound is
// RoundingBound = 3/m), as recorded in max_deviation.
func TestRoundingWithinBound(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("leximin and rounding of the reference pools")
	}
	type pool struct {
		name  string
		load  func() (*sortition.Pool, []sortition.Quota)
		seats int
	}
	var pools []pool
	for _, households := range []bool{false, true} {
		name := "synthetic_370_50"
		if households {
			name += "_households"
		}
		pools = append(pools, pool{name, func() (*sortition.Pool, []sortition.Quota) { return synthInstance(t, 370, 50, households, 2026) }, 50})
	}
	for _, in := range instances {
		pools = append(pools, pool{in.name, func() (*sortition.Pool, []sortition.Quota) { return load(t, in) }, in.seats})
	}
	for _, p := range pools {
		t.Run(p.name, func(t *testing.T) {
			pl, quotas := p.load()
			rec := prepare(t, pl, quotas, sortition.Params{Seats: p.seats})
			t.Logf("max_deviation %.6f = %.3f/m", rec.MaxDeviation, rec.MaxDeviation*float64(rec.PanelsCount))
			if rec.MaxDeviation > 2.5/float64(rec.PanelsCount) {
				t.Errorf("max_deviation %.6f, want at most 2.5/m = %.6f", rec.MaxDeviation, 2.5/float64(rec.PanelsCount))
			}
			mustVerify(t, rec)
		})
	}
}
