package leximin

// smoothing is the weight of the previous pricing point in the next one.
// Measured on the newDemocracy instance (273 types, 3 runs each): 0.3 is
// best (1.60 s), against 1.71 s at 0 (pricing at the previous round's
// duals only), 1.70 s at 0.5 and 0.7.
const smoothing = 0.3

// smoother stabilises the column generation by dual smoothing (Wentges;
// here with the last pricing point as the centre, as in Neame's momentum
// form). The master's duals jump from round to round, and a panel priced at
// them tends to be undone a few rounds later; pricing instead at a point
// between the previous pricing point and the latest duals gives panels that
// stay useful, so each stage needs fewer simplex pivots.
//
// The pricing point of a round is built from the duals of the rounds before
// it, so the oracle can price at it while the master of the round is being
// solved: the two run as a fork and a join on separate data (the oracle's
// LP and the smoother; the master's LP and the panel list), so the result
// does not depend on scheduling. A panel found at the smoothed point is used
// only if it also improves at the master's new duals; otherwise (a
// mispricing) the round prices exactly at those duals, which alone decides
// the end of a stage, so the result is the same leximin lottery.
type smoother struct {
	active  bool
	w       []float64 // per-person weights of the pricing point
	cap     float64   // the master's cap at the pricing point
	lastW   []float64 // the latest duals' per-person weights
	lastCap float64
}

// priced is the outcome of pricing at the smoothed point.
type priced struct {
	panel Panel   // nil: none found
	bound float64 // the oracle's relaxation value at the point (-Inf: none)
	err   error
}

func newSmoother(nt int) *smoother {
	return &smoother{w: make([]float64, nt), lastW: make([]float64, nt)}
}

// reset makes the master's duals (weights w, cap) the pricing point.
func (s *smoother) reset(w []float64, cap float64) {
	copy(s.w, w)
	copy(s.lastW, w)
	s.cap, s.lastCap = cap, cap
	s.active = true
}

// observe records the master's latest duals (weights w, cap).
func (s *smoother) observe(w []float64, cap float64) {
	copy(s.lastW, w)
	s.lastCap = cap
}

// price moves the pricing point towards the latest duals and returns the
// first panel the oracle finds whose weight at that point beats its cap.
func (s *smoother) price(orc *oracle) priced {
	for t := range s.w {
		s.w[t] = smoothing*s.w[t] + (1-smoothing)*s.lastW[t]
	}
	s.cap = smoothing*s.cap + (1-smoothing)*s.lastCap
	cut := s.cap + colTol
	pns, _, err := orc.improving(s.w, &cut, 1)
	if err != nil || len(pns) == 0 {
		return priced{err: err, bound: orc.lastBound}
	}
	return priced{panel: pns[len(pns)-1], bound: orc.lastBound}
}

// improves reports whether panel pn (nil: no panel) has weight w·pn above cut.
func improves(pn Panel, w []float64, cut float64) bool {
	if pn == nil {
		return false
	}
	v := 0.0
	for t, x := range pn {
		v += w[t] * float64(x)
	}
	return v > cut
}
