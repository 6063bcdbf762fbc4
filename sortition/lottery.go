package sortition

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
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

// solveExact computes the optimal (leximin or maximin) lottery over types.
func solveExact(ctx context.Context, m *model, algorithm string) (*typeModel, *leximin.Lottery, error) {
	tm := newTypeModel(m)
	l, err := solveTypes(ctx, tm.in, algorithm)
	if errors.Is(err, leximin.ErrInfeasible) {
		return nil, nil, diagnose(m, nil)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s lottery: %w", algorithm, err)
	}
	return tm, l, nil
}

// solveLottery computes the optimal lottery (leximin or maximin), rounds it to
// a uniform lottery over panels panels and turns type counts into people.
func solveLottery(ctx context.Context, m *model, algorithm string, panels int) (*lotteryResult, error) {
	tm, l, err := solveExact(ctx, m, algorithm)
	if err != nil {
		return nil, err
	}
	typePanels, _, err := leximin.Round(l, tm.in, panels)
	if err != nil {
		return nil, fmt.Errorf("round the %s lottery to %d panels: %w", algorithm, panels, err)
	}
	res := &lotteryResult{lottery: &Lottery{Panels: tm.people(typePanels), Weights: make([]float64, len(typePanels))}}
	for i := range res.lottery.Weights {
		res.lottery.Weights[i] = 1 / float64(len(typePanels))
	}
	res.probs = tm.marginals(res.lottery, m)
	res.minProb = minValue(res.probs, m.ids)
	res.optimalMin = math.Inf(1)
	for p, id := range m.ids {
		exact := l.Prob[tm.typeOf[p]]
		res.optimalMin = math.Min(res.optimalMin, exact)
		res.maxDev = math.Max(res.maxDev, math.Abs(res.probs[id]-exact))
	}
	if bound := RoundingBound(panels); res.maxDev > bound {
		return nil, &InputError{File: "parameters", Column: "panels", Message: fmt.Sprintf("rounding the %s lottery to %d panels moves a probability by %.6f, more than the bound %.6f (%g/m): use more panels", algorithm, panels, res.maxDev, bound, roundingBoundPanels)}
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

// marginals is each person's probability under a uniform lottery whose
// seats are dealt uniformly among interchangeable people (see deal): for a
// person of type t, the number of seats all panels give to type t divided by
// (number of panels × number of people of type t). Panels listing ids not in
// the pool count for nobody.
func (tm *typeModel) marginals(l *Lottery, m *model) map[string]float64 {
	seats := make([]int, len(tm.members))
	for _, pn := range l.Panels {
		for _, id := range pn {
			if p, ok := m.index[id]; ok {
				seats[tm.typeOf[p]]++
			}
		}
	}
	probs := make(map[string]float64, len(m.ids))
	for p, id := range m.ids {
		t := tm.typeOf[p]
		probs[id] = float64(seats[t]) / float64(len(l.Panels)*len(tm.members[t]))
	}
	return probs
}

// deal turns the panel the lottery index picks (pool positions of the listed
// people) into the people who take its seats: for each type, in order of its
// first member in the pool, with k of the listed people and n members, k
// members are chosen uniformly at random by a partial Fisher–Yates shuffle of
// the members in pool order (for j = 0 .. k-1: swap position j with position
// j + Uniform(n-j)); the first k are taken. Types with k = 0 use no random
// numbers. The result is in pool order.
func (tm *typeModel) deal(listed []int, s *Stream) []int {
	k := make([]int, len(tm.members))
	for _, p := range listed {
		k[tm.typeOf[p]]++
	}
	var out []int
	for t, mem := range tm.members {
		if k[t] == 0 {
			continue
		}
		a := slices.Clone(mem)
		for j := range k[t] {
			r := j + s.Uniform(len(a)-j)
			a[j], a[r] = a[r], a[j]
		}
		out = append(out, a[:k[t]]...)
	}
	slices.Sort(out)
	return out
}

// minValue is the smallest probability over the given ids.
func minValue(probs map[string]float64, ids []string) float64 {
	lo := math.Inf(1)
	for _, id := range ids {
		lo = math.Min(lo, probs[id])
	}
	return lo
}
