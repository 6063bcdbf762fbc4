package leximin

import (
	"fmt"
	"math"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// oracle finds feasible panels of maximum weight: an integer program over
// type counts with the quota rows, the seat row and one row per household.
type oracle struct {
	in   *Instance
	prob solver.Problem
	lp   *solver.LP // kept between calls so that each solve starts warm
	done <-chan struct{}
	// lastBound is the last call's root relaxation value, an upper bound on
	// every panel's weight (-Inf when the relaxation was not solved).
	lastBound float64
}

func newOracle(in *Instance) *oracle {
	nt := len(in.Types)
	p := solver.Problem{
		Objective: make([]float64, nt),
		Lower:     make([]float64, nt),
		Upper:     make([]float64, nt),
		Integer:   make([]bool, nt),
	}
	rows := make([]solver.Row, len(in.Min))
	for f := range rows {
		rows[f] = solver.Row{Lower: float64(in.Min[f]), Upper: float64(in.Max[f])}
	}
	seat := solver.Row{Lower: float64(in.Seats), Upper: float64(in.Seats)}
	for t, ty := range in.Types {
		p.Upper[t] = float64(ty.Count)
		p.Integer[t] = true
		for _, f := range ty.Features {
			rows[f].Index = append(rows[f].Index, t)
			rows[f].Value = append(rows[f].Value, 1)
		}
		seat.Index = append(seat.Index, t)
		seat.Value = append(seat.Value, 1)
	}
	p.Rows = append(rows, seat)
	for _, g := range in.Groups {
		// Lower bound 0 always holds; a finite one lets the dual simplex
		// start from any basis.
		r := solver.Row{Lower: 0, Upper: 1}
		for _, t := range g {
			r.Index = append(r.Index, t)
			r.Value = append(r.Value, 1)
		}
		p.Rows = append(p.Rows, r)
	}
	return &oracle{in: in, prob: p, lastBound: math.Inf(-1)}
}

// best returns a feasible panel maximising weight·x among those whose weight
// exceeds cutoff (nil cutoff: any). ok is false when there is none.
func (o *oracle) best(weight []float64, cutoff *float64) (Panel, float64, bool, error) {
	pns, obj, err := o.improving(weight, cutoff, 0)
	if err != nil || len(pns) == 0 {
		return nil, 0, false, err
	}
	return pns[len(pns)-1], obj, true, nil
}

// improving returns panels whose weight exceeds cutoff, in the order found,
// each better than the one before, stopping after stopAfter of them (0: at
// the optimum, which is then the last); obj is the last one's weight. With a
// nil cutoff every feasible panel counts as improving.
func (o *oracle) improving(weight []float64, cutoff *float64, stopAfter int) ([]Panel, float64, error) {
	if _, err := o.solverLP(); err != nil {
		return nil, 0, err
	}
	for t, w := range weight {
		o.lp.SetObjective(t, w)
	}
	var found []Panel
	toPanel := func(x []float64) Panel {
		pn := make(Panel, len(x))
		for t, v := range x {
			pn[t] = int(math.Round(v))
		}
		return pn
	}
	opt := solver.MIPOptions{
		Cutoff:      cutoff,
		StopAfter:   stopAfter,
		OnIncumbent: func(x []float64, _ float64) { found = append(found, toPanel(x)) },
	}
	sol, err := o.lp.BranchAndBound(o.prob.Integer, opt)
	if err != nil {
		return nil, 0, fmt.Errorf("panel oracle: %w", err)
	}
	o.lastBound = sol.RootBound
	switch sol.Status {
	case solver.Interrupted:
		return nil, 0, errInterrupted
	case solver.Optimal:
	case solver.Infeasible:
		return nil, 0, nil
	default:
		return nil, 0, fmt.Errorf("panel oracle: %v", sol.Status)
	}
	return found, sol.Objective, nil
}

// solverLP returns the oracle's LP, built on first use and kept so that
// each solve starts warm.
func (o *oracle) solverLP() (*solver.LP, error) {
	if o.lp == nil {
		lp, err := solver.NewLP(&o.prob)
		if err != nil {
			return nil, fmt.Errorf("panel oracle: %w", err)
		}
		o.lp = lp
		lp.Interrupt = o.done
	}
	return o.lp, nil
}
