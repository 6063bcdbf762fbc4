package solver_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// TestWarmStartMatchesColdSolve edits an LP after solving it (new column,
// new bounds, changed coefficient, changed objective) and checks that the
// warm re-solve reaches the same optimum as a cold solve of the edited problem.
func TestWarmStartMatchesColdSolve(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for c := 0; c < 200; c++ {
		n, m := 2+r.IntN(8), 1+r.IntN(6)
		p := randomProblem(r, n, m)
		p.Integer = nil
		lp, err := solver.NewLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		lp.Solve()
		// New column.
		var idx []int
		var val []float64
		for i := range m {
			if r.IntN(2) == 0 {
				idx = append(idx, i)
				val = append(val, float64(r.IntN(5)-2))
			}
		}
		obj := float64(r.IntN(9) - 4)
		if _, err := lp.AddColumn(obj, 0, 2, idx, val); err != nil {
			t.Fatal(err)
		}
		p.Objective = append(p.Objective, obj)
		p.Lower = append(p.Lower, 0)
		p.Upper = append(p.Upper, 2)
		for k, i := range idx {
			p.Rows[i].Index = append(p.Rows[i].Index, n)
			p.Rows[i].Value = append(p.Rows[i].Value, val[k])
		}
		// New bounds on a variable and a row.
		j := r.IntN(n)
		lo, up := p.Lower[j], p.Lower[j]+float64(r.IntN(2))
		if err := lp.SetBounds(j, lo, up); err != nil {
			t.Fatal(err)
		}
		p.Lower[j], p.Upper[j] = lo, up
		i := r.IntN(m)
		if err := lp.SetRowBounds(i, -10, 10); err != nil {
			t.Fatal(err)
		}
		p.Rows[i].Lower, p.Rows[i].Upper = -10, 10
		// Changed coefficient (possibly of a basic variable) and objective.
		row, col, v := r.IntN(m), r.IntN(n), float64(r.IntN(5)-2)
		if err := lp.SetCoef(row, col, v); err != nil {
			t.Fatal(err)
		}
		setCoef(&p.Rows[row], col, v)
		lp.SetObjective(0, 7)
		p.Objective[0] = 7

		warm := lp.Solve()
		cold, err := solver.SolveLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		if warm.Status != cold.Status {
			t.Errorf("case %d: got warm status %v, cold %v", c, warm.Status, cold.Status)
			continue
		}
		if cold.Status == solver.Optimal {
			if math.Abs(warm.Objective-cold.Objective) > 1e-7 {
				t.Errorf("case %d: got warm objective %v, cold %v", c, warm.Objective, cold.Objective)
			}
			checkCertificate(t, &p, warm)
		}
	}
}

func setCoef(r *solver.Row, col int, v float64) {
	for k, j := range r.Index {
		if j == col {
			r.Value[k] = v
			return
		}
	}
	r.Index = append(r.Index, col)
	r.Value = append(r.Value, v)
}

// TestBranchAndBoundReuse solves one MIP repeatedly with changing objectives
// on the same LP and compares each result with brute force.
func TestBranchAndBoundReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for c := 0; c < 50; c++ {
		p := randomProblem(r, 2+r.IntN(4), 1+r.IntN(4))
		lp, err := solver.NewLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 5; round++ {
			for j := range p.Objective {
				p.Objective[j] = float64(r.IntN(11)-5) + r.Float64()
				lp.SetObjective(j, p.Objective[j])
			}
			want, feasible := bruteForce(&p)
			sol, err := lp.BranchAndBound(p.Integer, solver.MIPOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !feasible {
				if sol.Status != solver.Infeasible {
					t.Errorf("case %d.%d: got %v, want infeasible", c, round, sol.Status)
				}
				continue
			}
			if sol.Status != solver.Optimal || math.Abs(sol.Objective-want) > 1e-6 {
				t.Errorf("case %d.%d: got %v %v, want optimal %v", c, round, sol.Status, sol.Objective, want)
			}
		}
	}
}
