package solver_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// TestAddRowWarmMatchesCold adds a row that the current optimum breaks to a
// solved LP and checks that the warm re-solve reaches the optimum of a cold
// solve of the problem with the row, on hand-made cases and random ones.
func TestAddRowWarmMatchesCold(t *testing.T) {
	// max x + 2y over 0 <= x, y <= 3 with x + y <= 5: optimum (2, 3), 8.
	base := func() solver.Problem {
		return solver.Problem{
			Objective: []float64{1, 2},
			Lower:     []float64{0, 0},
			Upper:     []float64{3, 3},
			Rows:      []solver.Row{{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: -inf, Upper: 5}},
		}
	}
	tests := []struct {
		name       string
		row        solver.Row
		wantStatus solver.Status
		wantObj    float64
	}{
		{"upper cut", solver.Row{Index: []int{1}, Value: []float64{1}, Lower: -inf, Upper: 1.5}, solver.Optimal, 6},
		{"lower cut", solver.Row{Index: []int{0, 1}, Value: []float64{1, -1}, Lower: 1, Upper: inf}, solver.Optimal, 7},
		{"equality", solver.Row{Index: []int{0, 1}, Value: []float64{2, 1}, Lower: 3, Upper: 3}, solver.Optimal, 6},
		{"ranged", solver.Row{Index: []int{0, 1}, Value: []float64{-1, 3}, Lower: -2, Upper: 4}, solver.Optimal, 7.25},
		{"infeasible", solver.Row{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: 7, Upper: inf}, solver.Infeasible, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			lp, err := solver.NewLP(&p)
			if err != nil {
				t.Fatal(err)
			}
			old := lp.Solve()
			if old.Status != solver.Optimal || math.Abs(old.Objective-8) > 1e-9 {
				t.Fatalf("got %v %v before the row, want optimal 8", old.Status, old.Objective)
			}
			if act := rowActivity(tc.row, old.X); act >= tc.row.Lower && act <= tc.row.Upper {
				t.Fatalf("bad case: the old optimum %v meets the new row", old.X)
			}
			i, err := lp.AddRow(tc.row.Index, tc.row.Value, tc.row.Lower, tc.row.Upper)
			if err != nil {
				t.Fatal(err)
			}
			if i != 1 || lp.NumRows() != 2 {
				t.Errorf("got row index %d and %d rows, want 1 and 2", i, lp.NumRows())
			}
			warm := lp.Solve()
			p.Rows = append(p.Rows, tc.row)
			cold, err := solver.SolveLP(&p)
			if err != nil {
				t.Fatal(err)
			}
			if warm.Status != tc.wantStatus || cold.Status != tc.wantStatus {
				t.Fatalf("got warm %v, cold %v, want %v", warm.Status, cold.Status, tc.wantStatus)
			}
			if tc.wantStatus != solver.Optimal {
				return
			}
			if math.Abs(warm.Objective-tc.wantObj) > 1e-9 || math.Abs(cold.Objective-tc.wantObj) > 1e-9 {
				t.Errorf("got warm objective %v, cold %v, want %v", warm.Objective, cold.Objective, tc.wantObj)
			}
			checkCertificate(t, &p, warm)
		})
	}

	r := rand.New(rand.NewPCG(21, 22))
	cut := 0
	for c := 0; c < 200; c++ {
		n, m := 2+r.IntN(7), 1+r.IntN(5)
		p := randomProblem(r, n, m)
		p.Integer = nil
		lp, err := solver.NewLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		old := lp.Solve()
		if old.Status != solver.Optimal {
			continue
		}
		// A row that cuts the optimum off by one unit, from above or below.
		var row solver.Row
		for j := range n {
			if v := float64(r.IntN(5) - 2); v != 0 {
				row.Index = append(row.Index, j)
				row.Value = append(row.Value, v)
			}
		}
		if len(row.Index) == 0 {
			continue
		}
		act := rowActivity(row, old.X)
		if r.IntN(2) == 0 {
			row.Lower, row.Upper = -inf, math.Floor(act)-1
		} else {
			row.Lower, row.Upper = math.Ceil(act)+1, inf
		}
		if _, err := lp.AddRow(row.Index, row.Value, row.Lower, row.Upper); err != nil {
			t.Fatal(err)
		}
		cut++
		warm := lp.Solve()
		p.Rows = append(p.Rows, row)
		cold, err := solver.SolveLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		if warm.Status != cold.Status {
			t.Errorf("case %d: got warm status %v, cold %v", c, warm.Status, cold.Status)
			continue
		}
		if cold.Status != solver.Optimal {
			continue
		}
		if math.Abs(warm.Objective-cold.Objective) > 1e-7 {
			t.Errorf("case %d: got warm objective %v, cold %v", c, warm.Objective, cold.Objective)
		}
		if warm.Objective > old.Objective+1e-7 {
			t.Errorf("case %d: objective rose from %v to %v after adding a row", c, old.Objective, warm.Objective)
		}
		checkCertificate(t, &p, warm)
	}
	if cut < 100 {
		t.Errorf("got %d random cases with a cut, want at least 100", cut)
	}
}

