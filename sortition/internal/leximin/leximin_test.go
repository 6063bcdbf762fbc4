package leximin_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
	"github.com/citizenspanel/panel/sortition/internal/solver"
)

// randomInstance builds a small instance of up to 10 people over 2 or 3
// binary categories, with optional 2-person households.
func randomInstance(r *rand.Rand) *leximin.Instance {
	cats := 2 + r.IntN(2)
	in := &leximin.Instance{Seats: 2 + r.IntN(3)}
	for range cats {
		for range 2 {
			lo := r.IntN(2)
			in.Min = append(in.Min, lo)
			in.Max = append(in.Max, lo+r.IntN(in.Seats))
		}
	}
	people := 6 + r.IntN(5)
	for p := 0; p < people; p++ {
		var fs []int
		for c := range cats {
			fs = append(fs, 2*c+r.IntN(2))
		}
		in.Types = append(in.Types, leximin.Type{Features: fs, Count: 1})
		if p%4 == 1 && r.IntN(2) == 0 {
			in.Groups = append(in.Groups, []int{p - 1, p})
		}
	}
	if len(in.Groups) > 0 || r.IntN(2) == 0 {
		return in
	}
	// Merge people with equal features into types with counts.
	merged := *in
	merged.Types = nil
	for _, ty := range in.Types {
		k := slices.IndexFunc(merged.Types, func(u leximin.Type) bool { return slices.Equal(u.Features, ty.Features) })
		if k < 0 {
			merged.Types = append(merged.Types, ty)
			continue
		}
		merged.Types[k].Count++
	}
	return &merged
}

// allPanels enumerates every feasible panel of in.
func allPanels(in *leximin.Instance) []leximin.Panel {
	var out []leximin.Panel
	cur := make(leximin.Panel, len(in.Types))
	var rec func(t, left int)
	rec = func(t, left int) {
		if t == len(in.Types) {
			if left == 0 && panelError(in, cur) == "" {
				out = append(out, slices.Clone(cur))
			}
			return
		}
		for x := 0; x <= min(left, in.Types[t].Count); x++ {
			cur[t] = x
			rec(t+1, left-x)
		}
		cur[t] = 0
	}
	rec(0, in.Seats)
	return out
}

// bruteMaximin solves max z over distributions on all feasible panels.
func bruteMaximin(t *testing.T, in *leximin.Instance, panels []leximin.Panel) float64 {
	t.Helper()
	n := len(panels) + 1
	p := solver.Problem{Objective: make([]float64, n), Lower: make([]float64, n), Upper: make([]float64, n)}
	p.Objective[0] = 1
	for j := range n {
		p.Upper[j] = 1
	}
	conv := solver.Row{Lower: 1, Upper: 1}
	for ty := range in.Types {
		row := solver.Row{Index: []int{0}, Value: []float64{-1}, Lower: 0, Upper: math.Inf(1)}
		for j, pn := range panels {
			if pn[ty] > 0 {
				row.Index = append(row.Index, j+1)
				row.Value = append(row.Value, float64(pn[ty])/float64(in.Types[ty].Count))
			}
		}
		p.Rows = append(p.Rows, row)
	}
	for j := range panels {
		conv.Index = append(conv.Index, j+1)
		conv.Value = append(conv.Value, 1)
	}
	p.Rows = append(p.Rows, conv)
	sol, err := solver.SolveLP(&p)
	if err != nil || sol.Status != solver.Optimal {
		t.Fatalf("brute force LP: %v %v", err, sol)
	}
	return sol.Objective
}

func TestLeximinAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	feasible := 0
	for c := 0; c < 400; c++ {
		in := randomInstance(r)
		panels := allPanels(in)
		l, err := leximin.Leximin(context.Background(), in)
		if len(panels) == 0 {
			if !errors.Is(err, leximin.ErrInfeasible) {
				t.Errorf("case %d: got error %v, want ErrInfeasible", c, err)
			}
			continue
		}
		feasible++
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		checkLottery(t, in, l)
		want := bruteMaximin(t, in, panels)
		if got := slices.Min(l.Prob); math.Abs(got-want) > 1e-6 {
			t.Errorf("case %d: got minimum probability %.9f, want %.9f", c, got, want)
		}
		wantProb := bruteLeximin(t, in, panels)
		for ty := range wantProb {
			if math.Abs(l.Prob[ty]-wantProb[ty]) > 1e-6 {
				t.Errorf("case %d type %d: got probability %.9f, want %.9f", c, ty, l.Prob[ty], wantProb[ty])
			}
		}
		mm, err := leximin.Maximin(context.Background(), in)
		if err != nil {
			t.Fatalf("case %d: maximin: %v", c, err)
		}
		if got := slices.Min(mm.Prob); math.Abs(got-want) > 1e-6 {
			t.Errorf("case %d: maximin: got %.9f, want %.9f", c, got, want)
		}
		seats := 0.0
		for ty, p := range l.Prob {
			seats += p * float64(in.Types[ty].Count)
		}
		if math.Abs(seats-float64(in.Seats)) > 1e-6 {
			t.Errorf("case %d: got expected seats %v, want %d", c, seats, in.Seats)
		}
	}
	if feasible < 100 {
		t.Errorf("got %d feasible cases of 400, want at least 100", feasible)
	}
}

