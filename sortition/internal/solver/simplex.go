package solver

import "math"

// Solve optimises from the current basis with the bounded-variable primal
// simplex method: a composite phase 1 minimises the sum of bound violations of
// the basic variables, then phase 2 maximises the objective.
func (lp *LP) Solve() *Solution {
	sol := lp.solve()
	if lp.saved != nil {
		// Stopped while perturbed (iteration limit, interrupt): put the
		// bounds back; the caller gets no point.
		lp.unperturb()
	}
	return sol
}

// solve is Solve. When the primal simplex stalls on a run of degenerate
// steps it first perturbs the bounds (see perturb) rather than switching to
// Bland's rule; at the perturbed optimum the true bounds are restored and
// the solve continues from that basis, now with Bland's rule as the guard
// against cycling. The point returned is optimal for the true bounds.
func (lp *LP) solve() *Solution {
	triedPerturb := false
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
	// piOK: lp.pi and lp.dj hold the phase-2 multipliers and reduced costs
	// of the current basis, kept up to date pivot by pivot; fresh: they were
	// just computed from scratch, not updated.
	piOK, fresh := false, false
	// Devex reference weights, reset at every Solve.
	if cap(lp.devex) < lp.n+lp.m {
		lp.devex = make([]float64, lp.n+lp.m)
	}
	lp.devex = lp.devex[:lp.n+lp.m]
	lp.resetDevex()
	for iter := 0; ; iter++ {
		if iter >= limit {
			return lp.solution(IterationLimit)
		}
		if iter%interruptEvery == interruptEvery-1 && lp.interrupted() {
			return lp.solution(Interrupted)
		}
		if lp.updates >= lp.refactorLimit() {
			lp.refactor()
			piOK = false
		}
		phase1 := lp.phaseCosts()
		if phase1 || !piOK {
			lp.multipliers()
			if !phase1 {
				lp.reducedCosts()
				fresh = true
			}
		}
		piOK = !phase1
		bland := degenerate >= blandAfter
		if bland && !triedPerturb && lp.m >= perturbMinRows {
			triedPerturb = true
			lp.perturb()
			degenerate = 0
			piOK = false
			continue
		}
		q, dir, dq := lp.price(phase1, bland)
		if q < 0 && piOK && !fresh {
			// The updated reduced costs carry round-off: confirm from scratch.
			piOK = false
			continue
		}
		if q < 0 {
			// No improving column: confirm on a fresh factorisation.
			if lp.updates > 0 && checked < 3 && lp.residual() > FeasTol {
				checked++
				lp.refactor()
				piOK = false
				continue
			}
			if lp.saved != nil {
				// Optimal (or infeasible) for the perturbed bounds:
				// restore the true ones and finish from here.
				lp.unperturb()
				piOK = false
				degenerate = 0
				checked = 0
				continue
			}
			if phase1 {
				return lp.solution(Infeasible)
			}
			return lp.solution(Optimal)
		}
		fresh = false
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
		lp.updatePricing(p, q, leave, dq, piOK)
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

// interruptEvery is how many simplex iterations or branch-and-bound nodes
// pass between two checks of LP.Interrupt.
const interruptEvery = 32

// interrupted reports whether lp.Interrupt is closed.
func (lp *LP) interrupted() bool {
	if lp.Interrupt == nil {
		return false
	}
	select {
	case <-lp.Interrupt:
		return true
	default:
		return false
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

// reducedCosts sets lp.dj[j] = c_j - π·a_j for every nonbasic variable j.
func (lp *LP) reducedCosts() {
	if cap(lp.dj) < lp.n+lp.m {
		lp.dj = make([]float64, lp.n+lp.m)
	}
	lp.dj = lp.dj[:lp.n+lp.m]
	for j := range lp.dj {
		if lp.stat[j] == basic {
			lp.dj[j] = 0
			continue
		}
		d := -lp.colDot(lp.pi, j)
		if j < lp.n {
			d += lp.obj[j]
		}
		lp.dj[j] = d
	}
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
	// qd is the candidate of largest |d|: the choice when every Devex
	// weight has overflowed, so that optimality never depends on the weights.
	qd, dird, dqd := -1, 0, 0.0
	for j := 0; j < lp.n+lp.m; j++ {
		st := lp.stat[j]
		if st == basic || lp.lo[j] == lp.up[j] {
			continue
		}
		var d float64
		if phase1 {
			d = -lp.colDot(lp.pi, j)
		} else {
			d = lp.dj[j]
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
		if qd < 0 || math.Abs(d) > math.Abs(dqd) {
			qd, dird, dqd = j, s, d
		}
	}
	if q < 0 && qd >= 0 {
		lp.resetDevex()
		return qd, dird, dqd
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
	// Each basic position k blocks the step at (gap[k]+rel)/rate[k] (at
	// least 0) when its bounds are relaxed by rel; rate 0 means it never blocks.
	if cap(lp.gap) < lp.m {
		lp.gap = make([]float64, lp.m)
		lp.rate = make([]float64, lp.m)
	}
	gap, rate := lp.gap[:lp.m], lp.rate[:lp.m]
	for k := range lp.m {
		gap[k], rate[k] = 0, 0
		a := lp.alpha[k]
		if math.Abs(a) <= ZeroTol {
			continue
		}
		j := lp.head[k]
		v, lo, up := lp.x[j], lp.lo[j], lp.up[j]
		r := -float64(dir) * a
		if r < 0 {
			switch {
			case phase1 && v > up+FeasTol:
				gap[k], rate[k] = v-up, -r
			case math.IsInf(lo, -1) || (phase1 && v < lo-FeasTol):
			default:
				gap[k], rate[k] = v-lo, -r
			}
			continue
		}
		switch {
		case phase1 && v < lo-FeasTol:
			gap[k], rate[k] = lo-v, r
		case math.IsInf(up, 1) || (phase1 && v > up+FeasTol):
		default:
			gap[k], rate[k] = up-v, r
		}
	}
	span := lp.up[q] - lp.lo[q]
	tmax := math.Inf(1)
	for k, r := range rate {
		if r == 0 {
			continue
		}
		if t := math.Max(0, (gap[k]+tol)/r); t < tmax {
			tmax = t
		}
	}
	p = -1
	if bland {
		bestIdx := math.MaxInt
		for k, r := range rate {
			if r == 0 {
				continue
			}
			if t := math.Max(0, gap[k]/r); t <= tmax && lp.head[k] < bestIdx {
				p, theta, bestIdx = k, t, lp.head[k]
			}
		}
	} else if !math.IsInf(tmax, 1) {
		bestA := 0.0
		for k, r := range rate {
			if r == 0 {
				continue
			}
			a := math.Abs(lp.alpha[k])
			if t := math.Max(0, gap[k]/r); t <= tmax && a > bestA {
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
// re-factorisations: at least refactorEvery, and 6m, so that the O(m³)
// factorisation costs a fraction of the O(m²) updates between two of them
// (an update of the explicit inverse costs the same however many precede
// it; only round-off limits the interval, and the residual check before
// optimality is declared catches it). Measured on the leximin masters, 6m is
// about 8% faster than 3m and 12m no faster than 6m.
func (lp *LP) refactorLimit() int { return max(refactorEvery, 6*lp.m) }

// updatePricing updates, for a pivot in which q enters at basis position p
// and leave leaves, the Devex reference weights and, when withDj is set, the
// phase-2 reduced costs lp.dj (entering step dq). Both need the pivot row
// ρ_p·a_j of every nonbasic j, computed once here; it must run before the
// basis inverse is updated.
func (lp *LP) updatePricing(p, q, leave int, dq float64, withDj bool) {
	m := lp.m
	rho := lp.binv[p*m : p*m+m]
	ap := lp.alpha[p]
	wq := lp.devex[q]
	td := dq / ap
	var bigs [2]float64
	nv := lp.n + lp.m
	work := 0
	for j := 0; j < lp.n; j++ {
		work += len(lp.colIdx[j])
	}
	split(nv, work, func(first, last int) {
		big := 0.0
		for j := first; j < last; j++ {
			if lp.stat[j] == basic || j == q || j == leave || lp.lo[j] == lp.up[j] {
				// A fixed variable never enters during this solve: its
				// reduced cost and weight are recomputed at the next.
				continue
			}
			rj := lp.colDot(rho, j)
			if withDj {
				lp.dj[j] -= td * rj
			}
			r := rj / ap
			if w := r * r * wq; w > lp.devex[j] {
				lp.devex[j] = w
				big = math.Max(big, w)
			}
		}
		if first == 0 {
			bigs[0] = big
		} else {
			bigs[1] = big
		}
	})
	big := math.Max(bigs[0], bigs[1])
	if withDj {
		lp.dj[q] = 0
		lp.dj[leave] = -td
	}
	lp.devex[leave] = math.Max(wq/(ap*ap), 1)
	// Weights this large no longer measure anything and head for overflow
	// (an infinite weight would hide its column from pricing): start a new
	// reference framework.
	if !(big <= devexMax) || !(lp.devex[leave] <= devexMax) {
		lp.resetDevex()
	}
}

// resetDevex starts a new Devex reference framework: every weight 1.
func (lp *LP) resetDevex() {
	for j := range lp.devex {
		lp.devex[j] = 1
	}
}

// perturbMinRows is the number of rows from which a stalling solve perturbs
// the bounds instead of switching to Bland's rule at once: in small LPs
// Bland's rule ends a degenerate run quickly, in large ones (the leximin
// masters of national pools, with a thousand rows or more, most of them
// tight at once) it can take tens of thousands of pivots.
const perturbMinRows = 200

// perturbScale is the relative size of the bound perturbation: well above
// the feasibility tolerance, so that the ratio test sees distinct steps, and
// small enough that few pivots are needed once the true bounds are back.
const perturbScale = 1e-6

// perturb widens every finite bound outwards by a small amount that differs
// from variable to variable (a fixed hash of the index, so the result stays
// deterministic), keeping nonbasic variables at their (moved) bounds. The
// current point stays feasible, and the degenerate basic variables, now
// strictly inside their bounds, let the next steps make progress. Fixed
// structural variables (such as parked columns) are left alone.
func (lp *LP) perturb() {
	nv := lp.n + lp.m
	lp.saved = &savedBounds{lo: append([]float64(nil), lp.lo[:nv]...), up: append([]float64(nil), lp.up[:nv]...)}
	for j := range nv {
		if j < lp.n && lp.lo[j] == lp.up[j] {
			continue
		}
		// A value in [1, 2) from the index (Knuth's multiplicative hash).
		u := 1 + float64(uint32(j)*2654435761%1024)/1024
		if lo := lp.lo[j]; !math.IsInf(lo, -1) {
			lp.lo[j] = lo - perturbScale*u*(1+math.Abs(lo))
		}
		if up := lp.up[j]; !math.IsInf(up, 1) {
			lp.up[j] = up + perturbScale*u*(1+math.Abs(up))
		}
	}
	lp.reboundNonbasic()
}

// unperturb restores the bounds saved by perturb.
func (lp *LP) unperturb() {
	copy(lp.lo, lp.saved.lo)
	copy(lp.up, lp.saved.up)
	lp.saved = nil
	lp.reboundNonbasic()
}

// reboundNonbasic puts every nonbasic variable back on the bound its status
// names and recomputes the basic variables.
func (lp *LP) reboundNonbasic() {
	for j := range lp.n + lp.m {
		switch lp.stat[j] {
		case atLower:
			lp.x[j] = lp.lo[j]
		case atUpper:
			lp.x[j] = lp.up[j]
		}
	}
	lp.computeBasics()
}

// savedBounds are the true bounds while they are perturbed.
type savedBounds struct {
	lo, up []float64
}
