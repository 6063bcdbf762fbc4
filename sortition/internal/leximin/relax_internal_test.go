package leximin

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

// generatedInstance builds the instance of a generated pool: people with
// equal values and no shared address form a type; people sharing an address
// are each a type of their own, grouped by address. The tests of package
// leximin_test use it as Generated.
func generatedInstance(t testing.TB, cfg poolgen.Config) *Instance {
	t.Helper()
	g, err := poolgen.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in := &Instance{Seats: cfg.Seats}
	offset := make([]int, len(g.Categories))
	for c := range g.Categories {
		offset[c] = len(in.Min)
		in.Min = append(in.Min, g.Min[c]...)
		in.Max = append(in.Max, g.Max[c]...)
	}
	shared := map[string]int{}
	for _, a := range g.Address {
		shared[a]++
	}
	typeOf := map[string]int{}
	groupOf := map[string]int{}
	for p, values := range g.People {
		fs := make([]int, len(values))
		for c, v := range values {
			fs[c] = offset[c] + v
		}
		addr := g.Address[p]
		if shared[addr] > 1 {
			gi, ok := groupOf[addr]
			if !ok {
				gi = len(in.Groups)
				groupOf[addr] = gi
				in.Groups = append(in.Groups, nil)
			}
			in.Groups[gi] = append(in.Groups[gi], len(in.Types))
			in.Types = append(in.Types, Type{Features: fs, Count: 1})
			continue
		}
		key := fmt.Sprint(fs)
		ti, ok := typeOf[key]
		if !ok {
			ti = len(in.Types)
			typeOf[key] = ti
			in.Types = append(in.Types, Type{Features: fs})
		}
		in.Types[ti].Count++
	}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	return in
}

// newTestColgen builds the column generation state as solveLottery does,
// with no context (never interrupted) and no progress callback.
func newTestColgen(in *Instance) *colgen {
	return &colgen{in: in, orc: newOracle(in), known: map[string]int{}, fixed: make([]float64, len(in.Types)),
		relax: fixRelax, tr: newTracker(in, Options{})}
}

// panelFault describes how p breaks the instance's rules, or returns "".
func panelFault(in *Instance, p Panel) string {
	if len(p) != len(in.Types) {
		return fmt.Sprintf("%d counts for %d types", len(p), len(in.Types))
	}
	cnt := make([]int, len(in.Min))
	seats := 0
	for t, x := range p {
		if x < 0 || x > in.Types[t].Count {
			return fmt.Sprintf("type %d: count %d outside [0, %d]", t, x, in.Types[t].Count)
		}
		seats += x
		for _, f := range in.Types[t].Features {
			cnt[f] += x
		}
	}
	if seats != in.Seats {
		return fmt.Sprintf("%d seats, want %d", seats, in.Seats)
	}
	for f, n := range cnt {
		if n < in.Min[f] || n > in.Max[f] {
			return fmt.Sprintf("feature %d: %d outside quota [%d, %d]", f, n, in.Min[f], in.Max[f])
		}
	}
	for g, members := range in.Groups {
		n := 0
		for _, t := range members {
			n += p[t]
		}
		if n > 1 {
			return fmt.Sprintf("household %d: %d members", g, n)
		}
	}
	return ""
}

// checkLotteryPanels checks that every panel is feasible, every weight
// positive, the weights sum to 1 and Prob holds the marginals.
func checkLotteryPanels(t *testing.T, in *Instance, l *Lottery) {
	t.Helper()
	if len(l.Panels) == 0 || len(l.Panels) != len(l.Weights) {
		t.Fatalf("got %d panels and %d weights", len(l.Panels), len(l.Weights))
	}
	sum := 0.0
	for i, pn := range l.Panels {
		if e := panelFault(in, pn); e != "" {
			t.Errorf("panel %d: %s", i, e)
		}
		if !(l.Weights[i] > 0) {
			t.Errorf("panel %d: weight %v, want positive", i, l.Weights[i])
		}
		sum += l.Weights[i]
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("got weights summing to %v, want 1", sum)
	}
	m := Marginals(l.Panels, l.Weights, in)
	for k := range m {
		if math.Abs(m[k]-l.Prob[k]) > 1e-12 {
			t.Errorf("type %d: got Prob %v, marginal %v", k, l.Prob[k], m[k])
		}
	}
}

// relaxCases are the generated pools on which the relaxation is expected to
// give the leximin lottery. full: compare with the whole column generation
// (seconds per pool), else only with its first level (the maximin value).
var relaxCases = []struct {
	cfg  poolgen.Config
	full bool
}{
	{poolgen.Config{People: 300, Seats: 40, Categories: 4, Seed: 1}, true},
	{poolgen.Config{People: 300, Seats: 40, Categories: 4, Seed: 2}, false},
	{poolgen.Config{People: 300, Seats: 40, Categories: 4, Seed: 3}, false},
	{poolgen.Config{People: 200, Seats: 25, Categories: 7, Seed: 1}, true},
}

