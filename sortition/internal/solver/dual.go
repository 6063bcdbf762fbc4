package solver

import "math"

// dualResult is the outcome of a dual simplex run.
type dualResult int

const (
	dualOptimal    dualResult = iota // primal and dual feasible
	dualInfeasible                   // the primal has no feasible point
	dualCutoff                       // the objective bound fell to the cutoff
	dualGiveUp                       // not dual feasible, or iteration limit: use the primal method
)

// dualCand is a candidate entering variable of the dual ratio test.
type dualCand struct {
	j    int
	a, r float64
}

// computePi sets lp.pi from the phase-2 costs of the basic variables.
func (lp *LP) computePi() {
	for k, j := range lp.head {
		lp.cb[k] = 0
		if j < lp.n {
			lp.cb[k] = lp.obj[j]
		}
	}
	m := lp.m
	for i := range lp.pi {
		lp.pi[i] = 0
	}
	for k, c := range lp.cb {
		if c == 0 {
			continue
		}
		row := lp.binv[k*m : k*m+m]
		for i, v := range row {
			lp.pi[i] += c * v
		}
	}
}

// dualSimplex re-optimises after bound changes with the bounded dual simplex
// method, which keeps the reduced costs optimal and restores primal
// feasibility. It stops early once the objective, an upper bound on the LP
// optimum while the primal is infeasible, is at most cutoff.
func (lp *LP) dualSimplex(cutoff float64) dualResult {
	if lp.stale || lp.updates >= lp.refactorLimit() {
		lp.refactor()
	}
	lp.computePi()
	lp.reducedCosts()
	// Put every nonbasic variable on the bound its reduced cost prefers.
	for j := 0; j < lp.n+lp.m; j++ {
		st := lp.stat[j]
		if st == basic || lp.lo[j] == lp.up[j] {
			continue
		}
		d := lp.dj[j]
		switch {
		case d > OptTol && st != atUpper:
			if math.IsInf(lp.up[j], 1) {
				return dualGiveUp
			}
			lp.stat[j], lp.x[j] = atUpper, lp.up[j]
		case d < -OptTol && st != atLower:
			if math.IsInf(lp.lo[j], -1) {
				return dualGiveUp
			}
			lp.stat[j], lp.x[j] = atLower, lp.lo[j]
		}
	}
	lp.computeBasics()
	limit := 20*(lp.m+lp.n) + 1000
	m := lp.m
	for iter := 0; iter < limit; iter++ {
		if lp.updates >= lp.refactorLimit() {
			lp.refactor()
			lp.computePi()
			lp.reducedCosts()
		}
		if !math.IsInf(cutoff, -1) {
			obj := 0.0
			for j, c := range lp.obj {
				obj += c * lp.x[j]
			}
			if obj <= cutoff+pruneTol(cutoff) {
				return dualCutoff
			}
		}
		// Leaving: the most infeasible basic variable.
		p, worst, up := -1, FeasTol, false
		for k, j := range lp.head {
			if v := lp.lo[j] - lp.x[j]; v > worst {
				p, worst, up = k, v, true
			}
			if v := lp.x[j] - lp.up[j]; v > worst {
				p, worst, up = k, v, false
			}
		}
		if p < 0 {
			return dualOptimal
		}
		rho := lp.binv[p*m : p*m+m]
		if cap(lp.prow) < lp.n+lp.m {
			lp.prow = make([]float64, lp.n+lp.m)
		}
		lp.prow = lp.prow[:lp.n+lp.m]
		// Entering: dual ratio test (two passes, preferring large pivots).
		cands := lp.cands[:0]
		tmax := math.Inf(1)
		for j := 0; j < lp.n+lp.m; j++ {
			st := lp.stat[j]
			if st == basic || lp.lo[j] == lp.up[j] {
				continue
			}
			a := lp.colDot(rho, j)
			lp.prow[j] = a
			if math.Abs(a) <= ZeroTol {
				continue
			}
			// x_p changes by -a per unit increase of x_j.
			inc := (up && a < 0) || (!up && a > 0) // x_j must increase
			if (inc && st == atUpper) || (!inc && st == atLower) {
				continue
			}
			d := math.Abs(lp.dj[j])
			if st == isFree && d > OptTol {
				continue
			}
			cands = append(cands, dualCand{j, a, d})
			if t := (d + OptTol) / math.Abs(a); t < tmax {
				tmax = t
			}
		}
		lp.cands = cands
		if len(cands) == 0 {
			return dualInfeasible
		}
		q, qa := -1, 0.0
		for _, c := range cands {
			if c.r/math.Abs(c.a) <= tmax && math.Abs(c.a) > math.Abs(qa) {
				q, qa = c.j, c.a
			}
		}
		lp.ftran(q, lp.alpha)
		if math.Abs(lp.alpha[p]) <= ZeroTol {
			lp.refactor()
			lp.computePi()
			lp.reducedCosts()
			continue
		}
		leave := lp.head[p]
		target := lp.up[leave]
		if up {
			target = lp.lo[leave]
		}
		dq := (lp.x[leave] - target) / lp.alpha[p]
		lp.x[q] += dq
		for k, j := range lp.head {
			if a := lp.alpha[k]; a != 0 {
				lp.x[j] -= dq * a
			}
		}
		lp.x[leave] = target
		if up {
			lp.stat[leave] = atLower
		} else {
			lp.stat[leave] = atUpper
		}
		// Reduced costs along the pivot row: d_j -= (d_q/ρ·a_q)·ρ·a_j, which
		// zeroes d_q and gives the leaving variable -d_q/ρ·a_q.
		td := lp.dj[q] / lp.prow[q]
		for j := 0; j < lp.n+lp.m; j++ {
			if lp.stat[j] != basic && j != q && lp.lo[j] != lp.up[j] {
				lp.dj[j] -= td * lp.prow[j]
			}
		}
		lp.dj[q] = 0
		lp.dj[leave] = -td
		lp.pivotUpdate(p, lp.alpha)
		lp.head[p] = q
		lp.stat[q] = basic
		lp.Iterations++
	}
	return dualGiveUp
}