func rowActivity(r solver.Row, x []float64) float64 {
	s := 0.0
	for k, j := range r.Index {
		s += r.Value[k] * x[j]
	}
	return s
}

// TestAddRowErrors checks that AddRow rejects malformed rows and that a
// rejected row leaves the LP as it was: same rows, same optimum.
func TestAddRowErrors(t *testing.T) {
	tests := []struct {
		name         string
		idx          []int
		val          []float64
		lower, upper float64
	}{
		{"index out of range", []int{0, 2}, []float64{1, 1}, 0, 1},
		{"negative index", []int{-1}, []float64{1}, 0, 1},
		{"duplicate index", []int{1, 0, 1}, []float64{1, 1, 2}, 0, 1},
		{"NaN coefficient", []int{0, 1}, []float64{1, math.NaN()}, 0, 1},
		{"infinite coefficient", []int{0}, []float64{inf}, 0, 1},
		{"lower above upper", []int{0}, []float64{1}, 2, 1},
		{"NaN bound", []int{0}, []float64{1}, math.NaN(), 1},
		{"lower +Inf", []int{0}, []float64{1}, inf, inf},
		{"upper -Inf", []int{0}, []float64{1}, -inf, -inf},
		{"lengths differ", []int{0, 1}, []float64{1}, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := solver.Problem{
				Objective: []float64{1, 2},
				Lower:     []float64{0, 0},
				Upper:     []float64{3, 3},
				Rows:      []solver.Row{{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: -inf, Upper: 5}},
			}
			lp, err := solver.NewLP(&p)
			if err != nil {
				t.Fatal(err)
			}
			before := lp.Solve()
			if _, err := lp.AddRow(tc.idx, tc.val, tc.lower, tc.upper); err == nil {
				t.Fatal("got no error")
			}
			if lp.NumRows() != 1 {
				t.Errorf("got %d rows after the error, want 1", lp.NumRows())
			}
			after := lp.Solve()
			if after.Status != solver.Optimal || after.Objective != before.Objective {
				t.Errorf("got %v %v after the error, want optimal %v", after.Status, after.Objective, before.Objective)
			}
		})
	}
}

