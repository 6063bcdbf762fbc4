package solver_test

import (
	"math"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

func TestSolveMIPKnown(t *testing.T) {
	tests := []struct {
		name   string
		p      solver.Problem
		opt    solver.MIPOptions
		status solver.Status
		obj    float64
	}{
		{
			name: "LP feasible, no integer point",
			p: solver.Problem{
				Objective: []float64{1}, Lower: []float64{0}, Upper: []float64{1}, Integer: []bool{true},
				Rows: []solver.Row{{Index: []int{0}, Value: []float64{2}, Lower: 1, Upper: 1}},
			},
			status: solver.Infeasible,
		},
		{
			name: "knapsack with fractional weights",
			p: solver.Problem{
				Objective: []float64{0.7, 0.45, 0.3}, Lower: []float64{0, 0, 0}, Upper: []float64{1, 1, 1}, Integer: []bool{true, true, true},
				Rows: []solver.Row{{Index: []int{0, 1, 2}, Value: []float64{5, 3, 2}, Lower: math.Inf(-1), Upper: 5}},
			},
			status: solver.Optimal, obj: 0.75,
		},
		{
			name: "equality seat row with quotas",
			p: solver.Problem{
				Objective: []float64{0.1, 0.2, 0.3, 0.4}, Lower: []float64{0, 0, 0, 0}, Upper: []float64{2, 2, 2, 2}, Integer: []bool{true, true, true, true},
				Rows: []solver.Row{
					{Index: []int{0, 1, 2, 3}, Value: []float64{1, 1, 1, 1}, Lower: 4, Upper: 4},
					{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: 2, Upper: 3},
				},
			},
			status: solver.Optimal, obj: 1.2, // x = (0, 2, 0, 2)
		},
		{
			name: "cutoff above the optimum",
			p: solver.Problem{
				Objective: []float64{1, 1}, Lower: []float64{0, 0}, Upper: []float64{3, 3}, Integer: []bool{true, true},
				Rows: []solver.Row{{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: math.Inf(-1), Upper: 4.5}},
			},
			opt:    solver.MIPOptions{Cutoff: ptr(4.0)},
			status: solver.Infeasible,
		},
		{
			name: "cutoff below the optimum",
			p: solver.Problem{
				Objective: []float64{1, 1}, Lower: []float64{0, 0}, Upper: []float64{3, 3}, Integer: []bool{true, true},
				Rows: []solver.Row{{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: math.Inf(-1), Upper: 4.5}},
			},
			opt:    solver.MIPOptions{Cutoff: ptr(3.5)},
			status: solver.Optimal, obj: 4,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sol, err := solver.SolveMIPWith(&tc.p, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Status != tc.status {
				t.Fatalf("got status %v, want %v", sol.Status, tc.status)
			}
			if tc.status == solver.Optimal && math.Abs(sol.Objective-tc.obj) > 1e-9 {
				t.Errorf("got objective %v, want %v (x=%v)", sol.Objective, tc.obj, sol.X)
			}
		})
	}
}

func ptr(v float64) *float64 { return &v }
