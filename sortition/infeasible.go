package sortition

import (
	"fmt"
	"math"
	"strings"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// InfeasibleError reports quotas that no panel from the pool can meet. It
// lists what cannot be met and, when the quotas carry min_flex/max_flex, the
// smallest relaxation within them that makes a panel possible.
type InfeasibleError struct {
	// Problems name the category values (or combinations) that cannot be met,
	// e.g. "gender=male: min 12 but only 9 in the pool".
	Problems []string
	// Relaxation is the smallest total change of min and max bounds (in
	// seats) that makes a panel possible: within the min_flex/max_flex limits
	// when the quotas have them and that suffices (WithinFlex), otherwise
	// with any bound moved one seat at a time. Nil only when no relaxation of
	// the quotas helps (too few people, or the household rule).
	Relaxation []Relaxation
	// WithinFlex says the relaxation stays within min_flex/max_flex.
	WithinFlex bool
}

// Relaxation is one quota's suggested new bounds.
type Relaxation struct {
	Category, Value string
	Min, Max        int // suggested bounds
	OldMin, OldMax  int // the quota file's bounds
}

// Error lists the problems and the suggested relaxation.
func (e *InfeasibleError) Error() string {
	var b strings.Builder
	b.WriteString("the quotas cannot be met: ")
	b.WriteString(strings.Join(e.Problems, "; "))
	if len(e.Relaxation) > 0 {
		if e.WithinFlex {
			b.WriteString("; smallest relaxation within min_flex/max_flex that makes a panel possible: ")
		} else {
			b.WriteString("; smallest relaxation (fewest seats moved) that makes a panel possible: ")
		}
		parts := make([]string, len(e.Relaxation))
		for i, r := range e.Relaxation {
			parts[i] = fmt.Sprintf("%s=%s min %d→%d max %d→%d", r.Category, r.Value, r.OldMin, r.Min, r.OldMax, r.Max)
		}
		b.WriteString(strings.Join(parts, ", "))
	}
	return b.String()
}

// diagnose explains why no panel meets the quotas: single values whose minimum
// exceeds the people available (counting one per household), else the first
// pair of categories (in quota order) that together cannot be met, else the
// whole set; then it looks for the smallest relaxation within the flex limits.
func diagnose(m *model, tm *typeModel) error {
	if tm == nil {
		tm = newTypeModel(m)
	}
	e := &InfeasibleError{}
	avail := m.availablePerQuota()
	for k, q := range m.quotas {
		if avail[k] < q.Min {
			e.Problems = append(e.Problems, fmt.Sprintf("%s: min %d but only %d in the pool%s", m.describe(k), q.Min, avail[k], householdNote(len(m.byQ[k]), avail[k])))
		}
	}
	if len(e.Problems) == 0 {
		e.Problems = append(e.Problems, combinationProblem(m, tm))
	}
	rel, err := relax(m, tm, true)
	if err != nil {
		return fmt.Errorf("diagnose infeasible quotas: %w", err)
	}
	e.Relaxation, e.WithinFlex = rel, rel != nil
	if rel == nil {
		if e.Relaxation, err = relax(m, tm, false); err != nil {
			return fmt.Errorf("diagnose infeasible quotas: %w", err)
		}
	}
	return e
}

// householdNote explains a count reduced by the household rule.
func householdNote(people, avail int) string {
	if people == avail {
		return ""
	}
	return fmt.Sprintf(" (%d people, %d households)", people, avail)
}

// availablePerQuota counts, per quota, how many people having it could sit
// together: one per household.
func (m *model) availablePerQuota() []int {
	out := make([]int, len(m.quotas))
	for k, ps := range m.byQ {
		seen := map[int]bool{}
		for _, p := range ps {
			if h := m.house[p]; h >= 0 {
				if seen[h] {
					continue
				}
				seen[h] = true
			}
			out[k]++
		}
	}
	return out
}

// combinationProblem names the first pair of categories whose quotas cannot be
// met together, or says the full set is infeasible.
func combinationProblem(m *model, tm *typeModel) string {
	use := make([]bool, len(m.cats))
	for a := range m.cats {
		for b := a + 1; b < len(m.cats); b++ {
			clear(use)
			use[a], use[b] = true, true
			if ok, err := feasible(m, tm, use); err == nil && !ok {
				return fmt.Sprintf("the quotas of %s and %s cannot be met together by %d people from this pool", m.cats[a], m.cats[b], m.seats)
			}
		}
	}
	return fmt.Sprintf("no combination of %d people from this pool meets all the quotas together", m.seats)
}

// panelProblem builds the panel MIP over type counts: the seat row, the
// quota rows of the categories in use (all when use is nil) and the household
// rows. Extra slack columns may be appended by the caller.
func panelProblem(m *model, tm *typeModel, use []bool) *solver.Problem {
	nt := len(tm.in.Types)
	p := &solver.Problem{Objective: make([]float64, nt), Lower: make([]float64, nt), Upper: make([]float64, nt), Integer: make([]bool, nt)}
	all := make([]int, nt)
	ones := make([]float64, nt)
	for t, ty := range tm.in.Types {
		p.Upper[t] = float64(ty.Count)
		p.Integer[t] = true
		all[t], ones[t] = t, 1
	}
	p.Rows = append(p.Rows, solver.Row{Index: all, Value: ones, Lower: float64(m.seats), Upper: float64(m.seats)})
	for k, q := range m.quotas {
		if use != nil && !use[categoryIndex(m, k)] {
			continue
		}
		r := solver.Row{Lower: float64(q.Min), Upper: float64(q.Max)}
		for t, ty := range tm.in.Types {
			for _, f := range ty.Features {
				if f == k {
					r.Index = append(r.Index, t)
					r.Value = append(r.Value, 1)
				}
			}
		}
		p.Rows = append(p.Rows, r)
	}
	for _, g := range tm.in.Groups {
		r := solver.Row{Lower: math.Inf(-1), Upper: 1}
		for _, t := range g {
			r.Index = append(r.Index, t)
			r.Value = append(r.Value, 1)
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// categoryIndex is the category of quota k.
func categoryIndex(m *model, k int) int {
	for c, cat := range m.cats {
		if cat == m.quotas[k].Category {
			return c
		}
	}
	return -1
}

// feasible reports whether some panel meets the quotas of the categories in use.
func feasible(m *model, tm *typeModel, use []bool) (bool, error) {
	sol, err := solver.SolveMIP(panelProblem(m, tm, use))
	if err != nil {
		return false, err
	}
	return sol.Status == solver.Optimal, nil
}

// relax finds the smallest total relaxation of the quota bounds that admits
// a panel: a MIP over type counts plus, per quota, integral slacks lowering
// its min and raising its max, minimising the sum of the slacks (seats moved
// one at a time). Within flex, a min may go down to min_flex and a max up to
// max_flex (quotas without them stay); otherwise any min may go down to 0 and
// any max up to the seats. It returns the changed quotas, or nil when (within
// flex) no quota has flex or nothing works.
func relax(m *model, tm *typeModel, withinFlex bool) ([]Relaxation, error) {
	hasFlex := false
	for _, q := range m.quotas {
		if q.MinFlex != nil || q.MaxFlex != nil {
			hasFlex = true
		}
	}
	if withinFlex && !hasFlex {
		return nil, nil
	}
	p := panelProblem(m, tm, nil)
	nt := len(tm.in.Types)
	for k, q := range m.quotas {
		row := &p.Rows[1+k]
		lo, hi := 0, 0
		switch {
		case !withinFlex:
			lo, hi = q.Min, max(0, m.seats-q.Max)
		default:
			if q.MinFlex != nil {
				lo = q.Min - *q.MinFlex
			}
			if q.MaxFlex != nil {
				hi = *q.MaxFlex - q.Max
			}
		}
		// row: min - sLo <= sum x <= max + sHi, written as two ranged rows.
		sLo, sHi := len(p.Objective), len(p.Objective)+1
		p.Objective = append(p.Objective, -1, -1)
		p.Lower = append(p.Lower, 0, 0)
		p.Upper = append(p.Upper, float64(lo), float64(hi))
		p.Integer = append(p.Integer, true, true)
		idx := append([]int(nil), row.Index...)
		val := append([]float64(nil), row.Value...)
		*row = solver.Row{Index: append(idx, sLo), Value: append(val, 1), Lower: float64(q.Min), Upper: math.Inf(1)}
		p.Rows = append(p.Rows, solver.Row{Index: append(append([]int(nil), idx...), sHi), Value: append(append([]float64(nil), val...), -1), Lower: math.Inf(-1), Upper: float64(q.Max)})
	}
	sol, err := solver.SolveMIP(p)
	if err != nil {
		return nil, err
	}
	if sol.Status != solver.Optimal {
		return nil, nil
	}
	var out []Relaxation
	for k, q := range m.quotas {
		lo := int(math.Round(sol.X[nt+2*k]))
		hi := int(math.Round(sol.X[nt+2*k+1]))
		if lo != 0 || hi != 0 {
			out = append(out, Relaxation{Category: q.Category, Value: q.Value, Min: q.Min - lo, Max: q.Max + hi, OldMin: q.Min, OldMax: q.Max})
		}
	}
	return out, nil
}
