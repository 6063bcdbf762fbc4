package simulate

import (
	"math"
	"slices"
	"testing"
)

func TestPopulationIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := Population(500, "seed 1"), Population(500, "seed 1")
	if !slices.Equal(a, b) {
		t.Fatal("two populations from the same seed differ")
	}
	if c := Population(500, "seed 2"); slices.Equal(a, c) {
		t.Error("populations from different seeds are equal")
	}
}

func TestPopulationShares(t *testing.T) {
	t.Parallel()
	const n = 40000
	people := Population(n, "shares")
	phones := map[string]bool{}
	for _, p := range people {
		if phones[p.Phone] {
			t.Fatalf("phone of row %d repeats", p.Row)
		}
		phones[p.Phone] = true
		r := ageRange[p.AgeBand]
		if p.Age < r[0] || p.Age > r[1] {
			t.Errorf("row %d: age %d outside its band %s", p.Row, p.Age, p.AgeBand)
		}
	}
	for _, c := range Categories {
		for _, s := range c.Shares {
			got := 0
			for _, p := range people {
				if p.Values()[c.Name] == s.Value {
					got++
				}
			}
			if share := float64(got) / n; math.Abs(share-s.Share) > 0.01 {
				t.Errorf("%s=%s: got share %.3f, want %.2f±0.01", c.Name, s.Value, share, s.Share)
			}
		}
	}
}

// TestResponseBias checks the answer model against the reference round:
// about 9.25% say yes, and the young and those with compulsory school only
// say yes less often than the highly educated.
func TestResponseBias(t *testing.T) {
	t.Parallel()
	const n = 40000
	people := Population(n, "bias")
	yes := map[string][2]int{} // value → (yes, all)
	total := 0
	for _, p := range people {
		for _, v := range []string{p.AgeBand, p.Education} {
			c := yes[v]
			c[1]++
			if p.Behaviour.SaysYes() {
				c[0]++
			}
			yes[v] = c
		}
		if p.Behaviour.SaysYes() {
			total++
		}
	}
	if rate := float64(total) / n; rate < 0.085 || rate > 0.105 {
		t.Errorf("got yes rate %.4f, want about 0.0925", rate)
	}
	rate := func(v string) float64 { return float64(yes[v][0]) / float64(yes[v][1]) }
	if !(rate("18-29") < rate("45-59")) || !(rate("grunnskole") < rate("lang høyere")) {
		t.Errorf("bias missing: 18-29 %.3f vs 45-59 %.3f, grunnskole %.3f vs lang høyere %.3f",
			rate("18-29"), rate("45-59"), rate("grunnskole"), rate("lang høyere"))
	}
}
