package leximin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// Tolerances of the column generation.
const (
	// colTol is how much a new panel's dual weight must exceed the master's
	// dual cap for it to be added.
	colTol = 1e-9
	// dualTol is the dual weight above which a type counts as tight and has
	// its probability fixed at the end of a stage (duals sum to 1 per stage).
	dualTol = 1e-7
	// fixRelax relaxes the constraints holding fixed probabilities, so that
	// round-off cannot make a later stage infeasible.
	fixRelax = 1e-8
	// panelsPerRound is how many improving panels one oracle call may
	// return to the master.
	panelsPerRound = 1
	// concurrentTypes is the number of types from which smoothed pricing
	// runs concurrently with the master solve.
	concurrentTypes = 40
	// relaxRetries is how many times a master found infeasible through
	// round-off has its fixed rows loosened by fixRelax before giving up.
	relaxRetries = 3
	// weightTol is the panel weight below which a panel is dropped.
	weightTol = 1e-12
	// parkAbove and parkTo: when the master has more than parkAbove times
	// as many available panel columns as rows, the least promising nonbasic
	// ones are parked down to parkTo times (see park).
	parkAbove = 3
	parkTo    = 2
)

// Leximin returns the leximin lottery: it maximises the smallest per-person
// selection probability, then the second smallest, and so on. It returns
// ErrInfeasible when no panel meets the quotas and ctx.Err() if cancelled.
func Leximin(ctx context.Context, in *Instance) (*Lottery, error) {
	return solveLottery(ctx, in, false, Options{})
}

// LeximinWith is Leximin with options. When ctx ends first it returns a
// *StoppedError with the bounds reached.
func LeximinWith(ctx context.Context, in *Instance, opt Options) (*Lottery, error) {
	return solveLottery(ctx, in, false, opt)
}

// MaximinWith is Maximin with options, stopping as LeximinWith does.
func MaximinWith(ctx context.Context, in *Instance, opt Options) (*Lottery, error) {
	return solveLottery(ctx, in, true, opt)
}

// Maximin returns a lottery that maximises only the smallest per-person
// selection probability (cheaper than Leximin).
func Maximin(ctx context.Context, in *Instance) (*Lottery, error) {
	return solveLottery(ctx, in, true, Options{})
}

// FindPanel returns a feasible panel, or ErrInfeasible.
func FindPanel(in *Instance) (Panel, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	pn, _, ok, err := newOracle(in).best(make([]float64, len(in.Types)), nil)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrInfeasible
	}
	return pn, nil
}

// colgen holds the panels found so far.
type colgen struct {
	in     *Instance
	orc    *oracle
	panels []Panel
	known  map[string]int // panel key: index in panels
	fixed  []float64      // per type; NaN while unfixed
	relax  float64        // how far below its fixed value a fixed row may go
	lp     *solver.LP
	parked []bool // per panel: held at zero, out of the simplex's pricing
	active int    // panels not parked
	tr     *tracker
	done   <-chan struct{} // the context's Done channel
}

// errInterrupted reports that an LP stopped because the context ended.
var errInterrupted = errors.New("leximin: interrupted")

func panelKey(p Panel) string {
	var b strings.Builder
	for _, v := range p {
		b.WriteString(strconv.Itoa(v))
		b.WriteByte(',')
	}
	return b.String()
}

func (c *colgen) add(p Panel) bool {
	k := panelKey(p)
	if _, ok := c.known[k]; ok {
		return false
	}
	c.known[k] = len(c.panels)
	c.panels = append(c.panels, p)
	c.parked = append(c.parked, false)
	return true
}

// offer puts panel p in the master: a new column, or a parked one made
// available again. It reports whether the master changed.
func (c *colgen) offer(p Panel) (bool, error) {
	if c.add(p) {
		return true, c.addColumn(c.lp, p)
	}
	i := c.known[panelKey(p)]
	if !c.parked[i] {
		return false, nil
	}
	c.parked[i] = false
	c.active++
	if err := c.lp.SetBounds(i+1, 0, 1); err != nil {
		return false, fmt.Errorf("leximin master: %w", err)
	}
	return true, nil
}

