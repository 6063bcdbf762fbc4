// Package leximin computes fair selection lotteries over quota-satisfying
// panels: the leximin lottery of Flanigan, Gölz, Gupta, Hennig and Procaccia
// (Nature 2021), computed over types of interchangeable people, and its
// rounding to a uniform lottery over m panels (Flanigan,
// Kehne and Procaccia, NeurIPS 2021).
//
// Method. People with equal features and no household link are one type, so
// they share one probability. The lottery is found in two steps.
//
// First, the leximin point of the linear relaxation (relaxedLeximin): the
// per-type expected counts that meet every quota, the seat count and the
// household rows, each type between none and all of its people. Every
// lottery's marginals lie in this polytope, so its leximin point is, level
// by level, an upper bound on what any lottery can reach, certified by the
// duals of small LPs (one row per quota and household). Each level
// maximises the smallest probability z of the types not yet fixed, then
// fixes the types whose surplus over z has a positive reduced cost.
//
// Second, that point is written as a lottery over panels (peeler): one
// panel at a time, found by the integer oracle on the point's face, with the
// point moved away from it (Carathéodory's construction), until the weight
// left is below 1e-10. The lottery's probabilities then equal the upper
// bounds to about 1e-8: they are the leximin optimum, and the bounds certify
// it. On every generated pool tried (200 to 4,000 people, 4 to 7
// categories) and on the published instances except one tiny pool with a
// household, this is the whole computation, and it takes seconds for
// thousands of people.
//
// When a face holds no panel (the relaxation's point is not a lottery's
// marginals: small pools with tight quotas or households), the column
// generation of Flanigan, Gölz, Gupta, Hennig and Procaccia computes the
// lottery from scratch: each stage solves a master LP over the panels found so far
// (maximise z, every unfixed type's per-person probability >= z, fixed types
// keep their value), prices panels with its duals through the integer
// oracle over type counts (quota rows, the seat row, one row per household)
// and adds any panel whose dual weight beats the master's cap; when none
// does, the types with positive dual weight are fixed at z. A last solve
// maximises the smallest margin above the fixed values. Probabilities are
// exact to about 1e-8 (fixed values are relaxed by 1e-8 between stages, by
// a few times that if round-off makes a master look infeasible).
//
// When the master holds more than three columns per row, the nonbasic ones
// pricing worst are parked (held at zero, out of the simplex's pricing) and
// come back if the oracle finds them again. Pricing is stabilised by dual
// smoothing, and the oracle prices at the smoothed point while the master
// LP is solved (see smoother): a fork and a join on disjoint data, so the
// result does not depend on scheduling.
//
// LeximinWith reports progress (the level, people fixed, and certified lower
// and upper bounds on the level's value; while the relaxation's point is
// written as panels, level 1 with the smallest probability reached so far)
// and stops when its context ends, returning a StoppedError with the bounds
// reached and no lottery. Maximin returns the leximin lottery when the first
// step succeeds (it is also maximin-optimal), else a stage-one lottery of
// the column generation.
//
// The computation is deterministic: no maps are iterated, the one concurrent
// step shares no data, and no clock or randomness is used, so one input
// gives the same output bits on one machine.
package leximin

import "errors"

// Type is a group of interchangeable people: same feature vector, no household link.
type Type struct {
	Features []int // the feature index (into Min/Max) of each of this type's category values
	Count    int   // how many people have this type
}

// Instance is a selection problem over types.
type Instance struct {
	Seats    int
	Min, Max []int // per feature: the quota on panel members having it
	Types    []Type
	// Groups are households: each lists type indices; at most ONE person in
	// total from a group's types may be in a panel; a type is in at most one group.
	Groups [][]int
}

// Panel is how many people of each type a panel takes (len(Types)).
type Panel []int

// Lottery is a probability distribution over panels.
type Lottery struct {
	Panels  []Panel
	Weights []float64 // sum to 1
	Prob    []float64 // per type: each person of that type's selection probability
}

// ErrInfeasible reports that no panel meets the quotas.
var ErrInfeasible = errors.New("leximin: no panel meets the quotas")

// Marginals returns, per type, the per-person selection probability of the
// lottery that picks panels[i] with probability weights[i].
func Marginals(panels []Panel, weights []float64, in *Instance) []float64 {
	out := make([]float64, len(in.Types))
	for i, p := range panels {
		for t, x := range p {
			if x != 0 && in.Types[t].Count > 0 {
				out[t] += weights[i] * float64(x) / float64(in.Types[t].Count)
			}
		}
	}
	return out
}
