package sortition

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// algorithm is one way of choosing a panel, looked up by its record name.
type algorithm interface {
	// prepare runs before the seed is known: lottery algorithms compute and
	// fill rec's lottery fields; others check feasibility.
	prepare(ctx context.Context, m *model, rec *Record) error
	// choose picks the panel the seed decides: the lottery index (nil when
	// the algorithm has no lottery) and the members' pool positions.
	choose(m *model, rec *Record, seed string) (*int, []int, error)
}

// algorithmByName returns the algorithm a record names.
func algorithmByName(name string) (algorithm, error) {
	switch name {
	case AlgorithmLeximin, AlgorithmMaximin:
		return lotteryAlgorithm{name: name}, nil
	case AlgorithmLegacy:
		return legacyAlgorithm{}, nil
	}
	return nil, fmt.Errorf("unknown algorithm %q; want one of %v", name, Algorithms())
}

// lotteryAlgorithm publishes a uniform lottery (leximin or maximin, rounded)
// and lets the seed pick an index.
type lotteryAlgorithm struct{ name string }

func (a lotteryAlgorithm) prepare(ctx context.Context, m *model, rec *Record) error {
	res, err := solveLottery(ctx, m, a.name, rec.PanelsCount)
	if err != nil {
		return err
	}
	rec.Lottery, rec.Probabilities = res.lottery, res.probs
	rec.MinProbability, rec.OptimalMinProbability, rec.MaxDeviation = res.minProb, res.optimalMin, res.maxDev
	return nil
}

func (lotteryAlgorithm) choose(m *model, rec *Record, seed string) (*int, []int, error) {
	if rec.Lottery == nil || len(rec.Lottery.Panels) == 0 {
		return nil, nil, errors.New("the record has no lottery")
	}
	i := LotteryIndex(seed, len(rec.Lottery.Panels))
	listed, err := m.positions(rec.Lottery.Panels[i])
	if err != nil {
		return nil, nil, fmt.Errorf("lottery panel %d: %w", i, err)
	}
	return &i, newTypeModel(m).deal(listed, NewStream(PurposeMembers, seed)), nil
}

// legacyAlgorithm runs the greedy legacy draw on the legacy stream.
type legacyAlgorithm struct{}

func (legacyAlgorithm) prepare(_ context.Context, m *model, _ *Record) error {
	if ok, err := feasible(m, newTypeModel(m), nil); err == nil && !ok {
		return diagnose(m, nil)
	}
	return nil
}

func (legacyAlgorithm) choose(m *model, rec *Record, seed string) (*int, []int, error) {
	panel, err := legacyDraw(m, NewStream(PurposeLegacy, seed), rec.LegacyAttempts)
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(panel)
	return nil, panel, nil
}
