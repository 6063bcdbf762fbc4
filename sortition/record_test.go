package sortition_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestRecordDeterministic(t *testing.T) {
	t.Parallel()
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			var first []byte
			for i := range 2 {
				pool, quotas := synthInstance(t, 60, 10, true, 3)
				rec := prepare(t, pool, quotas, sortition.Params{Seats: 10, Reserves: 4, Algorithm: alg, Panels: 50})
				if err := rec.Draw("same seed"); err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(rec)
				if err != nil {
					t.Fatal(err)
				}
				if i == 1 && !bytes.Equal(b, first) {
					t.Errorf("same inputs and seed gave different record JSON")
				}
				first = b
			}
		})
	}
}

func TestRecordFields(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 60, 10, true, 3)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 10, Reserves: 4, Algorithm: sortition.AlgorithmLeximin, Panels: 50, Software: "panel test"})
	if err := rec.Draw("s"); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rec)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"format", "software", "algorithm", "seats", "reserves_count", "household_columns", "quotas", "pool", "lottery",
		"probabilities", "min_probability", "optimal_min_probability", "commitment", "seed", "lottery_index", "selected", "reserves", "panels_count", "max_deviation"} {
		if _, ok := top[f]; !ok {
			t.Errorf("record JSON lacks %q", f)
		}
	}
	if got, want := string(top["format"]), `"panel-draw/2"`; got != want {
		t.Errorf("got format %s, want %s", got, want)
	}
	if got := len(rec.Lottery.Panels); got != 50 {
		t.Errorf("got %d panels, want 50", got)
	}
	if err := rec.Draw("again"); !errors.Is(err, sortition.ErrAlreadyDrawn) {
		t.Errorf("second Draw: got %v, want ErrAlreadyDrawn", err)
	}
}

func TestDrawManySeeds(t *testing.T) {
	t.Parallel()
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			pool, quotas := synthInstance(t, 150, 20, false, 11)
			rec := prepare(t, pool, quotas, sortition.Params{Seats: 20, Reserves: 3, Algorithm: alg})
			distinct, indices := map[string]bool{}, map[int]bool{}
			for i := range 200 {
				r := *rec
				if err := r.Draw(fmt.Sprintf("%d-%d", i, i*7)); err != nil {
					t.Fatal(err)
				}
				if p := panelProblem(pool, quotas, 20, r.Selected); p != "" {
					t.Fatalf("seed %d: panel %s", i, p)
				}
				if r.Lottery != nil && composition(r.Pool, r.Selected) != composition(r.Pool, r.Lottery.Panels[*r.LotteryIndex]) {
					t.Fatalf("seed %d: selected does not have the composition of lottery panel %d", i, *r.LotteryIndex)
				}
				distinct[fmt.Sprint(r.Selected)] = true
				if r.LotteryIndex != nil {
					indices[*r.LotteryIndex] = true
				}
			}
			if alg != sortition.AlgorithmLegacy && len(indices) < 150 {
				t.Errorf("got %d distinct lottery indices from 200 seeds, want at least 150", len(indices))
			}
			// The rounded lottery repeats panels (here about 330 distinct ones
			// among 1000), so 200 seeds give fewer than 200 distinct panels.
			if len(distinct) < 100 {
				t.Errorf("got %d distinct panels from 200 seeds, want at least 100", len(distinct))
			}
		})
	}
}

func TestDrawAndVerifyPublicInstances(t *testing.T) {
	t.Parallel()
	for _, in := range instances {
		for _, alg := range algorithms {
			t.Run(in.name+"/"+alg, func(t *testing.T) {
				t.Parallel()
				if testing.Short() && in.seats > 100 && alg != sortition.AlgorithmLegacy {
					t.Skip("large instance in -short mode")
				}
				pool, quotas := load(t, in)
				rec := prepare(t, pool, quotas, sortition.Params{Seats: in.seats, Reserves: 5, Algorithm: alg})
				if err := rec.Draw("public instance " + in.name); err != nil {
					t.Fatal(err)
				}
				mustVerify(t, rec)
				if p := panelProblem(pool, quotas, in.seats, rec.Selected); p != "" {
					t.Errorf("selected panel %s", p)
				}
				if alg != sortition.AlgorithmLegacy && rec.MinProbability < rec.OptimalMinProbability-1.0/float64(rec.PanelsCount)-rec.MaxDeviation {
					t.Errorf("got min probability %v, optimum %v", rec.MinProbability, rec.OptimalMinProbability)
				}
			})
		}
	}
}

func TestPrepareInputErrors(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 30, 6, false, 1)
	tests := []struct {
		name   string
		params sortition.Params
		want   string
	}{
		{name: "unknown algorithm", params: sortition.Params{Seats: 6, Algorithm: "dice"}, want: `unknown algorithm "dice"`},
		{name: "negative reserves", params: sortition.Params{Seats: 6, Reserves: -1}, want: "must not be negative"},
		{name: "more seats than people", params: sortition.Params{Seats: 31, Algorithm: sortition.AlgorithmLegacy}, want: "maximums add up"},
		{name: "no seats", params: sortition.Params{}, want: "seats must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sortition.Prepare(context.Background(), pool, quotas, tt.params)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
