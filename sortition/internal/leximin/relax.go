package leximin

import (
	"errors"
	"fmt"
	"math"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// Tolerances of the leximin over the relaxation.
const (
	// relaxFix is how far below its fixed value (per person) a fixed
	// type's probability may go in later levels, so that round-off cannot
	// make a later level infeasible; it grows by this much on each retry.
	relaxFix = 1e-8
	// relaxDualTol is the dual weight (the duals of one level sum to 1)
	// above which a type counts as tight and is fixed at the level's value;
	// a tight type below it is fixed at a later level of the same value.
	relaxDualTol = 1e-7
)

// relaxed is the leximin point of the relaxation: per type, how many of its
// people are chosen on average (X, between 0 and Count) and the per-person
// probability (Prob); Levels holds each level's value, the first being the
// largest possible smallest probability.
type relaxed struct {
	X      []float64
	Prob   []float64
	Levels []float64
}

// relaxedLeximin computes the leximin point over the linear relaxation of
// the panels: the vectors of per-type expected counts that meet every quota,
// the seat count and the household rows, with each type between none and
// all of its people. Every lottery over panels has its marginals there, so
// each level's value is an upper bound on what a lottery can reach, and if
// the point is a lottery's marginals it is the leximin lottery's.
//
// Each level maximises z, the smallest per-person probability of the
// unfixed types, over an LP with one row per quota, the seat row and one
// row per household, warm from the last level's basis. Variable 0 is z;
// variable t+1 is, for an unfixed type, its surplus s_t = x_t − Count_t·z
// >= 0 (so z has the coefficient Σ Count_t over a row's unfixed types) and,
// for a fixed type, its expected count x_t >= Count_t·(fixed_t − relax).
// The cap x_t <= Count_t of an unfixed type is a row added when a solution
// breaks it. A level fixes the unfixed types whose surplus has a positive
// reduced cost (they are at z in every optimum), all of them when z reaches
// 1, or the one with the largest when round-off hides every one.
func (c *colgen) relaxedLeximin() (*relaxed, error) {
	in := c.in
	nt := len(in.Types)
	m := newRelaxMaster(in)
	lp, err := solver.NewLP(&m.prob)
	if err != nil {
		return nil, fmt.Errorf("leximin relaxation: %w", err)
	}
	lp.Interrupt = c.done
	m.lp = lp
	if err := m.setZ(); err != nil {
		return nil, err
	}
	r := &relaxed{}
	var sol *solver.Solution
	x := make([]float64, nt)
	for level := 1; m.open > 0; level++ {
		if c.stopped() {
			return nil, errInterrupted
		}
		sol, err = m.solve()
		if errors.Is(err, ErrInfeasible) || errors.Is(err, errInterrupted) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("leximin relaxation: level %d: %w", level, err)
		}
		z := sol.X[0]
		r.Levels = append(r.Levels, z)
		if level == 1 {
			c.tr.report(0, 0, z)
		}
		m.values(sol, x)
		if err := m.fix(sol, z); err != nil {
			return nil, err
		}
	}
	r.X = make([]float64, nt)
	r.Prob = make([]float64, nt)
	for t, ty := range in.Types {
		if ty.Count > 0 {
			r.X[t] = math.Min(math.Max(x[t], 0), float64(ty.Count))
			r.Prob[t] = r.X[t] / float64(ty.Count)
		}
	}
	return r, nil
}

// relaxMaster is the LP of relaxedLeximin.
type relaxMaster struct {
	in       *Instance
	prob     solver.Problem
	lp       *solver.LP
	fixed    []float64 // per type: its value once fixed, NaN while open
	open     int       // types with people and no value yet
	nonEmpty int       // types with people
	capRow   []int     // per type: the row capping x_t at Count_t, -1 if none
	group    []int     // per type: its household, -1 if none
	relax    float64
}

