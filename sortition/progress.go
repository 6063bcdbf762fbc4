package sortition

import (
	"context"
	"errors"
	"fmt"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

// Progress describes a leximin or maximin computation under way (Prepare, or
// Verify re-solving). Level is the leximin level being solved: level 1 is the
// smallest selection probability, level 2 the smallest among the people not
// fixed at level 1, and so on (maximin has only level 1). FixedPeople is how
// many people have their final probability. Lower and Upper bound the
// current level's optimal value: Lower is reached by the lottery over the
// Panels found so far and Upper is certified by the solver's dual bound, so
// the optimum lies in [Lower, Upper]; the level ends when they meet. The
// usual computation (see the package documentation, Leximin) first bounds
// every level by the relaxation and then finds panels that reach the
// bounds: its reports are for level 1, with FixedPeople the people whose
// probability the panels found so far already reach.
type Progress struct {
	Level       int
	FixedPeople int
	People      int
	Panels      int
	Lower       float64
	Upper       float64
}

// String renders the progress on one line.
func (p Progress) String() string {
	return fmt.Sprintf("level %d: %d of %d people fixed, smallest open probability between %.6f and %.6f (%d panels)",
		p.Level, p.FixedPeople, p.People, p.Lower, p.Upper, p.Panels)
}

// StoppedError is returned (wrapped) by Prepare and Verify when their
// context ends while the lottery is computed, for example at the deadline of
// a time budget. No record is produced. Reached holds the certified bounds
// reached; errors.Is(err, context.DeadlineExceeded) or context.Canceled
// tells why it stopped.
type StoppedError struct {
	Reached Progress
	Err     error // the context's error
}

// Error says where the computation stopped.
func (e *StoppedError) Error() string {
	return fmt.Sprintf("stopped (%v) at %v", e.Err, e.Reached)
}

// Unwrap returns the context's error.
func (e *StoppedError) Unwrap() error { return e.Err }

type progressKey struct{}

// WithProgress returns a context under which the lottery computations of
// Prepare and Verify call f with their progress. f runs on the computing
// goroutine, often (after every master solve): it should be quick and
// throttle any output itself.
func WithProgress(ctx context.Context, f func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, f)
}

// solveTypes computes the leximin or maximin lottery over types, reporting
// progress to the context's callback and turning a stop into a StoppedError.
func solveTypes(ctx context.Context, in *leximin.Instance, algorithm string) (*leximin.Lottery, error) {
	var opt leximin.Options
	if f, ok := ctx.Value(progressKey{}).(func(Progress)); ok && f != nil {
		opt.OnProgress = func(p leximin.Progress) { f(Progress(p)) }
	}
	solve := leximin.LeximinWith
	if algorithm == AlgorithmMaximin {
		solve = leximin.MaximinWith
	}
	l, err := solve(ctx, in, opt)
	var stopped *leximin.StoppedError
	if errors.As(err, &stopped) {
		return nil, &StoppedError{Reached: Progress(stopped.Reached), Err: stopped.Err}
	}
	return l, err
}
