package sortition

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCoversMatchesSwapCheck compares the cover rule's shortcut with swapping
// each candidate into each seat and checking the whole panel, on small pools
// with tight quotas and households.
func TestCoversMatchesSwapCheck(t *testing.T) {
	t.Parallel()
	quotas := []Quota{
		{Category: "g", Value: "f", Min: 2, Max: 3}, {Category: "g", Value: "m", Min: 2, Max: 3},
		{Category: "a", Value: "young", Min: 1, Max: 2}, {Category: "a", Value: "mid", Min: 1, Max: 3}, {Category: "a", Value: "old", Min: 1, Max: 2},
	}
	checked := 0
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var people []Person
		for i := range 24 {
			p := Person{ID: fmt.Sprintf("p%02d", i), Values: map[string]string{
				"g": []string{"f", "m"}[rng.IntN(2)],
				"a": []string{"young", "mid", "old"}[rng.IntN(3)],
			}}
			if rng.IntN(3) == 0 {
				p.Household = fmt.Sprintf("h%d", rng.IntN(6))
			}
			people = append(people, p)
		}
		m, err := newModel(people, quotas, 5)
		if err != nil {
			t.Fatal(err)
		}
		panel := randomPanel(m, rng)
		if panel == nil {
			continue
		}
		checked++
		var cands []int
		for p := range m.ids {
			if !slices.Contains(panel, p) {
				cands = append(cands, p)
			}
		}
		got := m.covers(panel, cands)
		for ci, r := range cands {
			var want []int
			for i := range panel {
				trial := slices.Clone(panel)
				trial[i] = r
				if m.quotaProblem(trial) == nil && m.householdProblem(trial) == nil {
					want = append(want, i)
				}
			}
			if !slices.Equal(got[ci], want) {
				t.Errorf("seed %d: candidate %s covers seats %v, the swap check gives %v", seed, m.ids[r], got[ci], want)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d of 40 pools gave a valid panel, want at least 30", checked)
	}
}

// randomPanel returns a valid panel of m.seats people found by random tries,
// or nil.
func randomPanel(m *model, rng *rand.Rand) []int {
	for range 2000 {
		panel := rng.Perm(len(m.ids))[:m.seats]
		if m.quotaProblem(panel) == nil && m.householdProblem(panel) == nil {
			return panel
		}
	}
	return nil
}

// TestDrawReservesFallsBackToProportional checks that when nobody can take a
// seat keeping the quotas, the reserves still come, by the proportional rule.
func TestDrawReservesFallsBackToProportional(t *testing.T) {
	t.Parallel()
	quotas := []Quota{
		{Category: "g", Value: "f", Min: 1, Max: 1}, {Category: "g", Value: "m", Min: 1, Max: 1},
		{Category: "a", Value: "young", Min: 1, Max: 1}, {Category: "a", Value: "old", Min: 1, Max: 1},
	}
	people := []Person{
		{ID: "fy", Values: map[string]string{"g": "f", "a": "young"}},
		{ID: "mo", Values: map[string]string{"g": "m", "a": "old"}},
		{ID: "fo", Values: map[string]string{"g": "f", "a": "old"}},
		{ID: "my", Values: map[string]string{"g": "m", "a": "young"}},
	}
	m, err := newModel(people, quotas, 2)
	if err != nil {
		t.Fatal(err)
	}
	panel := []int{0, 1}
	for _, cv := range m.covers(panel, []int{2, 3}) {
		if len(cv) != 0 {
			t.Fatalf("got covers %v, want none", cv)
		}
	}
	got := m.drawReserves(panel, 5, NewStream(PurposeReserves, "x"))
	slices.Sort(got)
	if want := []string{"fo", "my"}; !slices.Equal(got, want) {
		t.Errorf("got reserves %v, want %v", got, want)
	}
	if got := m.drawReserves(panel, 0, NewStream(PurposeReserves, "x")); got == nil || len(got) != 0 {
		t.Errorf("k=0: got %#v, want an empty, non-nil list", got)
	}
}