// park holds at zero (bounds [0, 0]) the nonbasic columns whose reduced
// cost is most negative, when the master has more than parkAbove times as
// many available columns as rows, down to parkTo times: the simplex then
// skips them in pricing, which costs a dot product per column and pivot. A
// parked panel that prices out again is made available by offer, and each
// stage ends only when no panel at all improves, so parking never changes
// the result.
func (c *colgen) park(sol *solver.Solution, w []float64, capv float64) error {
	rows := c.lp.NumRows()
	if c.active <= parkAbove*rows {
		return nil
	}
	type cand struct {
		i  int
		rc float64
	}
	var cands []cand
	for i, pn := range c.panels {
		if i+1 >= len(sol.X) || c.parked[i] || c.lp.IsBasic(i+1) || sol.X[i+1] != 0 {
			continue
		}
		rc := -capv
		for t, x := range pn {
			if x != 0 {
				rc += w[t] * float64(x)
			}
		}
		cands = append(cands, cand{i, rc})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(a.rc, b.rc) })
	drop := c.active - parkTo*rows
	for _, cd := range cands[:min(drop, len(cands))] {
		c.parked[cd.i] = true
		c.active--
		if err := c.lp.SetBounds(cd.i+1, 0, 0); err != nil {
			return fmt.Errorf("leximin master: %w", err)
		}
	}
	return nil
}

func solveLottery(ctx context.Context, in *Instance, onlyFirst bool, opt Options) (*Lottery, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	nt := len(in.Types)
	c := &colgen{in: in, orc: newOracle(in), known: map[string]int{}, fixed: make([]float64, nt), relax: fixRelax,
		tr: newTracker(in, opt), done: ctx.Done()}
	c.orc.done = c.done
	l, err := c.viaRelaxation()
	if l == nil && err == nil {
		l, err = c.run(ctx, onlyFirst)
	}
	if errors.Is(err, errInterrupted) || (err != nil && ctx.Err() != nil) {
		return nil, c.tr.stopped(ctx)
	}
	return l, err
}

// run computes the lottery.
func (c *colgen) run(ctx context.Context, onlyFirst bool) (*Lottery, error) {
	in := c.in
	for t := range c.fixed {
		c.fixed[t] = math.NaN()
		if in.Types[t].Count == 0 {
			c.fixed[t] = 0
		}
	}
	if err := c.seed(ctx); err != nil {
		return nil, err
	}
	var lambda []float64
	var newlyFixed []int
	prevZ := 0.0
	for level := 1; ; level++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		unfixed := 0
		for _, f := range c.fixed {
			if math.IsNaN(f) {
				unfixed++
			}
		}
		if unfixed == 0 {
			break
		}
		// Each level's value is at least the one before (the lottery
		// of the last level stays feasible) and at most 1.
		c.tr.startLevel(level, c.fixed, 1)
		c.tr.last.Lower = prevZ
		z, y, lam, err := c.stage(ctx, newlyFixed)
		if err != nil {
			return nil, err
		}
		prevZ = z
		lambda = lam
		if onlyFirst {
			break
		}
		best := -1
		newlyFixed = newlyFixed[:0]
		for t, f := range c.fixed {
			if !math.IsNaN(f) {
				continue
			}
			if y[t] > dualTol {
				newlyFixed = append(newlyFixed, t)
			}
			if best < 0 || y[t] > y[best] {
				best = t
			}
		}
		if len(newlyFixed) == 0 {
			newlyFixed = append(newlyFixed, best)
		}
		for _, t := range newlyFixed {
			c.fixed[t] = z
		}
	}
	if !onlyFirst && c.lp != nil {
		lam, err := c.polish()
		if err != nil {
			return nil, err
		}
		lambda = lam
	}
	if lambda == nil {
		// Every type had count zero: any panel is a valid lottery.
		lambda = []float64{1}
	}
	l := &Lottery{}
	sum := 0.0
	for i, w := range lambda {
		if w > weightTol {
			l.Panels = append(l.Panels, c.panels[i])
			l.Weights = append(l.Weights, w)
			sum += w
		}
	}
	for i := range l.Weights {
		l.Weights[i] /= sum
	}
	l.Prob = Marginals(l.Panels, l.Weights, in)
	return l, nil
}

// seed finds initial panels: for each type not yet in any panel, a panel
// with that type, preferring other uncovered types. Types that no panel can
// contain get probability zero.
func (c *colgen) seed(ctx context.Context) error {
	in := c.in
	nt := len(in.Types)
	covered := make([]bool, nt)
	w := make([]float64, nt)
	// Weight 1 on the type to cover and a bonus on the other uncovered types
	// small enough that all of it together is at most 1/2.
	bonus := math.Min(1e-3, 0.5/float64(in.Seats))
	first := true
	for t := range nt {
		if covered[t] || in.Types[t].Count == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		for u := range nt {
			w[u] = 0
			if !covered[u] && in.Types[u].Count > 0 {
				w[u] = bonus / float64(in.Types[u].Count)
			}
		}
		w[t] = 1
		pn, ok, err := c.seedPanel(w)
		if err != nil {
			return err
		}
		if !ok {
			if first {
				return ErrInfeasible
			}
			return errors.New("leximin: oracle found no panel after finding one")
		}
		first = false
		c.add(pn)
		for u, x := range pn {
			if x > 0 {
				covered[u] = true
			}
		}
		if pn[t] == 0 {
			c.fixed[t] = 0
		}
	}
	if first {
		pn, err := FindPanel(in)
		if err != nil {
			return err
		}
		c.add(pn)
	}
	return nil
}

