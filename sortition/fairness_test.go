package sortition_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// TestShuffledPoolSameDraw shuffles the pool (as a shuffled respondents
// file or a different database order would) and renames the household keys:
// the commitment, the lottery, the panel and the reserves must not change.
func TestShuffledPoolSameDraw(t *testing.T) {
	t.Parallel()
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			pool, quotas := synthInstance(t, 120, 15, true, 5)
			params := sortition.Params{Seats: 15, Reserves: 5, Algorithm: alg, Panels: 200}
			want := prepare(t, pool, quotas, params)
			if err := want.Draw("6-6-1-2"); err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(9, 9))
			for round := range 3 {
				shuffled := &sortition.Pool{People: slices.Clone(pool.People), HouseholdColumns: pool.HouseholdColumns}
				rng.Shuffle(len(shuffled.People), func(i, j int) {
					shuffled.People[i], shuffled.People[j] = shuffled.People[j], shuffled.People[i]
				})
				for i := range shuffled.People {
					if h := shuffled.People[i].Household; h != "" {
						shuffled.People[i].Household = "x" + h + strconv.Itoa(round)
					}
				}
				got := prepare(t, shuffled, quotas, params)
				if got.Commitment != want.Commitment {
					t.Fatalf("round %d: commitment %s, want %s", round, got.Commitment, want.Commitment)
				}
				if err := got.Draw("6-6-1-2"); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.Selected, want.Selected) || !slices.Equal(got.Reserves, want.Reserves) {
					t.Fatalf("round %d: selected %v reserves %v, want %v and %v", round, got.Selected, got.Reserves, want.Selected, want.Reserves)
				}
				// The shuffled file verifies against the record.
				rep, err := sortition.Verify(t.Context(), want, sortition.VerifyOptions{Pool: shuffled, Quotas: quotas})
				if err != nil {
					t.Fatal(err)
				}
				if err := rep.Err(); err != nil {
					t.Errorf("round %d: the shuffled file does not verify: %v", round, err)
				}
			}
		})
	}
}

// TestNeighboursDrawnIndependently checks that who is taken among people with
// identical values is uniformly random and independent of their place in the
// file: over many seeds, pairs of neighbours in example_large_200 (1999
// people, 200 seats, ids are row numbers) are drawn together at the rate
// that independent choices with the published probabilities predict, within
// 10%, and each person is drawn at their published rate within 5 standard
// errors. (Before the seats were dealt at random, neighbours were drawn
// together about ten times more often than chance.)
func TestNeighboursDrawnIndependently(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("leximin on 1999 people and 2000 draws")
	}
	pool, quotas := load(t, instances[1])
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 200, Algorithm: sortition.AlgorithmLeximin})
	n := len(pool.People)
	const seeds = 2000
	together := 0
	drawn := make([]int, n+1)
	for s := range seeds {
		r := *rec
		if err := r.Draw(fmt.Sprintf("seed %d", s)); err != nil {
			t.Fatal(err)
		}
		sel := make([]bool, n+2)
		for _, id := range r.Selected {
			i, err := strconv.Atoi(id)
			if err != nil {
				t.Fatal(err)
			}
			sel[i] = true
			drawn[i]++
		}
		for i := 1; i < n; i++ {
			if sel[i] && sel[i+1] {
				together++
			}
		}
	}
	expect := 0.0
	for i := 1; i < n; i++ {
		expect += rec.Probabilities[strconv.Itoa(i)] * rec.Probabilities[strconv.Itoa(i+1)]
	}
	expect *= seeds
	ratio := float64(together) / expect
	t.Logf("neighbours drawn together %d times, independence predicts %.0f (ratio %.3f)", together, expect, ratio)
	if ratio < 0.9 || ratio > 1.1 {
		t.Errorf("neighbours drawn together %d times, independence predicts %.0f: ratio %.3f, want 0.9 to 1.1", together, expect, ratio)
	}
	worst := 0.0
	for i := 1; i <= n; i++ {
		p := rec.Probabilities[strconv.Itoa(i)]
		se := math.Sqrt(p * (1 - p) / seeds)
		if z := math.Abs(float64(drawn[i])/seeds-p) / se; z > worst {
			worst = z
		}
	}
	t.Logf("largest deviation of a person's rate from their probability: %.2f standard errors", worst)
	if worst > 5 {
		t.Errorf("a person is drawn %.2f standard errors away from their probability, want at most 5", worst)
	}
}
