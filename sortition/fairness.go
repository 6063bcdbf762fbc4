package sortition

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// roundingBoundPanels is the rounding bound times the number of panels.
const roundingBoundPanels = 3.0

// RoundingBound is the documented bound on how far rounding the optimal
// lottery to a uniform lottery over m panels may move any person's
// probability: 3/m. Prepare refuses a rounding that exceeds it, and Verify
// refuses a record whose max_deviation exceeds it.
func RoundingBound(m int) float64 {
	if m <= 0 {
		return 0
	}
	return roundingBoundPanels / float64(m)
}

// fairnessCheck re-solves the optimum from the record's pool and quotas and
// checks that the published lottery is a rounding of it: every published
// probability within max_deviation of the optimal one (leximin; for
// maximin, whose optimum fixes only the smallest probability, nobody below
// the optimal minimum by more than max_deviation), max_deviation the
// largest such distance and within RoundingBound, and
// optimal_min_probability the optimum's smallest probability. Figures are
// compared with ResolveTolerance, the solver's accuracy.
func (r *Record) fairnessCheck(ctx context.Context, m *model) error {
	tm, l, err := solveExact(ctx, m, r.Algorithm)
	if err != nil {
		return fmt.Errorf("re-solving the %s optimum failed: %w", r.Algorithm, err)
	}
	exactMin := math.Inf(1)
	for p := range m.ids {
		exactMin = math.Min(exactMin, l.Prob[tm.typeOf[p]])
	}
	var bad []error
	if math.Abs(exactMin-r.OptimalMinProbability) > ResolveTolerance {
		bad = append(bad, fmt.Errorf("optimal_min_probability is %.9f, the %s optimum is %.9f", r.OptimalMinProbability, r.Algorithm, exactMin))
	}
	worst, worstID := 0.0, ""
	for p, id := range m.ids {
		exact, got := l.Prob[tm.typeOf[p]], r.Probabilities[id]
		dev := math.Abs(got - exact)
		if r.Algorithm == AlgorithmMaximin {
			dev = math.Max(0, exactMin-got)
		}
		if dev > worst {
			worst, worstID = dev, id
		}
		if dev > r.MaxDeviation+ResolveTolerance && len(bad) < 5 {
			if r.Algorithm == AlgorithmMaximin {
				bad = append(bad, fmt.Errorf("person %q has probability %.6f, %.6f below the maximin optimum %.6f, more than max_deviation %.6f", id, got, dev, exactMin, r.MaxDeviation))
			} else {
				bad = append(bad, fmt.Errorf("person %q has probability %.6f, the leximin optimum gives %.6f: %.6f apart, more than max_deviation %.6f", id, got, exact, dev, r.MaxDeviation))
			}
		}
	}
	if r.Algorithm == AlgorithmLeximin && math.Abs(worst-r.MaxDeviation) > ResolveTolerance {
		bad = append(bad, fmt.Errorf("max_deviation is %.6f, but the published probabilities are at most %.6f from the leximin optimum (person %q)", r.MaxDeviation, worst, worstID))
	}
	if bound := RoundingBound(r.PanelsCount); r.MaxDeviation > bound+ProbabilityTolerance {
		bad = append(bad, fmt.Errorf("max_deviation %.6f is above the rounding bound %.6f (%g/m for m = %d)", r.MaxDeviation, bound, roundingBoundPanels, r.PanelsCount))
	}
	return errors.Join(bad...)
}
