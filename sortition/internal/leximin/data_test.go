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
	// uniform: the published leximin allocation gives every person the same
	// probability (example_small_20 and example_large_200: LEXIMIN minimum
	// 10.0%, Gini coefficient 0.0%), so the largest must equal wantMin too.
	uniform bool
	minTol  float64
}

// publicCases are the instances under sortition/testdata, each equivalent to
// a published one (see sortition/testdata/SOURCES.md).
var publicCases = []publicCase{
	{name: "example_small_20", cats: "example_small_20/categories.csv", pool: "example_small_20/respondents.csv", seats: 20,
		wantMin: 0.1, uniform: true, minTol: 1e-6},
	{name: "example_large_200", cats: "example_large_200/categories.csv", pool: "example_large_200/respondents.csv", seats: 200,
		wantMin: 0.1, uniform: true, minTol: 1e-6},
	{name: "fixture_150", cats: "fixture_150/features.csv", pool: "fixture_150/candidates.csv", seats: 22,
		wantMin: 1.0 / 11, minTol: 1e-6},
	{name: "fixture_150_households", cats: "fixture_150/features.csv", pool: "fixture_150/candidates.csv", seats: 22,
		addr: []string{"primary_address1", "primary_zip"}, wantMin: 1.0 / 11, minTol: 1e-6},
	{name: "newdemocracy", cats: "newdemocracy_300/categories.csv", pool: "newdemocracy_300/people.csv", seats: 20,
		wantMin: -1},
	{name: "newdemocracy_simple_households", cats: "newdemocracy_households_29/categories.csv",
		pool: "newdemocracy_households_29/people.csv", seats: 12,
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
			if tc.uniform && math.Abs(probs[len(probs)-1]-tc.wantMin) > 0.001 {
				t.Errorf("got largest probability %.6f, want %.6f like everyone (published Gini 0.0%%)", probs[len(probs)-1], tc.wantMin)
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
