package solver_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

var inf = math.Inf(1)

func TestSolveLPKnown(t *testing.T) {
	tests := []struct {
		name   string
		p      solver.Problem
		status solver.Status
		obj    float64
	}{
		{
			name: "textbook max 3x+5y",
			p: solver.Problem{
				Objective: []float64{3, 5}, Lower: []float64{0, 0}, Upper: []float64{inf, inf},
				Rows: []solver.Row{
					{Index: []int{0}, Value: []float64{1}, Lower: -inf, Upper: 4},
					{Index: []int{1}, Value: []float64{2}, Lower: -inf, Upper: 12},
					{Index: []int{0, 1}, Value: []float64{3, 2}, Lower: -inf, Upper: 18},
				},
			},
			status: solver.Optimal, obj: 36,
		},
		{
			name: "bounds only",
			p: solver.Problem{
				Objective: []float64{1, -1}, Lower: []float64{-2, -3}, Upper: []float64{5, 7},
			},
			status: solver.Optimal, obj: 8,
		},
		{
			name: "equality row",
			p: solver.Problem{
				Objective: []float64{1, 2, 3}, Lower: []float64{0, 0, 0}, Upper: []float64{inf, inf, inf},
				Rows: []solver.Row{
					{Index: []int{0, 1, 2}, Value: []float64{1, 1, 1}, Lower: 10, Upper: 10},
					{Index: []int{2}, Value: []float64{1}, Lower: -inf, Upper: 4},
				},
			},
			status: solver.Optimal, obj: 2*6 + 3*4,
		},
		{
			name: "free row is ignored",
			p: solver.Problem{
				Objective: []float64{1}, Lower: []float64{0}, Upper: []float64{2},
				Rows: []solver.Row{{Index: []int{0}, Value: []float64{5}, Lower: -inf, Upper: inf}},
			},
			status: solver.Optimal, obj: 2,
		},
		{
			name: "infeasible rows",
			p: solver.Problem{
				Objective: []float64{1, 1}, Lower: []float64{0, 0}, Upper: []float64{inf, inf},
				Rows: []solver.Row{
					{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: -inf, Upper: 1},
					{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: 2, Upper: inf},
				},
			},
			status: solver.Infeasible,
		},
		{
			name: "infeasible against bounds",
			p: solver.Problem{
				Objective: []float64{1}, Lower: []float64{0}, Upper: []float64{1},
				Rows: []solver.Row{{Index: []int{0}, Value: []float64{1}, Lower: 3, Upper: 4}},
			},
			status: solver.Infeasible,
		},
		{
			name: "unbounded",
			p: solver.Problem{
				Objective: []float64{1, 1}, Lower: []float64{0, 0}, Upper: []float64{inf, inf},
				Rows: []solver.Row{{Index: []int{0, 1}, Value: []float64{1, -1}, Lower: -inf, Upper: 1}},
			},
			status: solver.Unbounded,
		},
		{
			name: "degenerate vertex",
			p: solver.Problem{
				Objective: []float64{10, -57, -9, -24}, Lower: []float64{0, 0, 0, 0}, Upper: []float64{inf, inf, inf, inf},
				Rows: []solver.Row{
					{Index: []int{0, 1, 2, 3}, Value: []float64{0.5, -5.5, -2.5, 9}, Lower: -inf, Upper: 0},
					{Index: []int{0, 1, 2, 3}, Value: []float64{0.5, -1.5, -0.5, 1}, Lower: -inf, Upper: 0},
					{Index: []int{0}, Value: []float64{1}, Lower: -inf, Upper: 1},
				},
			},
			status: solver.Optimal, obj: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sol, err := solver.SolveLP(&tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Status != tc.status {
				t.Fatalf("got status %v, want %v", sol.Status, tc.status)
			}
			if tc.status == solver.Optimal {
				if math.Abs(sol.Objective-tc.obj) > 1e-7 {
					t.Errorf("got objective %v, want %v", sol.Objective, tc.obj)
				}
				checkCertificate(t, &tc.p, sol)
			}
		})
	}
}

