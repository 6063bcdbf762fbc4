package sortition_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestLegacyOnPublicInstances(t *testing.T) {
	t.Parallel()
	for _, in := range instances {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			pool, quotas := load(t, in)
			rec, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: in.seats, Algorithm: sortition.AlgorithmLegacy, Reserves: 5})
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			distinct := map[string]bool{}
			for i := range 50 {
				r := *rec
				if err := r.Draw(fmt.Sprintf("seed %d", i)); err != nil {
					t.Fatalf("Draw: %v", err)
				}
				if p := panelProblem(pool, quotas, in.seats, r.Selected); p != "" {
					t.Fatalf("seed %d: panel %s", i, p)
				}
				if r.LotteryIndex != nil {
					t.Errorf("got lottery index %d, want none for legacy", *r.LotteryIndex)
				}
				distinct[fmt.Sprint(r.Selected)] = true
			}
			if len(distinct) < 45 {
				t.Errorf("got %d distinct panels from 50 seeds, want nearly all different", len(distinct))
			}
		})
	}
}

func TestLegacyHouseholds(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 120, 20, true, 7)
	rec, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: 20, Algorithm: sortition.AlgorithmLegacy})
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	for i := range 100 {
		r := *rec
		if err := r.Draw(fmt.Sprint(i)); err != nil {
			t.Fatalf("Draw: %v", err)
		}
		if p := panelProblem(pool, quotas, 20, r.Selected); p != "" {
			t.Fatalf("seed %d: panel %s", i, p)
		}
		if !slices.IsSorted(positions(pool, r.Selected)) {
			t.Errorf("seed %d: panel not in pool order", i)
		}
	}
}

// positions maps ids to pool positions.
func positions(pool *sortition.Pool, ids []string) []int {
	var out []int
	for _, id := range ids {
		out = append(out, slices.IndexFunc(pool.People, func(p sortition.Person) bool { return p.ID == id }))
	}
	return out
}

// TestLegacyMatchesPublishedProfile checks the legacy algorithm against the
// published replication output for example_small_20: over 10,000 runs its
// lowest selection frequency was 0.0096.
func TestLegacyMatchesPublishedProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 draws")
	}
	t.Parallel()
	pool, quotas := load(t, instances[0])
	rec, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: 20, Algorithm: sortition.AlgorithmLegacy})
	if err != nil {
		t.Fatal(err)
	}
	const runs = 10000
	count := map[string]int{}
	for i := range runs {
		r := *rec
		if err := r.Draw(fmt.Sprint("profile ", i)); err != nil {
			t.Fatal(err)
		}
		for _, id := range r.Selected {
			count[id]++
		}
	}
	lowest := runs
	for _, p := range pool.People {
		lowest = min(lowest, count[p.ID])
	}
	// The minimum of 200 binomial frequencies around 0.01 stays well inside this band.
	if got := float64(lowest) / runs; got < 0.005 || got > 0.015 {
		t.Errorf("got lowest frequency %.4f, want near the published 0.0096", got)
	}
}