// TestRelaxationMatchesColumnGeneration checks on generated pools that the
// relaxation path writes its point as a lottery (viaRelaxation returns one),
// that the lottery is valid (feasible panels, positive weights summing to
// 1), that its smallest probability meets the relaxation's first level (an
// upper bound on every lottery's) and that its per-type probabilities are
// those of the column generation run on its own (on the other pools, that
// its smallest probability is the column generation's maximin value).
//
// The smallest probability may be below the first level by the slack
// relaxFix (up to relaxRetries+1 times) that later levels give the types
// fixed at it: the later LPs use that slack, so in practice it is about
// 1e-8 below (as with the column generation and its fixRelax).
func TestRelaxationMatchesColumnGeneration(t *testing.T) {
	for _, tc := range relaxCases {
		cfg := tc.cfg
		t.Run(fmt.Sprintf("%dx%dx%d/%d", cfg.People, cfg.Seats, cfg.Categories, cfg.Seed), func(t *testing.T) {
			in := generatedInstance(t, cfg)
			r, err := newTestColgen(in).relaxedLeximin()
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Levels) == 0 {
				t.Fatal("no levels")
			}
			for k := 1; k < len(r.Levels); k++ {
				if r.Levels[k] < r.Levels[k-1]-1e-9 {
					t.Errorf("level %d: value %v below level %d's %v", k+1, r.Levels[k], k, r.Levels[k-1])
				}
			}
			l, err := newTestColgen(in).viaRelaxation()
			if err != nil {
				t.Fatal(err)
			}
			if l == nil {
				t.Fatal("viaRelaxation returned no lottery")
			}
			checkLotteryPanels(t, in, l)
			low := smallestProb(in, l.Prob)
			slack := float64(relaxRetries+1) * relaxFix
			if low > r.Levels[0]+1e-9 || low < r.Levels[0]-slack-1e-9 {
				t.Errorf("got smallest probability %.12f, want the relaxation's first level %.12f (less at most %g)", low, r.Levels[0], slack)
			}
			cg, err := newTestColgen(in).run(context.Background(), !tc.full)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := low, smallestProb(in, cg.Prob); math.Abs(got-want) > 1e-6 {
				t.Errorf("got smallest probability %.9f, column generation %.9f", got, want)
			}
			if tc.full {
				for k := range in.Types {
					if math.Abs(l.Prob[k]-cg.Prob[k]) > 1e-6 {
						t.Errorf("type %d: got probability %.9f, column generation %.9f", k, l.Prob[k], cg.Prob[k])
					}
				}
			}
			t.Logf("types %d levels %d panels %d, min %.12f, first level %.12f", len(in.Types), len(r.Levels), len(l.Panels), low, r.Levels[0])
		})
	}
}

// smallestProb returns the smallest probability of a type with people.
func smallestProb(in *Instance, prob []float64) float64 {
	low := math.Inf(1)
	for k, ty := range in.Types {
		if ty.Count > 0 {
			low = math.Min(low, prob[k])
		}
	}
	return low
}

// TestPeelReproducesLottery peels the marginals of known lotteries (a
// single panel, and random mixtures of panels the oracle finds for random
// weights) and checks that the result is a lottery of feasible panels with
// weights summing to 1 whose expected counts are the point peeled.
func TestPeelReproducesLottery(t *testing.T) {
	in := generatedInstance(t, poolgen.Config{People: 300, Seats: 40, Categories: 4, Seed: 1})
	nt := len(in.Types)
	orc := newOracle(in)
	r := rand.New(rand.NewPCG(3, 4))
	var found []Panel
	w := make([]float64, nt)
	for len(found) < 12 {
		for k := range w {
			w[k] = r.Float64()
		}
		pn, _, ok, err := orc.best(w, nil)
		if err != nil || !ok {
			t.Fatalf("oracle: %v %v", ok, err)
		}
		if e := panelFault(in, pn); e != "" {
			t.Fatalf("oracle panel: %s", e)
		}
		found = append(found, pn)
	}
	for _, size := range []int{1, 2, 5, 12} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			x := make([]float64, nt)
			weights := make([]float64, size)
			sum := 0.0
			for i := range weights {
				weights[i] = 0.2 + r.Float64()
				sum += weights[i]
			}
			for i, pn := range found[:size] {
				for k, v := range pn {
					x[k] += weights[i] / sum * float64(v)
				}
			}
			panels, pw, ok, err := newPeeler(in, nil).peel(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Fatalf("peel failed after %d panels on a lottery's marginals", len(panels))
			}
			if len(panels) > nt+2 {
				t.Errorf("got %d panels, want at most %d", len(panels), nt+2)
			}
			total := 0.0
			got := make([]float64, nt)
			for i, pn := range panels {
				if e := panelFault(in, pn); e != "" {
					t.Errorf("panel %d: %s", i, e)
				}
				if !(pw[i] > 0) {
					t.Errorf("panel %d: weight %v, want positive", i, pw[i])
				}
				total += pw[i]
				for k, v := range pn {
					got[k] += pw[i] * float64(v)
				}
			}
			if math.Abs(total-1) > 1e-9 {
				t.Errorf("got weights summing to %v, want 1", total)
			}
			for k := range x {
				if math.Abs(got[k]-x[k]) > 1e-9 {
					t.Errorf("type %d: got expected count %.12f, want %.12f", k, got[k], x[k])
				}
			}
			t.Logf("%d panels peeled into %d", size, len(panels))
		})
	}
}
