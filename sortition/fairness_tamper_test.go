package sortition_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// cloneRecord deep-copies a record through JSON.
func cloneRecord(t *testing.T, rec *sortition.Record) *sortition.Record {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	out := &sortition.Record{}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// moveSeats gives, in as many lottery panels as it can (up to limit), the
// seat of a person of one kind to a person of another kind outside the
// panel, keeping every quota: probability moves from one group of people to
// another while every panel stays valid.
func moveSeats(t *testing.T, rec *sortition.Record, pool *sortition.Pool, quotas []sortition.Quota, limit int) int {
	t.Helper()
	byID := map[string]sortition.Person{}
	for _, p := range rec.Pool {
		byID[p.ID] = p
	}
	kind := func(id string) string { return strings.Join(slices.Sorted(maps.Values(byID[id].Values)), "|") }
	// Only from people well above the minimum, so that min_probability
	// stays where it was and nothing but the optimum tells.
	high := func(id string) bool { return rec.Probabilities[id] > rec.MinProbability+0.05 }
	var from, to string
	moved := 0
	for i, pn := range rec.Lottery.Panels {
		in := map[string]bool{}
		for _, id := range pn {
			in[id] = true
		}
	search:
		for k, a := range pn {
			if (from != "" && kind(a) != from) || !high(a) {
				continue
			}
			for _, p := range rec.Pool {
				b := p.ID
				if in[b] || kind(b) == kind(a) || (to != "" && kind(b) != to) {
					continue
				}
				cand := slices.Clone(pn)
				cand[k] = b
				if panelProblem(pool, quotas, rec.Seats, cand) != "" {
					continue
				}
				from, to = kind(a), kind(b)
				slices.Sort(cand)
				rec.Lottery.Panels[i] = cand
				moved++
				break search
			}
		}
		if moved == limit {
			break
		}
	}
	return moved
}

// TestVerifyResolveCatchesUnfairLotteries tampers with a lottery before the
// commitment and re-commits, so the record is consistent and only
// re-solving the optimum shows that it is not the fair lottery.
func TestVerifyResolveCatchesUnfairLotteries(t *testing.T) {
	t.Parallel()
	// Women are few, so each has probability 1/2 and each man 1/4.
	people := "id,g,age\n"
	for i := range 24 {
		g, a := "m", "young"
		if i%6 == 0 || i%6 == 3 {
			g = "f"
		}
		if i%2 == 1 {
			a = "old"
		}
		people += fmt.Sprintf("p%02d,%s,%s\n", i, g, a)
	}
	pool, quotas := parse(t, "category,name,min,max\ng,f,4,4\ng,m,4,4\nage,young,1,7\nage,old,1,7\n", people)
	genuine := prepare(t, pool, quotas, sortition.Params{Seats: 8, Panels: 200})
	tests := []struct {
		name   string
		tamper func(t *testing.T, rec *sortition.Record)
		plain  string // what plain verification (no re-solve) says; "" = verified
		want   string // what re-solving says; "" = verified
	}{
		{name: "genuine", tamper: func(*testing.T, *sortition.Record) {}},
		{name: "seats moved to other people", tamper: func(t *testing.T, rec *sortition.Record) {
			if n := moveSeats(t, rec, pool, quotas, 40); n < 15 {
				t.Fatalf("moved %d seats, want at least 15", n)
			}
			if err := sortition.Recommit(rec); err != nil {
				t.Fatal(err)
			}
		}, want: "more than max_deviation"},
		{name: "seats moved and max_deviation widened", tamper: func(t *testing.T, rec *sortition.Record) {
			moveSeats(t, rec, pool, quotas, 40)
			rec.MaxDeviation = 0.2
			if err := sortition.Recommit(rec); err != nil {
				t.Fatal(err)
			}
		}, want: "above the rounding bound"},
		{name: "optimum misreported", tamper: func(t *testing.T, rec *sortition.Record) {
			rec.OptimalMinProbability -= 0.001
			rec.MaxDeviation += 0.001
			if err := sortition.Recommit(rec); err != nil {
				t.Fatal(err)
			}
		}, want: "optimal_min_probability is"},
		{name: "deviation misreported", tamper: func(t *testing.T, rec *sortition.Record) {
			rec.MaxDeviation += 0.005
			if err := sortition.Recommit(rec); err != nil {
				t.Fatal(err)
			}
		}, want: "max_deviation is"},
		{name: "probability moved to an identical twin", tamper: func(t *testing.T, rec *sortition.Record) {
			a, b := twins(t, rec)
			rec.Probabilities[a] -= 0.01
			rec.Probabilities[b] += 0.01
			if err := sortition.RecommitAsIs(rec); err != nil {
				t.Fatal(err)
			}
		}, plain: "the lottery gives", want: "the lottery gives"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := cloneRecord(t, genuine)
			tt.tamper(t, rec)
			if err := rec.Draw("tamper"); err != nil {
				t.Fatal(err)
			}
			for _, resolve := range []bool{false, true} {
				want := tt.plain
				if resolve {
					want = tt.want
				}
				rep, err := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{Resolve: resolve})
				if err != nil {
					t.Fatal(err)
				}
				err = rep.Err()
				switch {
				case want == "" && err != nil:
					t.Errorf("resolve=%v: got %v, want verified", resolve, err)
				case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
					t.Errorf("resolve=%v: got %v, want an error containing %q", resolve, err, want)
				}
			}
		})
	}
}

// twins returns two people of the record with identical values.
func twins(t *testing.T, rec *sortition.Record) (string, string) {
	t.Helper()
	seen := map[string]string{}
	for _, p := range rec.Pool {
		k := strings.Join(slices.Sorted(maps.Values(p.Values)), "|")
		if o, ok := seen[k]; ok {
			return o, p.ID
		}
		seen[k] = p.ID
	}
	t.Fatal("no twins in the pool")
	return "", ""
}
