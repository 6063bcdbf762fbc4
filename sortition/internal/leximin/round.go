package leximin

import (
	"errors"
	"fmt"
	"math"
)

// roundTol is how close to an integer a scaled panel weight must be to count
// as integral.
const roundTol = 1e-9

// Round rounds l to a uniform lottery over exactly m panels (each of weight
// 1/m), returned in a deterministic order (panels in the order of l.Panels,
// each repeated as often as it was rounded to), such that each type's
// per-person probability stays close to l.Prob. maxDeviation is the largest
// |rounded - exact| per-person probability.
//
// The method follows Flanigan, Kehne and Procaccia (NeurIPS 2021) in taking
// each panel of the support floor(m·w) or ceil(m·w) times. The start is a
// derandomised pipage (dependent) rounding of the scaled weights
// m·Weights[i]: integer parts are kept; the fractional parts are settled two
// panels at a time by moving weight between them, in whichever direction
// keeps the largest per-type deviation smaller. Every step keeps the total
// weight at m, so exactly m panels result. A local search (improveCounts)
// then moves single copies between panels while that lowers the largest
// deviation. No randomness is used. (An integer program over the support,
// minimising the largest deviation, found nothing better on any reference
// or generated pool once lotteries came from the relaxation, and took up to
// minutes: it was removed.)
func Round(l *Lottery, in *Instance, m int) (panels []Panel, maxDeviation float64, err error) {
	if m <= 0 {
		return nil, 0, fmt.Errorf("leximin: round to %d panels: must be positive", m)
	}
	if len(l.Panels) != len(l.Weights) || len(l.Prob) != len(in.Types) {
		return nil, 0, errors.New("leximin: round: lottery does not match the instance")
	}
	nt := len(in.Types)
	sum := 0.0
	for _, w := range l.Weights {
		if w < 0 || math.IsNaN(w) {
			return nil, 0, fmt.Errorf("leximin: round: weight %v is not valid", w)
		}
		sum += w
	}
	if sum <= 0 {
		return nil, 0, errors.New("leximin: round: weights sum to zero")
	}
	x := make([]float64, len(l.Panels)) // scaled weights being rounded
	for i, w := range l.Weights {
		x[i] = w / sum * float64(m)
	}
	// dev[t]: (rounded - exact) per-person probability of type t, times m.
	dev := make([]float64, nt)
	frac := func(v float64) bool {
		f := v - math.Floor(v)
		return f > roundTol && f < 1-roundTol
	}
	// worstAfter returns the largest |dev| if delta moves from panel b to panel a.
	worstAfter := func(a, b int, delta float64) float64 {
		worst := 0.0
		for t := range nt {
			c := float64(in.Types[t].Count)
			if c == 0 {
				continue
			}
			d := dev[t] + delta*float64(l.Panels[a][t]-l.Panels[b][t])/c
			worst = math.Max(worst, math.Abs(d))
		}
		return worst
	}
	move := func(a, b int, delta float64) {
		x[a] += delta
		x[b] -= delta
		for t := range nt {
			if c := float64(in.Types[t].Count); c > 0 {
				dev[t] += delta * float64(l.Panels[a][t]-l.Panels[b][t]) / c
			}
		}
	}
	cur := -1
	for j := range x {
		if !frac(x[j]) {
			continue
		}
		if cur < 0 {
			cur = j
			continue
		}
		fc, fj := x[cur]-math.Floor(x[cur]), x[j]-math.Floor(x[j])
		up := math.Min(1-fc, fj)   // cur rounds up, j gives
		down := math.Min(fc, 1-fj) // j rounds up, cur gives
		if worstAfter(cur, j, up) <= worstAfter(j, cur, down) {
			move(cur, j, up)
		} else {
			move(j, cur, down)
		}
		if !frac(x[cur]) {
			cur = j
		}
	}
	total := 0
	counts := make([]int, len(x))
	for i, v := range x {
		counts[i] = int(math.Round(v))
		total += counts[i]
	}
	if total != m {
		return nil, 0, fmt.Errorf("leximin: round: %d panels instead of %d (weights do not sum to 1)", total, m)
	}
	improveCounts(l, in, m, counts, 10*m)
	for i, k := range counts {
		for range k {
			panels = append(panels, l.Panels[i])
		}
	}
	w := make([]float64, len(panels))
	for i := range w {
		w[i] = 1 / float64(m)
	}
	got := Marginals(panels, w, in)
	for t := range got {
		maxDeviation = math.Max(maxDeviation, math.Abs(got[t]-l.Prob[t]))
	}
	return panels, maxDeviation, nil
}
