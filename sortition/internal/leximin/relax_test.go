package leximin_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

// oddCycle is an instance whose relaxation is not the convex hull of its
// panels: 2 seats, people A, B, C, D and three binary categories whose
// first values are held by the pairs {A, B}, {B, C} and {A, C}, each at
// most once on a panel. No two of A, B, C can sit together, so the panels
// are AD, BD and CD (leximin: 1/3 each for A, B, C, and 1 for D), but the
// relaxation has the point 1/2 for everyone, on a face (the three pair rows
// at 1) that holds no panel, since their sum would be odd.
func oddCycle() *leximin.Instance {
	return &leximin.Instance{
		Seats: 2,
		Min:   []int{0, 0, 0, 0, 0, 0},
		Max:   []int{1, 2, 1, 2, 1, 2},
		Types: []leximin.Type{
			{Features: []int{0, 3, 4}, Count: 1}, // A
			{Features: []int{0, 2, 5}, Count: 1}, // B
			{Features: []int{1, 2, 4}, Count: 1}, // C
			{Features: []int{1, 3, 5}, Count: 1}, // D
		},
	}
}

// TestRelaxationOddCycle checks, on the odd cycle, by enumerating the
// panels, that the relaxation's first level (1/2) exceeds the true maximin
// (1/3), that viaRelaxation then returns no lottery (and no error), and that
// Leximin still returns the brute-force leximin lottery through the column
// generation.
func TestRelaxationOddCycle(t *testing.T) {
	in := oddCycle()
	panels := allPanels(in)
	if len(panels) != 3 {
		t.Fatalf("got %d panels, want 3 (AD, BD, CD)", len(panels))
	}
	maximin := bruteMaximin(t, in, panels)
	if math.Abs(maximin-1.0/3) > 1e-9 {
		t.Fatalf("got brute-force maximin %v, want 1/3", maximin)
	}
	levels, l, err := leximin.ViaRelaxation(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(levels) == 0 || math.Abs(levels[0]-0.5) > 1e-9 {
		t.Errorf("got relaxation levels %v, want the first 1/2", levels)
	}
	if l != nil {
		t.Errorf("got a lottery %+v from the relaxation, want none: its point is no lottery's", l)
	}
	got, err := leximin.Leximin(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	checkLottery(t, in, got)
	want := bruteLeximin(t, in, panels)
	for ty := range want {
		if math.Abs(got.Prob[ty]-want[ty]) > 1e-6 {
			t.Errorf("type %d: got probability %.9f, want %.9f", ty, got.Prob[ty], want[ty])
		}
	}
}

// TestRelaxationAgainstBruteForce checks on small random instances that the
// relaxation's first level is an upper bound on the brute-force maximin,
// and that whenever viaRelaxation returns a lottery it is valid, meets that
// bound and has the brute-force leximin probabilities. Both outcomes of
// viaRelaxation must occur among the cases.
func TestRelaxationAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	written, fallback := 0, 0
	for c := 0; c < 400; c++ {
		in := randomInstance(r)
		panels := allPanels(in)
		levels, l, err := leximin.ViaRelaxation(in)
		if len(panels) == 0 {
			// The relaxation may be feasible without a panel (as for
			// an odd cycle at full seats); it must not give a lottery.
			if l != nil {
				t.Errorf("case %d: got a lottery without any panel", c)
			}
			if err != nil && !errors.Is(err, leximin.ErrInfeasible) {
				t.Errorf("case %d: got error %v, want ErrInfeasible or none", c, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		maximin := bruteMaximin(t, in, panels)
		if levels[0] < maximin-1e-7 {
			t.Errorf("case %d: got first level %.9f below the brute-force maximin %.9f", c, levels[0], maximin)
		}
		if l == nil {
			fallback++
			continue
		}
		written++
		checkLottery(t, in, l)
		if got := slices.Min(l.Prob); math.Abs(got-maximin) > 1e-6 || math.Abs(got-levels[0]) > 1e-6 {
			t.Errorf("case %d: got minimum probability %.9f, want %.9f (first level %.9f)", c, got, maximin, levels[0])
		}
		want := bruteLeximin(t, in, panels)
		for ty := range want {
			if math.Abs(l.Prob[ty]-want[ty]) > 1e-6 {
				t.Errorf("case %d type %d: got probability %.9f, want %.9f", c, ty, l.Prob[ty], want[ty])
			}
		}
	}
	t.Logf("%d lotteries from the relaxation, %d fallbacks", written, fallback)
	if written < 50 || fallback == 0 {
		t.Errorf("got %d lotteries from the relaxation and %d fallbacks, want at least 50 and 1", written, fallback)
	}
}

// TestLeximinDeterministicGenerated checks that two Leximin runs on one
// generated pool give bit-identical panels, weights and probabilities.
func TestLeximinDeterministicGenerated(t *testing.T) {
	for _, cfg := range []poolgen.Config{
		{People: 300, Seats: 40, Categories: 4, Seed: 2},
		{People: 200, Seats: 25, Categories: 7, Seed: 1},
	} {
		in := generated(t, cfg)
		a, err := leximin.Leximin(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := leximin.Leximin(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		samePanels := slices.EqualFunc(a.Panels, b.Panels, func(p, q leximin.Panel) bool { return slices.Equal(p, q) })
		if !samePanels || !sameBits(a.Weights, b.Weights) || !sameBits(a.Prob, b.Prob) {
			t.Errorf("%+v: two runs differ (panels equal %v, weights %v, probabilities %v)",
				cfg, samePanels, sameBits(a.Weights, b.Weights), sameBits(a.Prob, b.Prob))
		}
	}
}

// sameBits reports whether a and b hold the same float64 bits.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}
