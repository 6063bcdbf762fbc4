package solver_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// TestLargeDegenerateMaximin solves maximin masters of the shape leximin
// builds (maximise z; per type, the panels' weighted share of it minus z at
// least 0; weights summing to one) with 300 to 600 rows and few columns:
// most rows are tight at once, the case in which the solver perturbs its
// bounds. The answer must carry an optimality certificate for the true
// bounds, and re-solving warm after more columns must keep it.
func TestLargeDegenerateMaximin(t *testing.T) {
	for _, types := range []int{300, 600} {
		r := rand.New(rand.NewPCG(uint64(types), 7))
		p := solver.Problem{Objective: []float64{1}, Lower: []float64{0}, Upper: []float64{1}}
		for range types {
			p.Rows = append(p.Rows, solver.Row{Index: []int{0}, Value: []float64{-1}, Lower: 0, Upper: math.Inf(1)})
		}
		p.Rows = append(p.Rows, solver.Row{Lower: 1, Upper: 1})
		addPanel := func(p *solver.Problem) {
			j := len(p.Objective)
			p.Objective = append(p.Objective, 0)
			p.Lower = append(p.Lower, 0)
			p.Upper = append(p.Upper, 1)
			for _, t := range r.Perm(types)[:types/8] {
				p.Rows[t].Index = append(p.Rows[t].Index, j)
				p.Rows[t].Value = append(p.Rows[t].Value, 1)
			}
			p.Rows[types].Index = append(p.Rows[types].Index, j)
			p.Rows[types].Value = append(p.Rows[types].Value, 1)
		}
		for range types / 4 {
			addPanel(&p)
		}
		sol, err := solver.SolveLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != solver.Optimal {
			t.Fatalf("%d types: status %v", types, sol.Status)
		}
		checkCertificate(t, &p, sol)
		// Warm: the same LP with more columns, re-solved from its basis.
		lp, err := solver.NewLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		if s := lp.Solve(); s.Status != solver.Optimal || math.Abs(s.Objective-sol.Objective) > 1e-9 {
			t.Fatalf("%d types: re-solve gives %v %v, want %v", types, s.Status, s.Objective, sol.Objective)
		}
		for range types / 4 {
			addPanel(&p)
			j := len(p.Objective) - 1
			var idx []int
			var val []float64
			for i, row := range p.Rows {
				if k := len(row.Index) - 1; k >= 0 && row.Index[k] == j {
					idx = append(idx, i)
					val = append(val, row.Value[k])
				}
			}
			if _, err := lp.AddColumn(0, 0, 1, idx, val); err != nil {
				t.Fatal(err)
			}
		}
		warm := lp.Solve()
		if warm.Status != solver.Optimal {
			t.Fatalf("%d types, warm: status %v", types, warm.Status)
		}
		checkCertificate(t, &p, warm)
		if warm.Objective < sol.Objective-1e-9 {
			t.Errorf("%d types: more columns lowered the optimum from %v to %v", types, sol.Objective, warm.Objective)
		}
	}
}
