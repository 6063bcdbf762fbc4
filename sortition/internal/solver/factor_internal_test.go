package solver

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomBasisLP returns an LP with m rows whose basis mixes logicals and
// sparse structural columns, as a column-generation master's does.
func randomBasisLP(t *testing.T, r *rand.Rand, m, structurals int) *LP {
	t.Helper()
	n := structurals
	p := Problem{Objective: make([]float64, n), Lower: make([]float64, n), Upper: make([]float64, n), Rows: make([]Row, m)}
	for j := range n {
		p.Upper[j] = 1
		for i := range m {
			if r.IntN(4) == 0 || i == j%m {
				p.Rows[i].Index = append(p.Rows[i].Index, j)
				p.Rows[i].Value = append(p.Rows[i].Value, float64(1+r.IntN(5))/float64(1+r.IntN(3)))
			}
		}
	}
	for i := range m {
		p.Rows[i].Lower, p.Rows[i].Upper = 0, math.Inf(1)
	}
	lp, err := NewLP(&p)
	if err != nil {
		t.Fatal(err)
	}
	// Put structural j in the basis in place of logical j%m (first come).
	for j := range min(n, m) {
		lp.stat[lp.head[j]] = atLower
		lp.head[j] = j
		lp.stat[j] = basic
	}
	return lp
}

func TestInvertIsInverse(t *testing.T) {
	cases := []struct {
		name           string
		m, structurals int
	}{
		{"all logical", 6, 0},
		{"half structural", 20, 10},
		{"all structural", 30, 30},
		{"master sized", 120, 90},
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lp := randomBasisLP(t, r, tc.m, tc.structurals)
			lp.refactor()
			m := lp.m
			// Column k of B is the basic variable at position k: check B⁻¹B = I.
			col := make([]float64, m)
			worst := 0.0
			for k, j := range lp.head {
				clear(col)
				if j >= lp.n {
					col[j-lp.n] = -1
				} else {
					for e, i := range lp.colIdx[j] {
						col[i] = lp.colVal[j][e]
					}
				}
				for i := range m {
					s := 0.0
					for c, v := range col {
						s += lp.binv[i*m+c] * v
					}
					want := 0.0
					if i == k {
						want = 1
					}
					worst = math.Max(worst, math.Abs(s-want))
				}
			}
			if worst > 1e-9 {
				t.Errorf("got max |B⁻¹B - I| = %g, want <= 1e-9", worst)
			}
		})
	}
}

func TestAxpy(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 8, 11} {
		x := make([]float64, n)
		y := make([]float64, n+2)
		for i := range x {
			x[i] = float64(i + 1)
			y[i] = 10
		}
		y[n], y[n+1] = 7, 7
		axpy(2, x, y)
		for i := range n {
			if want := 10 - 2*float64(i+1); y[i] != want {
				t.Errorf("n=%d: got y[%d] = %v, want %v", n, i, y[i], want)
			}
		}
		if y[n] != 7 || y[n+1] != 7 {
			t.Errorf("n=%d: entries past len(x) changed: %v", n, y[n:])
		}
	}
}

// TestOverflowedDevexWeightsDoNotHideColumns checks that optimality never
// rests on the Devex weights: with every weight infinite, Solve must still
// find the improving columns.
func TestOverflowedDevexWeightsDoNotHideColumns(t *testing.T) {
	p := Problem{
		Objective: []float64{1, 2},
		Lower:     []float64{0, 0},
		Upper:     []float64{4, 4},
		Rows:      []Row{{Index: []int{0, 1}, Value: []float64{1, 1}, Lower: 0, Upper: 5}},
	}
	lp, err := NewLP(&p)
	if err != nil {
		t.Fatal(err)
	}
	lp.devex = make([]float64, lp.n+lp.m)
	for j := range lp.devex {
		lp.devex[j] = math.Inf(1)
	}
	lp.multipliers()
	lp.reducedCosts()
	if q, _, _ := lp.price(false, false); q < 0 {
		t.Fatalf("got no entering column with infinite weights, want one")
	}
	sol := lp.Solve()
	if sol.Status != Optimal || math.Abs(sol.Objective-9) > 1e-9 {
		t.Errorf("got %v objective %v, want optimal 9", sol.Status, sol.Objective)
	}
}
