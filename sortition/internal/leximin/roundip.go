package leximin

import (
	"math"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// roundNodeLimit bounds the branch-and-bound nodes of roundIP, so that the
// rounding takes seconds and stays deterministic (no clock).
const roundNodeLimit = 100

// roundIPTypes is the most types for which Round runs roundIP: its LP has
// two rows per type on a dense basis, so on larger pools it takes minutes
// (147 s on the 273 types and 256 panels of the newDemocracy instance),
// while the local search alone stays within 1.5/m there and within 2.3/m
// on generated pools of 825 to 4,000 people.
const roundIPTypes = 200

// roundIP looks for counts n_i in {floor(x_i), ceil(x_i)} with sum m whose
// largest per-type deviation |sum_i n_i·Panels[i][t]/Count_t − m·Prob[t]|/m
// is smaller than that of start (the pipage rounding). The integer program
// has a 0/1 variable per panel with fractional x_i (taken ceil rather than
// floor) and D = m × the largest deviation, and minimises D; branch and
// bound is cut off at start's value, so it returns only strictly better
// counts, or nil when it finds none within roundNodeLimit nodes.
func roundIP(l *Lottery, in *Instance, m int, x []float64, start []int) ([]int, error) {
	nt := len(in.Types)
	var frac []int
	floor := make([]int, len(x))
	for i, v := range x {
		floor[i] = int(math.Floor(v + roundTol))
		if v-float64(floor[i]) > roundTol {
			frac = append(frac, i)
		}
	}
	if len(frac) == 0 {
		return nil, nil
	}
	need := m
	for _, f := range floor {
		need -= f
	}
	// base[t] = m × deviation of type t with every panel at its floor.
	base := make([]float64, nt)
	for t := range nt {
		base[t] = -float64(m) * l.Prob[t]
	}
	for i, pn := range l.Panels {
		for t, c := range pn {
			if c != 0 && in.Types[t].Count > 0 {
				base[t] += float64(floor[i]*c) / float64(in.Types[t].Count)
			}
		}
	}
	startDev := 0.0
	for t := range nt {
		d := base[t]
		for i, pn := range l.Panels {
			if extra := start[i] - floor[i]; extra != 0 && pn[t] != 0 && in.Types[t].Count > 0 {
				d += float64(extra*pn[t]) / float64(in.Types[t].Count)
			}
		}
		startDev = math.Max(startDev, math.Abs(d))
	}
	k := len(frac)
	dvar := k // the variable D
	p := &solver.Problem{
		Objective: make([]float64, k+1),
		Lower:     make([]float64, k+1),
		Upper:     make([]float64, k+1),
		Integer:   make([]bool, k+1),
	}
	for j := range k {
		p.Upper[j] = 1
		p.Integer[j] = true
	}
	p.Objective[dvar] = -1
	p.Upper[dvar] = math.Inf(1)
	sumRow := solver.Row{Lower: float64(need), Upper: float64(need)}
	for j := range k {
		sumRow.Index = append(sumRow.Index, j)
		sumRow.Value = append(sumRow.Value, 1)
	}
	p.Rows = append(p.Rows, sumRow)
	for t := range nt {
		c := in.Types[t].Count
		if c == 0 {
			continue
		}
		var idx []int
		var val []float64
		for j, i := range frac {
			if v := l.Panels[i][t]; v != 0 {
				idx = append(idx, j)
				val = append(val, float64(v)/float64(c))
			}
		}
		// -D <= base + a·y <= D, as a·y - D <= -base and a·y + D >= -base.
		p.Rows = append(p.Rows,
			solver.Row{Index: append(append([]int(nil), idx...), dvar), Value: append(append([]float64(nil), val...), -1), Lower: math.Inf(-1), Upper: -base[t]},
			solver.Row{Index: append(append([]int(nil), idx...), dvar), Value: append(append([]float64(nil), val...), 1), Lower: -base[t], Upper: math.Inf(1)})
	}
	cutoff := -startDev * (1 - 1e-6)
	sol, err := solver.SolveMIPWith(p, solver.MIPOptions{Cutoff: &cutoff, NodeLimit: roundNodeLimit})
	if err != nil {
		return nil, err
	}
	if sol.X == nil || (sol.Status != solver.Optimal && sol.Status != solver.IterationLimit) {
		return nil, nil
	}
	out := append([]int(nil), floor...)
	total := 0
	for j, i := range frac {
		if sol.X[j] > 0.5 {
			out[i]++
		}
	}
	for _, v := range out {
		total += v
	}
	if total != m {
		return nil, nil
	}
	return out, nil
}