func TestRoundPublic(t *testing.T) {
	const m = 1000
	for _, tc := range publicCases[2:4] {
		t.Run(tc.name, func(t *testing.T) {
			d := loadInstance(t, tc.cats, tc.pool, tc.seats, tc.addr)
			l, err := leximin.Leximin(context.Background(), d.inst)
			if err != nil {
				t.Fatal(err)
			}
			panels, dev, err := leximin.Round(l, d.inst, m)
			if err != nil {
				t.Fatal(err)
			}
			if len(panels) != m {
				t.Fatalf("got %d panels, want %d", len(panels), m)
			}
			for i, p := range panels {
				if e := panelError(d.inst, p); e != "" {
					t.Fatalf("panel %d: %s", i, e)
				}
			}
			bound := float64(d.inst.Seats) / m
			t.Logf("max deviation %.6f (k/m = %.6f)", dev, bound)
			if dev > bound {
				t.Errorf("got max deviation %v, want at most k/m = %v", dev, bound)
			}
			again, dev2, err := leximin.Round(l, d.inst, m)
			if err != nil || dev2 != dev || !slices.EqualFunc(panels, again, func(a, b leximin.Panel) bool { return slices.Equal(a, b) }) {
				t.Errorf("second rounding differs (err %v)", err)
			}
		})
	}
}

func TestLeximinDeterministic(t *testing.T) {
	d := loadInstance(t, publicCases[2].cats, publicCases[2].pool, publicCases[2].seats, nil)
	a, err := leximin.Leximin(context.Background(), d.inst)
	if err != nil {
		t.Fatal(err)
	}
	b, err := leximin.Leximin(context.Background(), d.inst)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Weights, b.Weights) || !slices.Equal(a.Prob, b.Prob) || len(a.Panels) != len(b.Panels) {
		t.Errorf("two runs differ")
	}
}

func TestValidate(t *testing.T) {
	ok := func() *leximin.Instance {
		return &leximin.Instance{Seats: 1, Min: []int{0}, Max: []int{1}, Types: []leximin.Type{{Features: []int{0}, Count: 2}}}
	}
	tests := []struct {
		name   string
		change func(in *leximin.Instance)
		valid  bool
	}{
		{"valid", func(*leximin.Instance) {}, true},
		{"zero seats", func(in *leximin.Instance) { in.Seats = 0 }, false},
		{"min above max", func(in *leximin.Instance) { in.Min[0] = 2 }, false},
		{"feature out of range", func(in *leximin.Instance) { in.Types[0].Features = []int{3} }, false},
		{"negative count", func(in *leximin.Instance) { in.Types[0].Count = -1 }, false},
		{"type in two groups", func(in *leximin.Instance) { in.Groups = [][]int{{0}, {0}} }, false},
		{"group type out of range", func(in *leximin.Instance) { in.Groups = [][]int{{4}} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.change(in)
			if err := in.Validate(); (err == nil) != tc.valid {
				t.Errorf("got error %v, want valid=%v", err, tc.valid)
			}
		})
	}
}

func TestFindPanelInfeasible(t *testing.T) {
	in := &leximin.Instance{Seats: 2, Min: []int{2}, Max: []int{2}, Types: []leximin.Type{{Features: []int{0}, Count: 1}}}
	if _, err := leximin.FindPanel(in); !errors.Is(err, leximin.ErrInfeasible) {
		t.Errorf("got %v, want ErrInfeasible", err)
	}
	if _, err := leximin.Leximin(context.Background(), in); !errors.Is(err, leximin.ErrInfeasible) {
		t.Errorf("leximin: got %v, want ErrInfeasible", err)
	}
}
