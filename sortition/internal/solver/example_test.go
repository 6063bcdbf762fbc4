package solver_test

import (
	"fmt"
	"math"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// Maximise 3x + 2y subject to x + y <= 4, x + 3y <= 7, 0 <= x <= 3, y >= 0.
func ExampleSolveLP() {
	p := &solver.Problem{
		Objective: []float64{3, 2},
		Lower:     []float64{0, 0},
		Upper:     []float64{3, math.Inf(1)},
		Rows: []solver.Row{
			{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: math.Inf(-1), Upper: 4},
			{Index: []int{0, 1}, Value: []float64{1, 3}, Lower: math.Inf(-1), Upper: 7},
		},
	}
	sol, err := solver.SolveLP(p)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v %.1f x=%.1f y=%.1f duals=%.1f\n", sol.Status, sol.Objective, sol.X[0], sol.X[1], sol.RowDuals)
	// Output: optimal 11.0 x=3.0 y=1.0 duals=[2.0 0.0]
}

// A knapsack: the LP relaxation would take 2.5 of the first item.
func ExampleSolveMIP() {
	p := &solver.Problem{
		Objective: []float64{5, 3},
		Lower:     []float64{0, 0},
		Upper:     []float64{10, 10},
		Integer:   []bool{true, true},
		Rows:      []solver.Row{{Index: []int{0, 1}, Value: []float64{2, 1.5}, Lower: math.Inf(-1), Upper: 5}},
	}
	sol, err := solver.SolveMIP(p)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v %.0f %v\n", sol.Status, sol.Objective, sol.X)
	// Output: optimal 11 [1 2]
}
