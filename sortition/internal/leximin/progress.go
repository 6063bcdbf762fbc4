package leximin

import (
	"context"
	"fmt"
	"math"
)

// Progress describes a computation under way. Level is the leximin level
// being solved (1 for the smallest probability; maximin has only level 1).
// Lower and Upper bound the value of that level, the smallest per-person
// probability among the people not yet fixed, given the levels before:
// Lower is reached by the lottery over the panels found so far, and Upper
// is certified by a dual bound, so the optimum lies in [Lower, Upper] up to
// the 1e-8 relaxation of fixed probabilities. A level ends when the two
// meet. While the relaxation's leximin point is written as panels, the
// reports are for level 1: Upper is the relaxation's value, Lower the
// smallest probability the panels found so far give, and FixedPeople
// counts the people whose probability those panels already reach.
type Progress struct {
	Level       int
	FixedPeople int // people whose probability is final
	People      int // everyone in the pool
	Panels      int // panels generated so far
	Lower       float64
	Upper       float64
}

// String renders the progress on one line, e.g. for a terminal.
func (p Progress) String() string {
	return fmt.Sprintf("level %d: %d of %d people fixed, smallest open probability in [%.6f, %.6f], %d panels",
		p.Level, p.FixedPeople, p.People, p.Lower, p.Upper, p.Panels)
}

// Options tunes a computation.
type Options struct {
	// OnProgress, when not nil, is called from the computing goroutine
	// after every master solve (often: throttle any output).
	OnProgress func(Progress)
}

// StoppedError is returned when the context ends a computation before the
// lottery is complete. Reached holds the bounds reached; no lottery is
// returned.
type StoppedError struct {
	Reached Progress
	Err     error // the context's error
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("leximin: stopped (%v) at %v", e.Err, e.Reached)
}

// Unwrap returns the context's error.
func (e *StoppedError) Unwrap() error { return e.Err }

// tracker follows the progress of one computation.
type tracker struct {
	opt  Options
	last Progress
	in   *Instance
}

func newTracker(in *Instance, opt Options) *tracker {
	people := 0
	for _, ty := range in.Types {
		people += ty.Count
	}
	return &tracker{opt: opt, in: in, last: Progress{Level: 1, People: people, Upper: 1}}
}

// startLevel begins a new level whose value is at most upper.
func (tr *tracker) startLevel(level int, fixed []float64, upper float64) {
	tr.last.Level = level
	tr.last.FixedPeople = 0
	for t, f := range fixed {
		if !math.IsNaN(f) {
			tr.last.FixedPeople += tr.in.Types[t].Count
		}
	}
	tr.last.Lower, tr.last.Upper = 0, upper
}

// report records the master's value and a dual bound (NaN: none) and calls
// the callback.
func (tr *tracker) report(panels int, lower, upper float64) {
	tr.last.Panels = panels
	tr.last.Lower = math.Max(tr.last.Lower, lower)
	if !math.IsNaN(upper) {
		tr.last.Upper = math.Min(tr.last.Upper, upper)
	}
	tr.last.Upper = math.Max(tr.last.Upper, tr.last.Lower)
	if tr.opt.OnProgress != nil {
		tr.opt.OnProgress(tr.last)
	}
}

// stopped wraps the context's error with the progress reached.
func (tr *tracker) stopped(ctx context.Context) error {
	return &StoppedError{Reached: tr.last, Err: ctx.Err()}
}

// dualBound returns the Lagrangian upper bound on the level's value at
// per-type dual weights y (y >= 0): for any lottery, z <= max(0, 1 - Σ_U y)
// + max over panels of Σ_t y_t x_t/c_t - Σ_F y_t (f_t - relax), where U are
// the unfixed types, F the fixed ones and the maximum is bounded by the
// oracle's relaxation value relaxed.
func dualBound(in *Instance, fixed []float64, relax float64, y []float64, relaxed float64) float64 {
	sumU := 0.0
	b := relaxed
	for t, f := range fixed {
		if in.Types[t].Count == 0 {
			continue
		}
		if math.IsNaN(f) {
			sumU += y[t]
		} else if f > 0 {
			b -= y[t] * (f - relax)
		}
	}
	return b + math.Max(0, 1-sumU)
}
