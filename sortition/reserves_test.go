package sortition_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestReservesCoverEveryValue(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 150, 20, false, 13)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 20, Reserves: len(quotas), Algorithm: sortition.AlgorithmLegacy})
	values := map[string]sortition.Person{}
	for _, p := range pool.People {
		values[p.ID] = p
	}
	for i := range 30 {
		r := *rec
		if err := r.Draw(fmt.Sprint("reserves ", i)); err != nil {
			t.Fatal(err)
		}
		if got, want := len(r.Reserves), len(quotas); got != want {
			t.Fatalf("got %d reserves, want %d", got, want)
		}
		seen := map[string]bool{}
		held := map[[2]string]bool{}
		for _, id := range r.Reserves {
			if seen[id] || slices.Contains(r.Selected, id) {
				t.Fatalf("seed %d: reserve %q repeated or on the panel", i, id)
			}
			seen[id] = true
			for c, v := range values[id].Values {
				held[[2]string{c, v}] = true
			}
		}
		// Every value some panel member has, and some non-member has, is
		// held by a reserve.
		for _, q := range quotas {
			key := [2]string{q.Category, q.Value}
			onPanel, available := false, false
			for _, p := range pool.People {
				if p.Values[q.Category] != q.Value {
					continue
				}
				if slices.Contains(r.Selected, p.ID) {
					onPanel = true
				} else {
					available = true
				}
			}
			if onPanel && available && !held[key] {
				t.Errorf("seed %d: no reserve has %s=%s", i, q.Category, q.Value)
			}
		}
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
