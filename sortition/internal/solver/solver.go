// Package solver is a small exact LP and MIP solver for problems with few rows
// and bounded variables.
//
// Linear programs are solved by a bounded-variable revised primal simplex
// method with ranged rows (every row gets a bounded logical variable; variable
// bounds are never turned into rows), a composite phase 1, Devex pricing with
// a Harris ratio test, after a run of degenerate steps a perturbation of the
// bounds (in LPs of 200 rows or more; removed again before the answer) and
// then Bland's rule, and an explicit dense basis inverse that is updated per pivot and
// re-factorised periodically and whenever the row residual grows. Mixed-integer
// programs are solved by depth-first branch and bound on top of it, with the
// bounded dual simplex re-optimising each node warm from its parent.
//
// The LP type keeps its basis between solves, so columns can be added and
// bounds, coefficients or objective changed and the problem re-solved warm
// (column generation, repeated oracles). Everything is deterministic: same
// input, same operations, same result bits on one machine. The dense
// per-pivot updates of large LPs are split over two goroutines writing
// disjoint data, which does not change a bit of the result. An LP's
// Interrupt channel stops a long solve or search (status Interrupted).
package solver

import (
	"fmt"
)

// Status is the outcome of a solve.
type Status int

// The possible outcomes of a solve.
const (
	// Optimal means X is an optimal solution.
	Optimal Status = iota
	// Infeasible means no point satisfies the bounds and rows.
	Infeasible
	// Unbounded means the objective can be made arbitrarily large.
	Unbounded
	// IterationLimit means the solver stopped before proving optimality.
	IterationLimit
	// Interrupted means the LP's Interrupt channel was closed during the solve.
	Interrupted
)

// String returns the lowercase name of the status.
func (s Status) String() string {
	switch s {
	case Optimal:
		return "optimal"
	case Infeasible:
		return "infeasible"
	case Unbounded:
		return "unbounded"
	case IterationLimit:
		return "iteration limit"
	case Interrupted:
		return "interrupted"
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// Row is the ranged constraint Lower <= sum_k Value[k]*x[Index[k]] <= Upper.
// Use math.Inf(-1) and math.Inf(1) for a missing bound; Lower == Upper makes an
// equality row. Index entries must be distinct.
type Row struct {
	Index        []int
	Value        []float64
	Lower, Upper float64
}

// Problem is: maximise Objective·x subject to Lower <= x <= Upper and the Rows.
type Problem struct {
	Objective    []float64 // maximise Objective·x
	Lower, Upper []float64 // variable bounds; Upper may be +Inf; Lower finite
	Integer      []bool    // nil or len n: which variables must be integral (MIP only)
	Rows         []Row
}

// Solution is the result of a solve. X and Objective are set when Status is
// Optimal (and, for a MIP stopped early, hold the best point found, if any).
type Solution struct {
	Status    Status
	X         []float64
	Objective float64
	// RowDuals (LP only) holds, per row, the rate of change of the optimal
	// objective per unit increase of that row's active bound: >= 0 when the
	// upper bound binds, <= 0 when the lower bound binds, 0 when neither does.
	RowDuals []float64
	// RootBound (branch and bound only) is the objective of the root LP
	// relaxation when it was solved to optimality, an upper bound on every
	// integral solution's objective; -Inf otherwise. It is set whatever the
	// status, including Infeasible under a cutoff.
	RootBound float64
}

// SolveLP solves the linear relaxation of p (Integer is ignored). It returns
// an error only for a malformed problem; infeasibility and unboundedness are
// reported in Solution.Status.
func SolveLP(p *Problem) (*Solution, error) {
	lp, err := NewLP(p)
	if err != nil {
		return nil, err
	}
	return lp.Solve(), nil
}

// SolveMIP solves p with the variables marked in p.Integer restricted to
// integers, by depth-first branch and bound on the LP relaxation. For integer
// row data and bounds the result is exact up to the feasibility tolerance.
func SolveMIP(p *Problem) (*Solution, error) {
	return solveMIP(p)
}