// seedPanel returns a panel for seed weights w (1 on the type to cover, at
// most 1/2 in total on the others): the first one the oracle finds with a
// weight above 3/4, which contains the type, or, when there is none, the
// best panel. ok is false when no panel exists.
func (c *colgen) seedPanel(w []float64) (Panel, bool, error) {
	cut := 0.75
	pns, _, err := c.orc.improving(w, &cut, 1)
	if err != nil {
		return nil, false, err
	}
	if len(pns) > 0 {
		return pns[0], true, nil
	}
	pn, _, ok, err := c.orc.best(w, nil)
	return pn, ok, err
}

// stage solves one leximin stage by column generation: it maximises the
// smallest probability z of the unfixed types subject to the fixed ones, and
// returns z, the dual weight per type and the panel weights.
func (c *colgen) stage(ctx context.Context, newlyFixed []int) (z float64, y, lambda []float64, err error) {
	in := c.in
	nt := len(in.Types)
	if c.lp == nil {
		if err := c.newMaster(); err != nil {
			return 0, nil, nil, err
		}
	}
	lp := c.lp
	// Newly fixed types: their rows stop following z and hold their value.
	if len(newlyFixed) > 0 {
		var idx []int
		var val []float64
		for t, f := range c.fixed {
			if math.IsNaN(f) {
				idx = append(idx, t)
				val = append(val, -1)
			}
		}
		if err := lp.SetColumn(0, idx, val); err != nil {
			return 0, nil, nil, fmt.Errorf("leximin master: %w", err)
		}
	}
	for _, t := range newlyFixed {
		if err := lp.SetRowBounds(t, c.fixed[t]-c.relax, math.Inf(1)); err != nil {
			return 0, nil, nil, fmt.Errorf("leximin master: %w", err)
		}
	}
	y = make([]float64, nt)
	w := make([]float64, nt)
	ys := make([]float64, nt)
	sm := newSmoother(nt)
	for {
		if err := ctx.Err(); err != nil {
			return 0, nil, nil, err
		}
		// Pricing at the smoothed point needs only earlier rounds' duals,
		// so it runs alongside the master solve (see smoother).
		// The two share no data, so running them one after the other, as
		// for small instances where starting a goroutine costs more than
		// it saves, gives the same result.
		var pending chan priced
		r := priced{bound: math.Inf(-1)}
		switch {
		case sm.active && nt >= concurrentTypes:
			pending = make(chan priced, 1)
			go func() { pending <- sm.price(c.orc) }()
		case sm.active:
			r = sm.price(c.orc)
		}
		sol, err := c.solveMaster()
		if pending != nil {
			r = <-pending
		}
		spn := r.panel
		if err == nil {
			err = r.err
		}
		if err != nil {
			return 0, nil, nil, err
		}
		for t := range nt {
			y[t] = math.Max(0, -sol.RowDuals[t])
			w[t] = 0
			if in.Types[t].Count > 0 {
				w[t] = y[t] / float64(in.Types[t].Count)
			}
		}
		capv := sol.RowDuals[nt]
		cut := capv + colTol
		if !math.IsInf(r.bound, 0) {
			// The smoothed point's duals bound the level too.
			for t := range nt {
				ys[t] = sm.w[t] * float64(in.Types[t].Count)
			}
			c.tr.report(len(c.panels), sol.X[0], dualBound(in, c.fixed, c.relax, ys, r.bound))
		}
		if improves(spn, w, cut) {
			changed, err := c.offer(spn)
			if err != nil {
				return 0, nil, nil, err
			}
			if changed {
				sm.observe(w, capv)
				if err := c.park(sol, w, capv); err != nil {
					return 0, nil, nil, err
				}
				continue
			}
		}
		// Exact pricing at the master's own duals: only it can end the stage.
		sm.reset(w, capv)
		pns, _, err := c.orc.improving(w, &cut, panelsPerRound)
		if err != nil {
			return 0, nil, nil, err
		}
		switch {
		case len(pns) == 0:
			// No panel beats the cut: the level's value is certified.
			c.tr.report(len(c.panels), sol.X[0], dualBound(in, c.fixed, c.relax, y, math.Min(cut, c.orc.lastBound)))
		case !math.IsInf(c.orc.lastBound, 0):
			c.tr.report(len(c.panels), sol.X[0], dualBound(in, c.fixed, c.relax, y, c.orc.lastBound))
		default:
			c.tr.report(len(c.panels), sol.X[0], math.NaN())
		}
		added := 0
		for _, pn := range pns {
			changed, err := c.offer(pn)
			if err != nil {
				return 0, nil, nil, err
			}
			if changed {
				added++
			}
		}
		if added > 0 {
			if err := c.park(sol, w, capv); err != nil {
				return 0, nil, nil, err
			}
		}
		if added == 0 {
			return sol.X[0], y, sol.X[1:], nil
		}
	}
}