func TestSolveLPMalformed(t *testing.T) {
	tests := []struct {
		name string
		p    solver.Problem
	}{
		{"bound lengths", solver.Problem{Objective: []float64{1}, Lower: []float64{0, 0}, Upper: []float64{1}}},
		{"lower above upper", solver.Problem{Objective: []float64{1}, Lower: []float64{2}, Upper: []float64{1}}},
		{"index out of range", solver.Problem{Objective: []float64{1}, Lower: []float64{0}, Upper: []float64{1},
			Rows: []solver.Row{{Index: []int{1}, Value: []float64{1}, Lower: 0, Upper: 1}}}},
		{"value length", solver.Problem{Objective: []float64{1}, Lower: []float64{0}, Upper: []float64{1},
			Rows: []solver.Row{{Index: []int{0}, Value: nil, Lower: 0, Upper: 1}}}},
		{"NaN objective", solver.Problem{Objective: []float64{math.NaN()}, Lower: []float64{0}, Upper: []float64{1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := solver.SolveLP(&tc.p); err == nil {
				t.Errorf("got nil error, want one")
			}
		})
	}
}

// checkCertificate verifies primal feasibility, dual feasibility and
// complementary slackness of an optimal LP solution, which together prove
// optimality.
func checkCertificate(t *testing.T, p *solver.Problem, sol *solver.Solution) {
	t.Helper()
	const tol = 1e-6
	n := len(p.Objective)
	d := append([]float64(nil), p.Objective...) // reduced costs c - Aᵀy
	for i, r := range p.Rows {
		act := 0.0
		for k, j := range r.Index {
			act += r.Value[k] * sol.X[j]
			d[j] -= sol.RowDuals[i] * r.Value[k]
		}
		if act < r.Lower-tol || act > r.Upper+tol {
			t.Errorf("row %d: activity %v outside [%v, %v]", i, act, r.Lower, r.Upper)
		}
		y := sol.RowDuals[i]
		if y > tol && math.Abs(act-r.Upper) > tol {
			t.Errorf("row %d: got dual %v with upper %v not binding (activity %v)", i, y, r.Upper, act)
		}
		if y < -tol && math.Abs(act-r.Lower) > tol {
			t.Errorf("row %d: got dual %v with lower %v not binding (activity %v)", i, y, r.Lower, act)
		}
	}
	for j := 0; j < n; j++ {
		x := sol.X[j]
		if x < p.Lower[j]-tol || x > p.Upper[j]+tol {
			t.Errorf("x[%d] = %v outside [%v, %v]", j, x, p.Lower[j], p.Upper[j])
		}
		if d[j] > tol && math.Abs(x-p.Upper[j]) > tol {
			t.Errorf("x[%d] = %v: reduced cost %v > 0 but not at upper %v", j, x, d[j], p.Upper[j])
		}
		if d[j] < -tol && math.Abs(x-p.Lower[j]) > tol {
			t.Errorf("x[%d] = %v: reduced cost %v < 0 but not at lower %v", j, x, d[j], p.Lower[j])
		}
	}
}

// randomProblem builds a small bounded problem with integer data.
func randomProblem(r *rand.Rand, n, m int) solver.Problem {
	p := solver.Problem{Objective: make([]float64, n), Lower: make([]float64, n), Upper: make([]float64, n), Integer: make([]bool, n)}
	for j := range n {
		p.Objective[j] = float64(r.IntN(21) - 10)
		p.Lower[j] = float64(r.IntN(3) - 1)
		p.Upper[j] = p.Lower[j] + float64(r.IntN(4))
		p.Integer[j] = true
	}
	for range m {
		var row solver.Row
		act := 0.0
		for j := range n {
			if r.IntN(3) > 0 {
				v := float64(r.IntN(7) - 3)
				row.Index = append(row.Index, j)
				row.Value = append(row.Value, v)
				act += v * (p.Lower[j] + p.Upper[j]) / 2
			}
		}
		row.Lower, row.Upper = -inf, inf
		switch r.IntN(4) {
		case 0:
			row.Lower = math.Floor(act) - float64(r.IntN(3))
		case 1:
			row.Upper = math.Ceil(act) + float64(r.IntN(3)) - 1
		case 2:
			row.Lower = math.Floor(act) - float64(r.IntN(2))
			row.Upper = row.Lower + float64(r.IntN(3))
		case 3:
			row.Lower = math.Round(act)
			row.Upper = row.Lower
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

// bruteForce enumerates every integer point of p.
func bruteForce(p *solver.Problem) (best float64, found bool) {
	n := len(p.Objective)
	x := make([]float64, n)
	best = math.Inf(-1)
	var rec func(j int)
	rec = func(j int) {
		if j == n {
			for _, r := range p.Rows {
				act := 0.0
				for k, i := range r.Index {
					act += r.Value[k] * x[i]
				}
				if act < r.Lower || act > r.Upper {
					return
				}
			}
			v := 0.0
			for i, c := range p.Objective {
				v += c * x[i]
			}
			if v > best {
				best = v
			}
			found = true
			return
		}
		for v := p.Lower[j]; v <= p.Upper[j]; v++ {
			x[j] = v
			rec(j + 1)
		}
	}
	rec(0)
	return best, found
}

func TestSolveMIPBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for c := 0; c < 400; c++ {
		n, m := 1+r.IntN(5), r.IntN(5)
		p := randomProblem(r, n, m)
		want, feasible := bruteForce(&p)
		sol, err := solver.SolveMIP(&p)
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		if !feasible {
			if sol.Status != solver.Infeasible {
				t.Errorf("case %d: got status %v, want infeasible", c, sol.Status)
			}
			continue
		}
		if sol.Status != solver.Optimal {
			t.Errorf("case %d: got status %v, want optimal %v", c, sol.Status, want)
			continue
		}
		if math.Abs(sol.Objective-want) > 1e-6 {
			t.Errorf("case %d: got objective %v, want %v", c, sol.Objective, want)
		}
	}
}

func TestSolveLPCertificates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	optimal := 0
	for c := 0; c < 300; c++ {
		n, m := 1+r.IntN(12), r.IntN(10)
		p := randomProblem(r, n, m)
		for j := range p.Objective {
			p.Objective[j] += r.Float64()
			if r.IntN(5) == 0 {
				p.Upper[j] = inf
			}
		}
		sol, err := solver.SolveLP(&p)
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		if sol.Status == solver.Optimal {
			optimal++
			checkCertificate(t, &p, sol)
		}
	}
	if optimal < 100 {
		t.Errorf("got %d optimal cases of 300, want at least 100", optimal)
	}
}