func newRelaxMaster(in *Instance) *relaxMaster {
	nt, nf := len(in.Types), len(in.Min)
	m := &relaxMaster{in: in, fixed: make([]float64, nt), capRow: make([]int, nt), group: make([]int, nt), relax: relaxFix}
	for t := range m.group {
		m.group[t] = -1
	}
	for g, members := range in.Groups {
		for _, t := range members {
			m.group[t] = g
		}
	}
	p := &m.prob
	p.Objective = make([]float64, nt+1)
	p.Lower = make([]float64, nt+1)
	p.Upper = make([]float64, nt+1)
	p.Rows = make([]solver.Row, nf+1+len(in.Groups))
	p.Objective[0], p.Upper[0] = 1, 1
	for f := range nf {
		p.Rows[f] = solver.Row{Lower: float64(in.Min[f]), Upper: float64(in.Max[f])}
	}
	p.Rows[nf] = solver.Row{Lower: float64(in.Seats), Upper: float64(in.Seats)}
	for g, members := range in.Groups {
		r := &p.Rows[nf+1+g]
		r.Upper = 1
		for _, t := range members {
			r.Index = append(r.Index, t+1)
			r.Value = append(r.Value, 1)
		}
	}
	for t, ty := range in.Types {
		m.capRow[t] = -1
		p.Upper[t+1] = float64(ty.Count)
		for _, f := range ty.Features {
			p.Rows[f].Index = append(p.Rows[f].Index, t+1)
			p.Rows[f].Value = append(p.Rows[f].Value, 1)
		}
		p.Rows[nf].Index = append(p.Rows[nf].Index, t+1)
		p.Rows[nf].Value = append(p.Rows[nf].Value, 1)
		m.fixed[t] = math.NaN()
		if ty.Count == 0 {
			m.fixed[t] = 0
		} else {
			m.open++
			m.nonEmpty++
		}
	}
	return m
}

// setZ sets z's column: in each row, the people of the open types in it.
func (m *relaxMaster) setZ() error {
	coef := make([]float64, m.lp.NumRows())
	for t, ty := range m.in.Types {
		if !math.IsNaN(m.fixed[t]) {
			continue
		}
		c := float64(ty.Count)
		for _, f := range ty.Features {
			coef[f] += c
		}
		coef[len(m.in.Min)] += c
		if m.capRow[t] >= 0 {
			coef[m.capRow[t]] += c
		}
	}
	for g, members := range m.in.Groups {
		for _, t := range members {
			if math.IsNaN(m.fixed[t]) {
				coef[len(m.in.Min)+1+g] += float64(m.in.Types[t].Count)
			}
		}
	}
	var idx []int
	var val []float64
	for i, v := range coef {
		if v != 0 {
			idx = append(idx, i)
			val = append(val, v)
		}
	}
	if err := m.lp.SetColumn(0, idx, val); err != nil {
		return fmt.Errorf("leximin relaxation: %w", err)
	}
	return nil
}

// solve solves the level's LP: it adds the cap rows the solution breaks
// and loosens the fixed values when round-off makes them unreachable.
func (m *relaxMaster) solve() (*solver.Solution, error) {
	for attempt := 0; ; {
		sol := m.lp.Solve()
		switch sol.Status {
		case solver.Optimal:
			added, err := m.addCaps(sol)
			if err != nil || !added {
				return sol, err
			}
			continue
		case solver.Interrupted:
			return nil, errInterrupted
		case solver.Infeasible:
			if m.open == m.nonEmpty {
				// Nothing is fixed yet: no point meets the quotas, so
				// neither does any panel.
				return nil, ErrInfeasible
			}
			if attempt < relaxRetries {
				attempt++
				if err := m.loosen(); err != nil {
					return nil, err
				}
				continue
			}
		}
		return nil, fmt.Errorf("%v", sol.Status)
	}
}

// addCaps adds the cap row of every open type whose expected count in sol
// exceeds its people. It reports whether it added any.
func (m *relaxMaster) addCaps(sol *solver.Solution) (bool, error) {
	z := sol.X[0]
	added := false
	for t, ty := range m.in.Types {
		c := float64(ty.Count)
		if !math.IsNaN(m.fixed[t]) || m.capRow[t] >= 0 || c*z+sol.X[t+1] <= c+peelTol {
			continue
		}
		i, err := m.lp.AddRow([]int{t + 1}, []float64{1}, math.Inf(-1), c)
		if err != nil {
			return false, fmt.Errorf("leximin relaxation: %w", err)
		}
		m.capRow[t] = i
		added = true
	}
	if added {
		return true, m.setZ()
	}
	return false, nil
}

