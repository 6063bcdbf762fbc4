package solver

import (
	"fmt"
	"math"
)

// IntTol is how far from an integer a value may be and still count as integral.
const IntTol = 1e-6

// MIPOptions tunes SolveMIPWith.
type MIPOptions struct {
	// Cutoff, when not nil, prunes every node whose LP bound is not above
	// *Cutoff + the pruning tolerance: only solutions better than the cutoff
	// are looked for. With no such solution the status is Infeasible.
	Cutoff *float64
	// NodeLimit bounds the number of branch-and-bound nodes; 0 means 1,000,000.
	NodeLimit int
	// StopAfter, when positive, stops the search once that many improving
	// integral solutions (each better than the cutoff and all earlier ones)
	// have been found; the best is returned with Status Optimal although a
	// better one may exist. 0 searches to optimality.
	StopAfter int
	// OnIncumbent, when not nil, is called with every improving integral
	// solution as it is found (x must not be retained).
	OnIncumbent func(x []float64, objective float64)
}

func solveMIP(p *Problem) (*Solution, error) {
	return SolveMIPWith(p, MIPOptions{})
}

// pruneTol returns the margin by which a bound must beat the incumbent.
func pruneTol(v float64) float64 { return 1e-9 * (1 + math.Abs(v)) }

type bnbNode struct {
	lo, up []float64 // bounds of the integer variables, in order of ints
}

// SolveMIPWith is SolveMIP with options: depth-first branch and bound with
// best-bound pruning, re-solving one LP warm from its last basis at each node.
func SolveMIPWith(p *Problem, opt MIPOptions) (*Solution, error) {
	lp, err := NewLP(p)
	if err != nil {
		return nil, err
	}
	return lp.BranchAndBound(p.Integer, opt)
}

