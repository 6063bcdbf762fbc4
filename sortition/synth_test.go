package sortition_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// synthCategory is a category of the synthetic reference-round population.
type synthCategory struct {
	name   string
	values []string
	shares []float64
}

// synthCategories mirror the Trondheim reference round.
var synthCategories = []synthCategory{
	{"gender", []string{"kvinne", "mann"}, []float64{0.5, 0.5}},
	{"age", []string{"18-29", "30-44", "45-59", "60-74", "75+"}, []float64{0.24, 0.27, 0.23, 0.17, 0.09}},
	{"district", []string{"Midtbyen", "Østbyen", "Lerkendal", "Heimdal"}, []float64{0.24, 0.25, 0.25, 0.26}},
	{"education", []string{"grunnskole", "videregående", "høyere kort", "høyere lang"}, []float64{0.2, 0.34, 0.29, 0.17}},
}

// synthInstance builds a pool of n people drawn with a fixed PCG seed and
// quotas of the population share of seats ±2 (min at least 0). With
// households, about 10% of people share an address with the person before.
func synthInstance(t testing.TB, n, seats int, households bool, seed uint64) (*sortition.Pool, []sortition.Quota) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	var q strings.Builder
	q.WriteString("category,name,min,max\n")
	for _, c := range synthCategories {
		for i, v := range c.values {
			target := c.shares[i] * float64(seats)
			fmt.Fprintf(&q, "%s,%s,%d,%d\n", c.name, v, max(0, int(math.Floor(target))-2), int(math.Ceil(target))+2)
		}
	}
	quotas, err := sortition.ParseQuotas(strings.NewReader(q.String()), "synthetic-quotas.csv")
	if err != nil {
		t.Fatal(err)
	}
	var p strings.Builder
	p.WriteString("id,gender,age,district,education,address\n")
	for i := range n {
		fmt.Fprintf(&p, "p%04d", i+1)
		for _, c := range synthCategories {
			p.WriteString("," + c.values[pick(rng, c.shares)])
		}
		addr := i
		if households && i > 0 && rng.Float64() < 0.1 {
			addr = i - 1
		}
		fmt.Fprintf(&p, ",street %d\n", addr)
	}
	var cols []string
	if households {
		cols = []string{"address"}
	}
	pool, err := sortition.ParsePeople(strings.NewReader(p.String()), "synthetic-people.csv", sortition.PeopleOptions{Quotas: quotas, HouseholdColumns: cols})
	if err != nil {
		t.Fatal(err)
	}
	return pool, quotas
}

// pick draws an index with the given probabilities.
func pick(rng *rand.Rand, shares []float64) int {
	x := rng.Float64()
	for i, s := range shares {
		if x < s {
			return i
		}
		x -= s
	}
	return len(shares) - 1
}

// meetsQuotas reports the first quota or household problem of a panel.
func panelProblem(pool *sortition.Pool, quotas []sortition.Quota, seats int, panel []string) string {
	if len(panel) != seats {
		return fmt.Sprintf("has %d people, want %d", len(panel), seats)
	}
	byID := map[string]sortition.Person{}
	for _, p := range pool.People {
		byID[p.ID] = p
	}
	count := map[[2]string]int{}
	houses := map[string]bool{}
	seen := map[string]bool{}
	for _, id := range panel {
		p, ok := byID[id]
		if !ok || seen[id] {
			return fmt.Sprintf("%q is unknown or repeated", id)
		}
		seen[id] = true
		for c, v := range p.Values {
			count[[2]string{c, v}]++
		}
		if p.Household != "" {
			if houses[p.Household] {
				return fmt.Sprintf("two people of household %s", p.Household)
			}
			houses[p.Household] = true
		}
	}
	for _, q := range quotas {
		if c := count[[2]string{q.Category, q.Value}]; c < q.Min || c > q.Max {
			return fmt.Sprintf("%s=%s has %d, want %d..%d", q.Category, q.Value, c, q.Min, q.Max)
		}
	}
	return ""
}
