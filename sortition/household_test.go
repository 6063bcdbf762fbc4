package sortition_test

import (
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestHouseholdRule(t *testing.T) {
	t.Parallel()
	// Six people in two-person households and two singles; four seats; the
	// quotas alone would allow both members of a household.
	quotas := "category,name,min,max\ng,f,0,4\ng,m,0,4\n"
	people := "id,g,street,zip\na1,f,Elm 1,7000\na2,m, elm 1 ,7000\nb1,f,Oak 2,7000\nb2,m,OAK 2,7000\nc1,f,Ash 3,7000\nc2,m,Ash 3,7000\nd,f,Ash 3,7001\ne,m,,\n"
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			pool, q := parse(t, quotas, people, "street", "zip")
			wantHouse := map[string]string{"a1": "h1", "a2": "h1", "b1": "h2", "b2": "h2", "c1": "h3", "c2": "h3", "d": "", "e": ""}
			for _, p := range pool.People {
				if p.Household != wantHouse[p.ID] {
					t.Errorf("%s: got household %q, want %q", p.ID, p.Household, wantHouse[p.ID])
				}
			}
			rec := prepare(t, pool, q, sortition.Params{Seats: 4, Reserves: 2, Algorithm: alg, Panels: 40})
			if rec.Lottery != nil {
				for i, pn := range rec.Lottery.Panels {
					if p := panelProblem(pool, q, 4, pn); p != "" {
						t.Errorf("lottery panel %d: %s", i, p)
					}
				}
				// Everyone can sit on some panel, so nobody has probability 0.
				if rec.MinProbability <= 0 {
					t.Errorf("got min probability %v, want > 0", rec.MinProbability)
				}
			}
			for i := range 100 {
				r := *rec
				if err := r.Draw(fmt.Sprint(i)); err != nil {
					t.Fatal(err)
				}
				if p := panelProblem(pool, q, 4, r.Selected); p != "" {
					t.Fatalf("seed %d: %s", i, p)
				}
			}
		})
	}
}
