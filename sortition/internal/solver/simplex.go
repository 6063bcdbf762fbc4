package solver

import "math"

// Solve optimises from the current basis with the bounded-variable primal
// simplex method: a composite phase 1 minimises the sum of bound violations of
// the basic variables, then phase 2 maximises the objective.
func (lp *LP) Solve() *Solution {
	limit := lp.IterLimit
	if limit <= 0 {
		limit = 100*(lp.m+lp.n) + 10000
	}
	if lp.stale || lp.updates >= lp.refactorLimit() {
		lp.refactor()
	} else {
		lp.computeBasics()
	}
	degenerate := 0
	checked := 0
	piOK := false // lp.pi holds the phase-2 multipliers of the current basis
	// Devex reference weights, reset at every Solve.
	if cap(lp.devex) < lp.n+lp.m {
		lp.devex = make([]float64, lp.n+lp.m)
	}
	lp.devex = lp.devex[:lp.n+lp.m]
	for j := range lp.devex {
		lp.devex[j] = 1
	}
	for iter := 0; ; iter++ {
		if iter >= limit {
			return lp.solution(IterationLimit)
		}
		if lp.updates >= lp.refactorLimit() {
			lp.refactor()
			piOK = false
		}
		phase1 := lp.phaseCosts()
		if phase1 || !piOK {
			lp.multipliers()
		}
		piOK = !phase1
		bland := degenerate >= blandAfter
		q, dir, dq := lp.price(phase1, bland)
		if q < 0 {
			// No improving column: confirm on a fresh factorisation.
			if lp.updates > 0 && checked < 3 && lp.residual() > FeasTol {
				checked++
				lp.refactor()
				piOK = false
				continue
			}
			if phase1 {
				return lp.solution(Infeasible)
			}
			return lp.solution(Optimal)
		}
		lp.Iterations++
		lp.ftran(q, lp.alpha)
		p, theta, flip, ok := lp.ratio(q, dir, phase1, bland)
		if !ok {
			if phase1 {
				// Phase 1 is bounded; an unbounded ray here is numerical noise.
				lp.refactor()
				piOK = false
				degenerate = blandAfter
				continue
			}
			return lp.solution(Unbounded)
		}
		if theta <= ZeroTol {
			degenerate++
		} else {
			degenerate = 0
		}
		lp.step(q, dir, theta)
		if flip {
			if dir > 0 {
				lp.stat[q], lp.x[q] = atUpper, lp.up[q]
			} else {
				lp.stat[q], lp.x[q] = atLower, lp.lo[q]
			}
			continue
		}
		leave := lp.head[p]
		lp.snap(leave)
		lp.updateDevex(p, q, leave)
		lp.pivotUpdate(p, lp.alpha)
		lp.head[p] = q
		lp.stat[q] = basic
		if piOK {
			// π' = π + d_q·(row p of the new B⁻¹) zeroes q's reduced cost
			// and keeps every other basic reduced cost at zero.
			row := lp.binv[p*lp.m : p*lp.m+lp.m]
			for i, v := range row {
				lp.pi[i] += dq * v
			}
		}
	}
}

// setCosts fills lp.cb and lp.pi for the current phase and reports whether
// phase 1 (some basic variable out of bounds) is active.
func (lp *LP) setCosts() bool {
	phase1 := lp.phaseCosts()
	lp.multipliers()
	return phase1
}

// phaseCosts fills lp.cb with the basic costs of the current phase and
// reports whether phase 1 (some basic variable out of bounds) is active.
func (lp *LP) phaseCosts() bool {
	phase1 := false
	for k, j := range lp.head {
		v := lp.x[j]
		switch {
		case v < lp.lo[j]-FeasTol:
			lp.cb[k] = 1
			phase1 = true
		case v > lp.up[j]+FeasTol:
			lp.cb[k] = -1
			phase1 = true
		default:
			lp.cb[k] = 0
		}
	}
	if !phase1 {
		for k, j := range lp.head {
			if j < lp.n {
				lp.cb[k] = lp.obj[j]
			}
		}
	}
	return phase1
}

