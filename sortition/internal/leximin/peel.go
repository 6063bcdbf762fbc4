package leximin

import (
	"math"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// Tolerances of the decomposition into panels.
const (
	// peelTol (in expected people) is how close to a bound an expected
	// count or a row's activity must be to count as on it.
	peelTol = 1e-9
	// peelRest is the weight left undecomposed at which the decomposition
	// stops: dropping it moves no probability by more than this.
	peelRest = 1e-10
	// peelDrop is the weight left that may be dropped when its face holds
	// no panel: by then the residual is mostly round-off.
	peelDrop = 1e-8
	// pivotTol is the relative size below which a pivot of the
	// projection's normal equations marks a dependent row.
	pivotTol = 1e-10
	// peelAccuracy is how far the lottery's probabilities may be from the
	// relaxation's leximin point for the lottery to be taken as exact.
	peelAccuracy = 1e-7
)

// peeler writes a point of the relaxation as a lottery over panels, one
// panel at a time (Carathéodory's construction): with x on a face of the
// relaxation, it finds a panel v on the same face (the oracle's integer
// program with the face's bounds and rows made equalities) and moves x away
// from v, to x' = x + θ(x − v) with the largest θ that keeps x' in the
// relaxation. Then x = x'/(1+θ) + v·θ/(1+θ), and x' lies on a smaller face,
// so at most one panel per dimension is needed. The step ends at a
// panel-shaped point, or when the weight left is below peelRest. It fails
// when a face holds no panel while more than peelDrop is left: then the
// point, or the part of it left, is not a lottery's marginals (or the order
// of the steps led there), and the caller computes the lottery otherwise.
//
// Each step projects the point onto its face (snapping values within
// peelTol of a bound, then the least change of the free values that puts
// the face's rows exactly on their bounds), so round-off does not grow with
// 1/(weight left).
type peeler struct {
	in    *Instance
	rows  []solver.Row // the oracle's rows over type indices: quotas, seats, households
	ofTyp [][]int      // per type: the rows it is in
	orc   *oracle
	done  <-chan struct{}
}

func newPeeler(in *Instance, done <-chan struct{}) *peeler {
	orc := newOracle(in)
	orc.done = done
	pl := &peeler{in: in, rows: orc.prob.Rows, ofTyp: make([][]int, len(in.Types)), orc: orc, done: done}
	for i, r := range pl.rows {
		for _, t := range r.Index {
			pl.ofTyp[t] = append(pl.ofTyp[t], i)
		}
	}
	return pl
}

// peel decomposes x (expected people per type). ok is false when a face
// held no panel. progress, when not nil, is called after every panel with
// the panels and weights so far.
func (pl *peeler) peel(x []float64, progress func(panels []Panel, weights []float64)) (panels []Panel, weights []float64, ok bool, err error) {
	in := pl.in
	nt := len(in.Types)
	cur := append([]float64(nil), x...)
	v := make([]float64, nt)
	act := make([]float64, len(pl.rows))
	tight := make([]bool, len(pl.rows))
	free := make([]bool, nt)
	lo, up := make([]float64, nt), make([]float64, nt)
	rlo, rup := make([]float64, len(pl.rows)), make([]float64, len(pl.rows))
	rest := 1.0
	lp, err := pl.orc.solverLP()
	if err != nil {
		return nil, nil, false, err
	}
	for step := 0; step <= nt+1; step++ {
		select {
		case <-pl.done:
			return nil, nil, false, errInterrupted
		default:
		}
		pl.project(cur, free, tight, act)
		// The face: values on a bound stay there, tight rows are equalities.
		for t := range nt {
			c := float64(in.Types[t].Count)
			lo[t], up[t] = 0, c
			if !free[t] {
				lo[t], up[t] = cur[t], cur[t]
			}
			// Prefer the people most likely to be chosen: moving away
			// from a panel that has them is what lowers their share.
			w := 0.0
			if c > 0 {
				w = cur[t] / c
			}
			lp.SetObjective(t, w)
		}
		for i, r := range pl.rows {
			rlo[i], rup[i] = r.Lower, r.Upper
			if tight[i] {
				b := nearest(act[i], r.Lower, r.Upper)
				rlo[i], rup[i] = b, b
			}
		}
		if err := lp.SetAllBounds(lo, up, rlo, rup); err != nil {
			return nil, nil, false, err
		}
		sol, err := lp.BranchAndBound(pl.orc.prob.Integer, solver.MIPOptions{StopAfter: 1})
		if err != nil {
			return nil, nil, false, err
		}
		switch sol.Status {
		case solver.Interrupted:
			return nil, nil, false, errInterrupted
		case solver.Optimal:
		default:
			// No panel on this face. With little weight left that is
			// round-off in the residual, which is then dropped.
			return panels, weights, rest <= peelDrop, nil
		}
		pn := make(Panel, nt)
		for t := range nt {
			pn[t] = int(math.Round(sol.X[t]))
			v[t] = float64(pn[t])
		}
		theta := pl.stepLength(cur, v, free, tight, act)
		if math.IsInf(theta, 1) {
			// x is this panel.
			panels = append(panels, pn)
			weights = append(weights, rest)
			return panels, weights, true, nil
		}
		panels = append(panels, pn)
		weights = append(weights, rest*theta/(1+theta))
		rest /= 1 + theta
		for t := range nt {
			if free[t] {
				cur[t] += theta * (cur[t] - v[t])
			}
		}
		if progress != nil {
			progress(panels, weights)
		}
		if rest <= peelRest {
			return panels, weights, true, nil
		}
	}
	return panels, weights, false, nil
}

// nearest returns whichever of lo and up is closer to a.
func nearest(a, lo, up float64) float64 {
	if math.Abs(a-lo) <= math.Abs(a-up) {
		return lo
	}
	return up
}

// stepLength returns the largest θ with cur + θ(cur − v) within the bounds
// of the free values and of the rows that are not tight (+Inf when v = cur).
func (pl *peeler) stepLength(cur, v []float64, free, tight []bool, act []float64) float64 {
	theta := math.Inf(1)
	for t, x := range cur {
		if !free[t] {
			continue
		}
		c := float64(pl.in.Types[t].Count)
		switch d := x - v[t]; {
		case d > 0:
			theta = math.Min(theta, (c-x)/d)
		case d < 0:
			theta = math.Min(theta, x/-d)
		}
	}
	for i, r := range pl.rows {
		if tight[i] {
			continue
		}
		b := 0.0
		for _, t := range r.Index {
			b += v[t]
		}
		switch d := act[i] - b; {
		case d > 0 && !math.IsInf(r.Upper, 1):
			theta = math.Min(theta, math.Max(0, r.Upper-act[i])/d)
		case d < 0:
			theta = math.Min(theta, math.Max(0, act[i]-r.Lower)/-d)
		}
	}
	return theta
}

// project puts cur on its face: values within peelTol of a bound onto it
// (free[t] false), the rows within peelTol of a bound tight, and then the
// smallest change of the free values that makes every tight row's activity
// equal its bound. act gets the rows' activities after the change.
func (pl *peeler) project(cur []float64, free, tight []bool, act []float64) {
	for t, x := range cur {
		c := float64(pl.in.Types[t].Count)
		switch {
		case x <= peelTol:
			cur[t], free[t] = 0, false
		case x >= c-peelTol:
			cur[t], free[t] = c, false
		default:
			free[t] = true
		}
	}
	pl.activities(cur, act)
	// The tight rows and their residuals.
	var rows []int
	var res []float64
	for i, r := range pl.rows {
		tight[i] = act[i] <= r.Lower+peelTol || act[i] >= r.Upper-peelTol
		if tight[i] {
			rows = append(rows, i)
			res = append(res, nearest(act[i], r.Lower, r.Upper)-act[i])
		}
	}
	if len(rows) == 0 {
		return
	}
	// Least-norm correction: Δ = Aᵀμ with (A Aᵀ)μ = res, A the tight rows
	// restricted to the free values (all coefficients are 1).
	pos := make([]int, len(pl.rows))
	for k, i := range rows {
		pos[i] = k + 1
	}
	m := len(rows)
	g := make([]float64, m*m)
	for t := range cur {
		if !free[t] {
			continue
		}
		rs := pl.ofTyp[t]
		for _, i := range rs {
			if pos[i] == 0 {
				continue
			}
			for _, j := range rs {
				if pos[j] != 0 {
					g[(pos[i]-1)*m+pos[j]-1]++
				}
			}
		}
	}
	mu := solveSemidefinite(g, res, m)
	for t := range cur {
		if !free[t] {
			continue
		}
		d := 0.0
		for _, i := range pl.ofTyp[t] {
			if pos[i] != 0 {
				d += mu[pos[i]-1]
			}
		}
		if d != 0 {
			c := float64(pl.in.Types[t].Count)
			cur[t] = math.Min(math.Max(cur[t]+d, 0), c)
			if cur[t] <= peelTol || cur[t] >= c-peelTol {
				// Pushed onto a bound: it stays there.
				cur[t], free[t] = math.Round(cur[t]/c)*c, false
			}
		}
	}
	pl.activities(cur, act)
}

// activities sets act to the rows' activities at x.
func (pl *peeler) activities(x, act []float64) {
	for i, r := range pl.rows {
		s := 0.0
		for _, t := range r.Index {
			s += x[t]
		}
		act[i] = s
	}
}

// solveSemidefinite solves g·μ = b for the symmetric positive semidefinite
// m×m matrix g (row-major, overwritten) by Cholesky factorisation, taking
// μ_k = 0 for the rows that depend on earlier ones (a pivot below pivotTol
// of its diagonal): the right-hand side, residuals of consistent
// equalities, then has no component there beyond round-off.
func solveSemidefinite(g, b []float64, m int) []float64 {
	skip := make([]bool, m)
	for k := range m {
		d := g[k*m+k]
		for j := range k {
			if !skip[j] {
				d -= g[k*m+j] * g[k*m+j]
			}
		}
		if d <= pivotTol*math.Max(1, g[k*m+k]) {
			skip[k] = true
			continue
		}
		d = math.Sqrt(d)
		g[k*m+k] = d
		for i := k + 1; i < m; i++ {
			s := g[i*m+k]
			for j := range k {
				if !skip[j] {
					s -= g[i*m+j] * g[k*m+j]
				}
			}
			g[i*m+k] = s / d
		}
	}
	// Forward then backward substitution over the kept rows.
	y := make([]float64, m)
	for i := range m {
		if skip[i] {
			continue
		}
		s := b[i]
		for j := range i {
			if !skip[j] {
				s -= g[i*m+j] * y[j]
			}
		}
		y[i] = s / g[i*m+i]
	}
	mu := make([]float64, m)
	for i := m - 1; i >= 0; i-- {
		if skip[i] {
			continue
		}
		s := y[i]
		for j := i + 1; j < m; j++ {
			if !skip[j] {
				s -= g[j*m+i] * mu[j]
			}
		}
		mu[i] = s / g[i*m+i]
	}
	return mu
}