// solveMaster solves the master LP. The previous stage's solution satisfies
// every row, so the master is feasible; but the basic values carry the
// round-off of many updates, and once recomputed from a fresh factorisation a
// fixed row may be violated by a few times the feasibility tolerance, with
// no improving pivot at that tolerance. Each such failure loosens the rows
// holding fixed values by a further fixRelax (up to relaxRetries times),
// which moves those bounds by far less than the 1e-6 the probabilities
// must meet.
func (c *colgen) solveMaster() (*solver.Solution, error) {
	for attempt := 0; ; attempt++ {
		sol := c.lp.Solve()
		if sol.Status == solver.Optimal {
			return sol, nil
		}
		if sol.Status == solver.Interrupted {
			return nil, errInterrupted
		}
		if sol.Status != solver.Infeasible || attempt == relaxRetries {
			return nil, fmt.Errorf("leximin master: %v", sol.Status)
		}
		c.relax += fixRelax
		for t, f := range c.fixed {
			if !math.IsNaN(f) && f > 0 {
				if err := c.lp.SetRowBounds(t, f-c.relax, math.Inf(1)); err != nil {
					return nil, fmt.Errorf("leximin master: %w", err)
				}
			}
		}
	}
}

// polish re-solves the master once every probability is fixed: it maximises
// the smallest margin δ in marginal_t >= fixed_t + δ over all types, so the
// relaxation used between stages does not leak into the final lottery.
func (c *colgen) polish() ([]float64, error) {
	lp := c.lp
	var idx []int
	var val []float64
	for t, f := range c.fixed {
		if f <= 0 || c.in.Types[t].Count == 0 {
			continue
		}
		idx = append(idx, t)
		val = append(val, -1)
		if err := lp.SetRowBounds(t, f, math.Inf(1)); err != nil {
			return nil, fmt.Errorf("leximin polish: %w", err)
		}
	}
	if err := lp.SetColumn(0, idx, val); err != nil {
		return nil, fmt.Errorf("leximin polish: %w", err)
	}
	if err := lp.SetBounds(0, -1, 1); err != nil {
		return nil, fmt.Errorf("leximin polish: %w", err)
	}
	sol := lp.Solve()
	if sol.Status == solver.Interrupted {
		return nil, errInterrupted
	}
	if sol.Status != solver.Optimal {
		return nil, fmt.Errorf("leximin polish: %v", sol.Status)
	}
	return sol.X[1:], nil
}

// newMaster builds the master LP over the panels found so far: variable 0 is
// z, then one weight per panel; row t holds type t's probability, row nt
// makes the weights sum to one.
func (c *colgen) newMaster() error {
	in := c.in
	nt := len(in.Types)
	p := solver.Problem{
		Objective: []float64{1},
		Lower:     []float64{0},
		Upper:     []float64{1},
		Rows:      make([]solver.Row, nt+1),
	}
	for t := range nt {
		f := c.fixed[t]
		switch {
		case math.IsNaN(f):
			p.Rows[t] = solver.Row{Index: []int{0}, Value: []float64{-1}, Lower: 0, Upper: math.Inf(1)}
		case f <= 0:
			p.Rows[t] = solver.Row{Lower: math.Inf(-1), Upper: math.Inf(1)}
		default:
			p.Rows[t] = solver.Row{Lower: f - c.relax, Upper: math.Inf(1)}
		}
	}
	p.Rows[nt] = solver.Row{Lower: 1, Upper: 1}
	lp, err := solver.NewLP(&p)
	if err != nil {
		return fmt.Errorf("leximin master: %w", err)
	}
	lp.Interrupt = c.done
	for _, pn := range c.panels {
		if err := c.addColumn(lp, pn); err != nil {
			return err
		}
	}
	c.lp = lp
	return nil
}

func (c *colgen) addColumn(lp *solver.LP, pn Panel) error {
	c.active++
	var idx []int
	var val []float64
	for t, x := range pn {
		if x > 0 {
			idx = append(idx, t)
			val = append(val, float64(x)/float64(c.in.Types[t].Count))
		}
	}
	idx = append(idx, len(c.in.Types))
	val = append(val, 1)
	if _, err := lp.AddColumn(0, 0, 1, idx, val); err != nil {
		return fmt.Errorf("leximin master: %w", err)
	}
	return nil
}