// multipliers sets lp.pi = c_B B⁻¹ from lp.cb.
func (lp *LP) multipliers() {
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

// price chooses an entering variable and its direction (+1 increase, -1
// decrease), or returns q = -1 when none improves the phase objective.
func (lp *LP) price(phase1, bland bool) (q, dir int, dq float64) {
	q, best := -1, 0.0
	for j := 0; j < lp.n+lp.m; j++ {
		st := lp.stat[j]
		if st == basic || lp.lo[j] == lp.up[j] {
			continue
		}
		d := -lp.colDot(lp.pi, j)
		if !phase1 && j < lp.n {
			d += lp.obj[j]
		}
		var s int
		switch {
		case d > OptTol && (st == atLower || st == isFree):
			s = 1
		case d < -OptTol && (st == atUpper || st == isFree):
			s = -1
		default:
			continue
		}
		if bland {
			return j, s, d
		}
		if a := d * d / lp.devex[j]; a > best {
			q, dir, dq, best = j, s, d, a
		}
	}
	return q, dir, dq
}

// ratio performs the bounded ratio test (Harris two-pass, or textbook with
// smallest-index ties under Bland's rule). It returns the leaving position p,
// the step length, whether the entering variable just moves to its other
// bound, and false if nothing blocks the step.
func (lp *LP) ratio(q, dir int, phase1, bland bool) (p int, theta float64, flip, ok bool) {
	tol := FeasTol
	if bland {
		tol = 0
	}
	// limit returns the step at which basic position k blocks, with bounds
	// relaxed by rel, or +Inf.
	limit := func(k int, rel float64) float64 {
		a := lp.alpha[k]
		if math.Abs(a) <= ZeroTol {
			return math.Inf(1)
		}
		j := lp.head[k]
		v, lo, up := lp.x[j], lp.lo[j], lp.up[j]
		rate := -float64(dir) * a
		if rate < 0 {
			if phase1 && v > up+FeasTol {
				return math.Max(0, (v-up+rel)/(-rate))
			}
			if math.IsInf(lo, -1) || (phase1 && v < lo-FeasTol) {
				return math.Inf(1)
			}
			return math.Max(0, (v-lo+rel)/(-rate))
		}
		if phase1 && v < lo-FeasTol {
			return math.Max(0, (lo-v+rel)/rate)
		}
		if math.IsInf(up, 1) || (phase1 && v > up+FeasTol) {
			return math.Inf(1)
		}
		return math.Max(0, (up-v+rel)/rate)
	}
	span := lp.up[q] - lp.lo[q]
	tmax := math.Inf(1)
	for k := range lp.m {
		if t := limit(k, tol); t < tmax {
			tmax = t
		}
	}
	p = -1
	if bland {
		bestIdx := math.MaxInt
		for k := range lp.m {
			if t := limit(k, 0); t <= tmax && lp.head[k] < bestIdx {
				p, theta, bestIdx = k, t, lp.head[k]
			}
		}
	} else if !math.IsInf(tmax, 1) {
		bestA := 0.0
		for k := range lp.m {
			a := math.Abs(lp.alpha[k])
			if a <= ZeroTol {
				continue
			}
			if t := limit(k, 0); t <= tmax && a > bestA {
				p, theta, bestA = k, t, a
			}
		}
	}
	if span <= theta || (p < 0 && !math.IsInf(span, 1)) {
		return -1, span, true, true
	}
	if p < 0 {
		return -1, 0, false, false
	}
	return p, theta, false, true
}

// snap makes leaving variable j nonbasic at the finite bound nearest its value.
func (lp *LP) snap(j int) {
	v, lo, up := lp.x[j], lp.lo[j], lp.up[j]
	switch {
	case math.IsInf(lo, -1) && math.IsInf(up, 1):
		lp.stat[j], lp.x[j] = isFree, 0
	case math.IsInf(up, 1) || (!math.IsInf(lo, -1) && v-lo <= up-v):
		lp.stat[j], lp.x[j] = atLower, lo
	default:
		lp.stat[j], lp.x[j] = atUpper, up
	}
}

// step moves the entering variable q by dir*theta and updates the basics.
func (lp *LP) step(q, dir int, theta float64) {
	if theta == 0 {
		return
	}
	s := float64(dir) * theta
	lp.x[q] += s
	for k, j := range lp.head {
		if a := lp.alpha[k]; a != 0 {
			lp.x[j] -= s * a
		}
	}
}

// solution reports the current point.
func (lp *LP) solution(st Status) *Solution {
	sol := &Solution{Status: st}
	if st != Optimal {
		return sol
	}
	sol.X = append([]float64(nil), lp.x[:lp.n]...)
	for j, c := range lp.obj {
		sol.Objective += c * sol.X[j]
	}
	lp.setCosts()
	sol.RowDuals = append([]float64(nil), lp.pi...)
	return sol
}

// residual returns the largest violation of A x = r over the rows, which
// grows with round-off in the basis inverse.
func (lp *LP) residual() float64 {
	act := make([]float64, lp.m)
	for j := 0; j < lp.n; j++ {
		if x := lp.x[j]; x != 0 {
			for k, i := range lp.colIdx[j] {
				act[i] += lp.colVal[j][k] * x
			}
		}
	}
	worst := 0.0
	for i, a := range act {
		worst = math.Max(worst, math.Abs(a-lp.x[lp.n+i]))
	}
	return worst
}

// refactorLimit is the number of basis updates allowed between
// re-factorisations: at least refactorEvery, and 3m so that the O(m³)
// factorisation costs less per iteration than the O(m²) updates.
func (lp *LP) refactorLimit() int { return max(refactorEvery, 3*lp.m) }

// updateDevex updates the Devex reference weights for a pivot in which q
// enters at basis position p and leave leaves; it must run before the basis
// inverse is updated.
func (lp *LP) updateDevex(p, q, leave int) {
	m := lp.m
	rho := lp.binv[p*m : p*m+m]
	ap := lp.alpha[p]
	wq := lp.devex[q]
	for j := 0; j < lp.n+lp.m; j++ {
		if lp.stat[j] == basic || j == q || j == leave {
			continue
		}
		r := lp.colDot(rho, j) / ap
		if w := r * r * wq; w > lp.devex[j] {
			lp.devex[j] = w
		}
	}
	lp.devex[leave] = math.Max(wq/(ap*ap), 1)
}
