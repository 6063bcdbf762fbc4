package leximin_test

import (
	"math"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// bruteLeximin computes the leximin per-type probabilities over an explicit
// list of all feasible panels without duals: each stage maximises the lowest
// unfixed probability z, then fixes every unfixed type that cannot rise
// above z while the others keep z.
func bruteLeximin(t *testing.T, in *leximin.Instance, panels []leximin.Panel) []float64 {
	t.Helper()
	nt := len(in.Types)
	fixed := make([]float64, nt)
	for k := range fixed {
		fixed[k] = math.NaN()
	}
	// lp builds: variables z, λ_1..λ_P; objective picks z or type goal's marginal.
	solve := func(goal int, z float64) float64 {
		n := len(panels) + 1
		p := solver.Problem{Objective: make([]float64, n), Lower: make([]float64, n), Upper: make([]float64, n)}
		for j := range n {
			p.Upper[j] = 1
		}
		conv := solver.Row{Lower: 1, Upper: 1}
		for j := range panels {
			conv.Index = append(conv.Index, j+1)
			conv.Value = append(conv.Value, 1)
		}
		p.Rows = append(p.Rows, conv)
		for ty := range in.Types {
			row := solver.Row{Upper: math.Inf(1)}
			for j, pn := range panels {
				if pn[ty] > 0 {
					v := float64(pn[ty]) / float64(in.Types[ty].Count)
					row.Index = append(row.Index, j+1)
					row.Value = append(row.Value, v)
					if ty == goal {
						p.Objective[j+1] = v
					}
				}
			}
			switch {
			case !math.IsNaN(fixed[ty]):
				row.Lower = fixed[ty] - 1e-9
			case goal < 0:
				row.Index = append(row.Index, 0)
				row.Value = append(row.Value, -1)
			default:
				row.Lower = z - 1e-9
			}
			p.Rows = append(p.Rows, row)
		}
		if goal < 0 {
			p.Objective[0] = 1
		}
		sol, err := solver.SolveLP(&p)
		if err != nil || sol.Status != solver.Optimal {
			t.Fatalf("brute force LP: %v %v", err, sol)
		}
		return sol.Objective
	}
	for {
		open := 0
		for _, f := range fixed {
			if math.IsNaN(f) {
				open++
			}
		}
		if open == 0 {
			return fixed
		}
		z := solve(-1, 0)
		progress := false
		for ty := range fixed {
			if math.IsNaN(fixed[ty]) && solve(ty, z) <= z+1e-7 {
				fixed[ty] = z
				progress = true
			}
		}
		if !progress {
			t.Fatalf("brute force leximin made no progress at z=%v", z)
		}
	}
}