// loosen lowers every fixed value's bound by a further relaxFix.
func (m *relaxMaster) loosen() error {
	m.relax += relaxFix
	for t, f := range m.fixed {
		if f > 0 {
			if err := m.setFixed(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// setFixed bounds fixed type t's expected count.
func (m *relaxMaster) setFixed(t int) error {
	c := float64(m.in.Types[t].Count)
	if err := m.lp.SetBounds(t+1, math.Max(0, c*(m.fixed[t]-m.relax)), c); err != nil {
		return fmt.Errorf("leximin relaxation: %w", err)
	}
	return nil
}

// values sets x to the expected counts of sol.
func (m *relaxMaster) values(sol *solver.Solution, x []float64) {
	z := sol.X[0]
	for t, ty := range m.in.Types {
		x[t] = sol.X[t+1]
		if math.IsNaN(m.fixed[t]) {
			x[t] += float64(ty.Count) * z
		}
	}
}

// fix fixes the open types that are at z in every optimum of the level
// just solved.
func (m *relaxMaster) fix(sol *solver.Solution, z float64) error {
	// The reduced cost of type t's surplus, per unit of probability:
	// Count_t·Σ (duals of its rows); these sum to 1 over the open types.
	y := func(t int) float64 {
		ty := m.in.Types[t]
		d := sol.RowDuals[len(m.in.Min)]
		for _, f := range ty.Features {
			d += sol.RowDuals[f]
		}
		if g := m.group[t]; g >= 0 {
			d += sol.RowDuals[len(m.in.Min)+1+g]
		}
		if m.capRow[t] >= 0 {
			d += sol.RowDuals[m.capRow[t]]
		}
		return d * float64(ty.Count)
	}
	var newly []int
	best, bestY := -1, math.Inf(-1)
	for t, f := range m.fixed {
		if !math.IsNaN(f) {
			continue
		}
		yt := y(t)
		if yt > bestY {
			best, bestY = t, yt
		}
		if yt > relaxDualTol || z >= 1 {
			newly = append(newly, t)
		}
	}
	if len(newly) == 0 {
		newly = append(newly, best)
	}
	for _, t := range newly {
		m.fixed[t] = z
		m.open--
		// The variable now holds the expected count, not the surplus.
		if err := m.setFixed(t); err != nil {
			return err
		}
		if m.capRow[t] >= 0 {
			if err := m.lp.SetRowBounds(m.capRow[t], math.Inf(-1), math.Inf(1)); err != nil {
				return fmt.Errorf("leximin relaxation: %w", err)
			}
		}
	}
	return m.setZ()
}

// viaRelaxation computes the leximin lottery as the relaxation's leximin
// point written as a lottery over panels (see relaxedLeximin and peeler).
// It returns nil and no error when the point cannot be written so (or
// round-off defeats the relaxation): the column generation then computes
// the lottery from scratch.
func (c *colgen) viaRelaxation() (*Lottery, error) {
	in := c.in
	r, err := c.relaxedLeximin()
	if errors.Is(err, ErrInfeasible) || errors.Is(err, errInterrupted) {
		return nil, err
	}
	if err != nil || len(r.Levels) == 0 {
		// Round-off defeated the relaxation: the column generation
		// does without it.
		return nil, nil
	}
	// got is the probability each type has from the panels found so far:
	// a lower bound on what the finished lottery gives, which reaches the
	// relaxation's point.
	got := make([]float64, len(in.Types))
	progress := func(panels []Panel, weights []float64) {
		k := len(panels) - 1
		for t, x := range panels[k] {
			if x > 0 {
				got[t] += weights[k] * float64(x) / float64(in.Types[t].Count)
			}
		}
		lower, reached := math.Inf(1), 0
		for t, ty := range in.Types {
			if ty.Count > 0 {
				lower = math.Min(lower, got[t])
				if got[t] >= r.Prob[t]-peelAccuracy {
					reached += ty.Count
				}
			}
		}
		c.tr.last.FixedPeople = reached
		c.tr.report(len(panels), lower, r.Levels[0])
	}
	panels, weights, ok, err := newPeeler(in, c.done).peel(r.X, progress)
	if errors.Is(err, errInterrupted) {
		return nil, err
	}
	if err != nil {
		ok = false
	}
	if !ok {
		return nil, nil
	}
	l := &Lottery{}
	sum := 0.0
	for i, w := range weights {
		if w > weightTol {
			l.Panels = append(l.Panels, panels[i])
			l.Weights = append(l.Weights, w)
			sum += w
		}
	}
	for i := range l.Weights {
		l.Weights[i] /= sum
	}
	l.Prob = Marginals(l.Panels, l.Weights, in)
	for t, p := range l.Prob {
		if math.Abs(p-r.Prob[t]) > peelAccuracy {
			return nil, nil
		}
	}
	return l, nil
}

// stopped reports whether the computation's context has ended.
func (c *colgen) stopped() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}