// BranchAndBound solves the LP with the variables marked in integer
// restricted to integers, by depth-first branch and bound with best-bound
// pruning, re-solving warm from the last basis at each node (dual simplex
// after a bound change). The variable bounds are restored before it returns,
// and the final basis is kept, so repeated calls with a changed objective
// start warm.
func (lp *LP) BranchAndBound(integer []bool, opt MIPOptions) (*Solution, error) {
	if integer != nil && len(integer) != lp.n {
		return nil, fmt.Errorf("solver: %d integer flags for %d variables", len(integer), lp.n)
	}
	var ints []int
	rootLo := make([]float64, 0)
	rootUp := make([]float64, 0)
	for j, b := range integer {
		if b {
			ints = append(ints, j)
			rootLo = append(rootLo, lp.lo[j])
			rootUp = append(rootUp, lp.up[j])
		}
	}
	var rootBasis *basisSnapshot
	defer func() {
		for k, j := range ints {
			lp.lo[j], lp.up[j] = rootLo[k], rootUp[k]
		}
		// Leave the root's optimal basis behind: the next solve with a
		// changed objective starts primal feasible from it.
		if rootBasis != nil {
			lp.restore(rootBasis)
		} else {
			for _, j := range ints {
				if lp.stat[j] != basic {
					lp.setNonbasic(j)
				}
			}
		}
	}()
	limit := opt.NodeLimit
	if limit <= 0 {
		limit = 1_000_000
	}
	root := bnbNode{lo: make([]float64, len(ints)), up: make([]float64, len(ints))}
	for k := range ints {
		root.lo[k] = math.Ceil(rootLo[k] - IntTol)
		root.up[k] = math.Floor(rootUp[k] + IntTol)
		if root.lo[k] > root.up[k] {
			return &Solution{Status: Infeasible, RootBound: math.Inf(-1)}, nil
		}
	}
	var best *Solution
	rootBound := math.Inf(-1)
	bestObj := math.Inf(-1)
	if opt.Cutoff != nil {
		bestObj = *opt.Cutoff
	}
	stack := []bnbNode{root}
	found := 0
	incomplete := false
	nodes := 0
	// stopped returns the best solution found with status st.
	stopped := func(st Status) *Solution {
		if best == nil {
			return &Solution{Status: st, RootBound: rootBound}
		}
		best.Status, best.RootBound = st, rootBound
		return best
	}
	for len(stack) > 0 {
		if nodes >= limit {
			return stopped(IterationLimit), nil
		}
		if nodes%interruptEvery == interruptEvery-1 && lp.interrupted() {
			return stopped(Interrupted), nil
		}
		nodes++
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		// The node's bounds, then the basic values once (not once per
		// changed variable: after backtracking many change at once).
		moved := false
		for k, j := range ints {
			if lp.lo[j] != nd.lo[k] || lp.up[j] != nd.up[k] {
				lp.lo[j], lp.up[j] = nd.lo[k], nd.up[k]
				if lp.stat[j] != basic {
					lp.setNonbasic(j)
					moved = true
				}
			}
		}
		if moved {
			lp.computeBasics()
		}
		var sol *Solution
		// Below the root, the dual simplex re-optimises after the bound
		// change; the primal method then only confirms, or takes over when
		// the basis cannot be made dual feasible.
		if nodes > 1 {
			switch lp.dualSimplex(bestObj) {
			case dualInfeasible, dualCutoff:
				continue
			}
		}
		sol = lp.Solve()
		if nodes == 1 {
			rootBasis = lp.basis(rootBasis)
			if sol.Status == Optimal {
				rootBound = sol.Objective
			}
		}
		switch sol.Status {
		case Interrupted:
			return stopped(Interrupted), nil
		case Infeasible:
			continue
		case Unbounded:
			if len(ints) == 0 || best == nil {
				return &Solution{Status: Unbounded, RootBound: math.Inf(1)}, nil
			}
			continue
		case IterationLimit:
			// This subtree is left unexplored: optimality is no longer proven.
			incomplete = true
			continue
		}
		if sol.Objective <= bestObj+pruneTol(bestObj) {
			continue
		}
		// Most fractional integer variable.
		bk, bf := -1, 0.0
		for k, j := range ints {
			v := sol.X[j]
			f := v - math.Floor(v)
			d := math.Min(f, 1-f)
			if d > IntTol && d > bf {
				bk, bf = k, d
			}
		}
		if bk < 0 {
			for _, j := range ints {
				sol.X[j] = math.Round(sol.X[j])
			}
			sol.Objective = 0
			for j, c := range lp.obj {
				sol.Objective += c * sol.X[j]
			}
			sol.RowDuals = nil
			best, bestObj = sol, sol.Objective
			found++
			if opt.OnIncumbent != nil {
				opt.OnIncumbent(sol.X, sol.Objective)
			}
			if opt.StopAfter > 0 && found >= opt.StopAfter {
				break
			}
			continue
		}
		v := sol.X[ints[bk]]
		down := bnbNode{lo: nd.lo, up: append([]float64(nil), nd.up...)}
		down.up[bk] = math.Floor(v)
		up := bnbNode{lo: append([]float64(nil), nd.lo...), up: nd.up}
		up.lo[bk] = math.Ceil(v)
		// Explore the nearer side first (pushed last).
		if v-math.Floor(v) >= 0.5 {
			stack = append(stack, down, up)
		} else {
			stack = append(stack, up, down)
		}
	}
	if best == nil {
		if incomplete {
			return &Solution{Status: IterationLimit, RootBound: rootBound}, nil
		}
		return &Solution{Status: Infeasible, RootBound: rootBound}, nil
	}
	best.Status, best.RootBound = Optimal, rootBound
	if incomplete {
		best.Status = IterationLimit
	}
	return best, nil
}

// basisSnapshot records a basis: which variable is basic at each position and
// the status and value of every variable.
type basisSnapshot struct {
	head []int
	stat []varStat
	x    []float64
}

// basis saves the current basis into s (allocated if nil).
func (lp *LP) basis(s *basisSnapshot) *basisSnapshot {
	if s == nil {
		s = &basisSnapshot{}
	}
	s.head = append(s.head[:0], lp.head...)
	s.stat = append(s.stat[:0], lp.stat...)
	s.x = append(s.x[:0], lp.x...)
	return s
}

// restore reinstates a saved basis of the same LP and marks the inverse for
// re-factorisation.
func (lp *LP) restore(s *basisSnapshot) {
	copy(lp.head, s.head)
	copy(lp.stat, s.stat)
	copy(lp.x, s.x)
	lp.stale = true
}