// TestSetAllBoundsMatchesOneByOne gives a solved LP new bounds on every
// variable and row, once with SetAllBounds and once with SetBounds and
// SetRowBounds one at a time, and checks that both warm re-solves agree with
// each other and with a cold solve of the changed problem.
func TestSetAllBoundsMatchesOneByOne(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for c := 0; c < 200; c++ {
		n, m := 2+r.IntN(7), 1+r.IntN(5)
		p := randomProblem(r, n, m)
		p.Integer = nil
		all, err := solver.NewLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		each, err := solver.NewLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		all.Solve()
		each.Solve()
		lo, up := make([]float64, n), make([]float64, n)
		for j := range n {
			lo[j] = float64(r.IntN(3) - 1)
			up[j] = lo[j] + float64(r.IntN(4))
			p.Lower[j], p.Upper[j] = lo[j], up[j]
		}
		rlo, rup := make([]float64, m), make([]float64, m)
		for i := range m {
			// Keep some rows, widen or narrow the others.
			rlo[i], rup[i] = p.Rows[i].Lower, p.Rows[i].Upper
			switch r.IntN(3) {
			case 1:
				rlo[i], rup[i] = -inf, inf
			case 2:
				rlo[i] = float64(r.IntN(5) - 3)
				rup[i] = rlo[i] + float64(r.IntN(3))
			}
			p.Rows[i].Lower, p.Rows[i].Upper = rlo[i], rup[i]
		}
		if err := all.SetAllBounds(lo, up, rlo, rup); err != nil {
			t.Fatal(err)
		}
		for j := range n {
			if err := each.SetBounds(j, lo[j], up[j]); err != nil {
				t.Fatal(err)
			}
			if gl, gu := all.Bounds(j); gl != lo[j] || gu != up[j] {
				t.Errorf("case %d: variable %d: got bounds [%v, %v], want [%v, %v]", c, j, gl, gu, lo[j], up[j])
			}
		}
		for i := range m {
			if err := each.SetRowBounds(i, rlo[i], rup[i]); err != nil {
				t.Fatal(err)
			}
		}
		a, b := all.Solve(), each.Solve()
		cold, err := solver.SolveLP(&p)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != cold.Status || b.Status != cold.Status {
			t.Errorf("case %d: got status %v (all at once), %v (one by one), want %v", c, a.Status, b.Status, cold.Status)
			continue
		}
		if cold.Status != solver.Optimal {
			continue
		}
		if math.Abs(a.Objective-cold.Objective) > 1e-7 || math.Abs(b.Objective-cold.Objective) > 1e-7 {
			t.Errorf("case %d: got objective %v (all at once), %v (one by one), want %v", c, a.Objective, b.Objective, cold.Objective)
		}
		checkCertificate(t, &p, a)
	}
}

// TestSetAllBoundsErrors checks that SetAllBounds rejects slices of the
// wrong length and invalid bounds, and that it checks everything before
// changing anything: after an error the bounds and the optimum are as
// before, even when the invalid entry is a row that comes after valid new
// variable bounds.
func TestSetAllBoundsErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name             string
		lo, up, rlo, rup []float64
	}{
		{"short lower", []float64{0}, []float64{1, 1}, []float64{-inf}, []float64{1}},
		{"long upper", []float64{0, 0}, []float64{1, 1, 1}, []float64{-inf}, []float64{1}},
		{"short row lower", []float64{0, 0}, []float64{1, 1}, nil, []float64{1}},
		{"long row upper", []float64{0, 0}, []float64{1, 1}, []float64{-inf}, []float64{1, 2}},
		{"variable lower above upper", []float64{0, 2}, []float64{1, 1}, []float64{-inf}, []float64{1}},
		{"variable NaN", []float64{0, nan}, []float64{1, 1}, []float64{-inf}, []float64{1}},
		{"row lower above upper", []float64{0, 0}, []float64{1, 1}, []float64{3}, []float64{2}},
		{"row lower +Inf", []float64{0, 0}, []float64{1, 1}, []float64{inf}, []float64{inf}},
		{"row upper NaN", []float64{0, 0}, []float64{1, 1}, []float64{-inf}, []float64{nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := solver.Problem{
				Objective: []float64{1, 2},
				Lower:     []float64{0, 0},
				Upper:     []float64{3, 3},
				Rows:      []solver.Row{{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: -inf, Upper: 5}},
			}
			lp, err := solver.NewLP(&p)
			if err != nil {
				t.Fatal(err)
			}
			before := lp.Solve()
			if err := lp.SetAllBounds(tc.lo, tc.up, tc.rlo, tc.rup); err == nil {
				t.Fatal("got no error")
			}
			for j := range 2 {
				if lo, up := lp.Bounds(j); lo != 0 || up != 3 {
					t.Errorf("variable %d: got bounds [%v, %v] after the error, want [0, 3]", j, lo, up)
				}
			}
			after := lp.Solve()
			if after.Status != solver.Optimal || after.Objective != before.Objective {
				t.Errorf("got %v %v after the error, want optimal %v", after.Status, after.Objective, before.Objective)
			}
		})
	}
}
