package leximin_test

import (
	"context"
	"math"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

type publicCase struct {
	name       string
	cats, pool string
	seats      int
	addr       []string
	wantMin    float64
	profile    string
	minTol     float64
}

var publicCases = []publicCase{
	{name: "example_small_20", cats: "example_small_20/categories.csv", pool: "example_small_20/respondents.csv", seats: 20,
		wantMin: 0.1, profile: "example_small_20/reference_output/example_small_20_prob_allocs_data.csv", minTol: 1e-6},
	{name: "example_large_200", cats: "example_large_200/categories.csv", pool: "example_large_200/respondents.csv", seats: 200,
		wantMin: 0.1, profile: "example_large_200/reference_output/example_large_200_prob_allocs_data.csv", minTol: 1e-6},
	{name: "fixture_150", cats: "sortition-algorithms-fixture_150/features.csv", pool: "sortition-algorithms-fixture_150/candidates.csv", seats: 22,
		wantMin: 1.0 / 11, minTol: 1e-6},
	{name: "fixture_150_households", cats: "sortition-algorithms-fixture_150/features.csv", pool: "sortition-algorithms-fixture_150/candidates.csv", seats: 22,
		addr: []string{"primary_address1", "primary_zip"}, wantMin: 1.0 / 11, minTol: 1e-6},
	{name: "newdemocracy", cats: "newdemocracy-selection-tool-examples/example-categories.csv", pool: "newdemocracy-selection-tool-examples/example-people.csv", seats: 20,
		wantMin: -1},
	{name: "newdemocracy_simple_households", cats: "newdemocracy-selection-tool-examples/example-categories-simple.csv",
		pool: "newdemocracy-selection-tool-examples/example-people-simple-with-households.csv", seats: 12,
		addr: []string{"primary_address1"}, wantMin: -1},
}

func TestLeximinPublic(t *testing.T) {
	for _, tc := range publicCases {
		t.Run(tc.name, func(t *testing.T) {
			d := loadInstance(t, tc.cats, tc.pool, tc.seats, tc.addr)
			l, err := leximin.Leximin(context.Background(), d.inst)
			if err != nil {
				t.Fatal(err)
			}
			checkLottery(t, d.inst, l)
			probs := personProbs(d.inst, l.Prob)
			t.Logf("types %d groups %d panels %d min %.9f max %.9f", len(d.inst.Types), len(d.inst.Groups), len(l.Panels), probs[0], probs[len(probs)-1])
			if tc.wantMin >= 0 && math.Abs(probs[0]-tc.wantMin) > tc.minTol {
				t.Errorf("got minimum probability %.9f, want %.9f", probs[0], tc.wantMin)
			}
			if tc.profile != "" {
				ref := referenceProfile(t, tc.profile)
				// The reference lists one probability per percentile point; compare quantiles.
				for i, r := range ref {
					q := int(math.Round(float64(i) / float64(len(ref)-1) * float64(len(probs)-1)))
					if math.Abs(probs[q]-r) > 0.001 {
						t.Errorf("percentile %d: got %.6f, want %.6f", i, probs[q], r)
					}
				}
			}
		})
	}
}

// checkLottery checks weights sum to one, each panel meets every quota and
// the household rule, and Prob matches the marginals.
func checkLottery(t *testing.T, in *leximin.Instance, l *leximin.Lottery) {
	t.Helper()
	sum := 0.0
	for i, p := range l.Panels {
		sum += l.Weights[i]
		if l.Weights[i] < 0 {
			t.Errorf("panel %d: negative weight %v", i, l.Weights[i])
		}
		if err := panelError(in, p); err != "" {
			t.Errorf("panel %d: %s", i, err)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("got weights summing to %v, want 1", sum)
	}
	m := leximin.Marginals(l.Panels, l.Weights, in)
	for k := range m {
		if math.Abs(m[k]-l.Prob[k]) > 1e-9 {
			t.Errorf("type %d: got Prob %v, marginal %v", k, l.Prob[k], m[k])
		}
	}
}

// panelError describes how p breaks the instance's rules, or returns "".
func panelError(in *leximin.Instance, p leximin.Panel) string {
	cnt := make([]int, len(in.Min))
	seats := 0
	for k, x := range p {
		if x < 0 || x > in.Types[k].Count {
			return "type count out of range"
		}
		seats += x
		for _, f := range in.Types[k].Features {
			cnt[f] += x
		}
	}
	if seats != in.Seats {
		return "wrong number of seats"
	}
	for f := range cnt {
		if cnt[f] < in.Min[f] || cnt[f] > in.Max[f] {
			return "quota broken"
		}
	}
	for _, g := range in.Groups {
		s := 0
		for _, k := range g {
			s += p[k]
		}
		if s > 1 {
			return "household rule broken"
		}
	}
	return ""
}
