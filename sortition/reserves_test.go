package sortition_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// TestReservesCoverEveryReplaceableMember checks that with as many reserves
// as seats, every member whom someone outside the panel could replace keeping
// the quotas and the household rule is replaced keeping them: the cover phase
// covers at least one new member with each reserve until all are covered.
func TestReservesCoverEveryReplaceableMember(t *testing.T) {
	t.Parallel()
	const seats = 20
	pool, quotas := synthInstance(t, 150, seats, true, 13)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: seats, Reserves: seats, Algorithm: sortition.AlgorithmLegacy})
	replaceable := 0
	for i := range 10 {
		r := *rec
		if err := r.Draw(fmt.Sprint("reserves ", i)); err != nil {
			t.Fatal(err)
		}
		if got, want := len(r.Reserves), seats; got != want {
			t.Fatalf("got %d reserves, want %d", got, want)
		}
		seen := map[string]bool{}
		for _, id := range r.Reserves {
			if seen[id] || slices.Contains(r.Selected, id) {
				t.Fatalf("seed %d: reserve %q repeated or on the panel", i, id)
			}
			seen[id] = true
		}
		for at, member := range r.Selected {
			someone := ""
			for _, p := range pool.People {
				if slices.Contains(r.Selected, p.ID) {
					continue
				}
				trial := slices.Clone(r.Selected)
				trial[at] = p.ID
				if panelProblem(pool, quotas, seats, trial) == "" {
					someone = p.ID
					break
				}
			}
			one := r
			got, kept, err := sortition.Replace(&one, member, nil)
			if err != nil {
				t.Fatal(err)
			}
			if someone != "" {
				replaceable++
			}
			if someone != "" && !kept {
				t.Errorf("seed %d: %s could be replaced by %s keeping the quotas, Replace gave %s with quotas_kept false", i, member, someone, got)
			}
		}
	}
	if replaceable < 100 {
		t.Errorf("only %d of 200 members were replaceable at all, want a test that exercises the rule", replaceable)
	}
}

func TestReservesLimitedByPool(t *testing.T) {
	t.Parallel()
	pool, quotas := parse(t, "category,name,min,max\ng,f,1,2\ng,m,1,2\n", "id,g\na,f\nb,f\nc,m\nd,m\n")
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 3, Reserves: 5, Algorithm: sortition.AlgorithmLegacy})
	if err := rec.Draw("x"); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.Reserves); got != 1 {
		t.Errorf("got %d reserves, want the 1 person left", got)
	}
}

func TestLotteryRoundRobinWithinTypes(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 120, 15, false, 17)
	const m = 200
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 15, Panels: m})
	byType := map[string][]float64{}
	for _, p := range pool.People {
		key := fmt.Sprint(p.Values)
		byType[key] = append(byType[key], rec.Probabilities[p.ID])
	}
	for key, probs := range byType {
		if spread := slices.Max(probs) - slices.Min(probs); spread > 1.0/m+1e-12 {
			t.Errorf("type %s: probabilities spread %v, want at most 1/m = %v", key, spread, 1.0/m)
		}
	}
	if rec.MaxDeviation > 0.05 {
		t.Errorf("got max deviation %v from the exact lottery, want small", rec.MaxDeviation)
	}
}
