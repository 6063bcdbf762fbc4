package sortition

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

// DefaultPanels is the number of panels of the published uniform lottery.
const DefaultPanels = 1000

// Lottery is a published lottery over person-level panels: panel i is drawn
// with probability Weights[i]. Each panel lists ids in pool order.
type Lottery struct {
	Panels  [][]string `json:"panels"`
	Weights []float64  `json:"weights"`
}

// typeModel groups the pool into leximin types: people with the same values
// and no household form one type; people in a household are each their own
// type, and each household is a leximin group.
type typeModel struct {
	in      *leximin.Instance
	members [][]int // per type: pool positions, pool order
	typeOf  []int   // per person: type
	ids     []string
}

// newTypeModel builds the leximin instance of a model.
func newTypeModel(m *model) *typeModel {
	tm := &typeModel{in: &leximin.Instance{Seats: m.seats}, typeOf: make([]int, len(m.ids)), ids: m.ids}
	for _, q := range m.quotas {
		tm.in.Min = append(tm.in.Min, q.Min)
		tm.in.Max = append(tm.in.Max, q.Max)
	}
	byKey := map[string]int{}
	groupOf := map[int]int{}
	for p, f := range m.feat {
		t := -1
		key := fmt.Sprint(f)
		if m.house[p] < 0 {
			if k, ok := byKey[key]; ok {
				t = k
			}
		}
		if t < 0 {
			t = len(tm.in.Types)
			tm.in.Types = append(tm.in.Types, leximin.Type{Features: append([]int(nil), f...)})
			tm.members = append(tm.members, nil)
			if m.house[p] < 0 {
				byKey[key] = t
			}
		}
		tm.in.Types[t].Count++
		tm.members[t] = append(tm.members[t], p)
		tm.typeOf[p] = t
		if h := m.house[p]; h >= 0 {
			g, ok := groupOf[h]
			if !ok {
				g = len(tm.in.Groups)
				groupOf[h] = g
				tm.in.Groups = append(tm.in.Groups, nil)
			}
			tm.in.Groups[g] = append(tm.in.Groups[g], t)
		}
	}
	return tm
}

// lotteryResult is what Prepare publishes for leximin and maximin.
type lotteryResult struct {
	lottery    *Lottery
	probs      map[string]float64
	minProb    float64
	optimalMin float64
	maxDev     float64
}

// solveLottery computes the optimal lottery (leximin or maximin), rounds it to
// a uniform lottery over panels panels and turns type counts into people.
func solveLottery(ctx context.Context, m *model, algorithm string, panels int) (*lotteryResult, error) {
	tm := newTypeModel(m)
	l, err := solveTypes(ctx, tm.in, algorithm)
	if errors.Is(err, leximin.ErrInfeasible) {
		return nil, diagnose(m, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("%s lottery: %w", algorithm, err)
	}
	typePanels, _, err := leximin.Round(l, tm.in, panels)
	if err != nil {
		return nil, fmt.Errorf("round the %s lottery to %d panels: %w", algorithm, panels, err)
	}
	res := &lotteryResult{lottery: &Lottery{Panels: tm.people(typePanels), Weights: make([]float64, len(typePanels))}}
	for i := range res.lottery.Weights {
		res.lottery.Weights[i] = 1 / float64(len(typePanels))
	}
	res.probs = uniformMarginals(res.lottery, m.ids)
	res.minProb = minValue(res.probs, m.ids)
	res.optimalMin = math.Inf(1)
	for p, id := range m.ids {
		exact := l.Prob[tm.typeOf[p]]
		res.optimalMin = math.Min(res.optimalMin, exact)
		res.maxDev = math.Max(res.maxDev, math.Abs(res.probs[id]-exact))
	}
	return res, nil
}

// people turns type-count panels into panels of ids: within each type, seats
// go round-robin over the type's members in pool order, continuing from panel
// to panel, so that every member's count is within one of every other's.
func (tm *typeModel) people(panels []leximin.Panel) [][]string {
	next := make([]int, len(tm.members))
	out := make([][]string, len(panels))
	for i, pn := range panels {
		var pos []int
		for t, x := range pn {
			for range x {
				mem := tm.members[t]
				pos = append(pos, mem[next[t]%len(mem)])
				next[t]++
			}
		}
		sort.Ints(pos)
		out[i] = make([]string, len(pos))
		for k, p := range pos {
			out[i][k] = tm.ids[p]
		}
	}
	return out
}

// marginals sums, per person, the weights of the panels that include them.
func marginals(l *Lottery, ids []string) map[string]float64 {
	probs := make(map[string]float64, len(ids))
	for _, id := range ids {
		probs[id] = 0
	}
	for i, pn := range l.Panels {
		for _, id := range pn {
			probs[id] += l.Weights[i]
		}
	}
	return probs
}

// uniformMarginals is each person's probability under a uniform lottery:
// the number of panels including them divided by the number of panels (equal
// to marginals up to rounding, and printed without summation noise).
func uniformMarginals(l *Lottery, ids []string) map[string]float64 {
	count := make(map[string]int, len(ids))
	for _, pn := range l.Panels {
		for _, id := range pn {
			count[id]++
		}
	}
	probs := make(map[string]float64, len(ids))
	for _, id := range ids {
		probs[id] = float64(count[id]) / float64(len(l.Panels))
	}
	return probs
}

// minValue is the smallest probability over the given ids.
func minValue(probs map[string]float64, ids []string) float64 {
	lo := math.Inf(1)
	for _, id := range ids {
		lo = math.Min(lo, probs[id])
	}
	return lo
}
