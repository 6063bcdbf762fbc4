package sortition_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// prepare runs Prepare, failing the test on error.
func prepare(t testing.TB, pool *sortition.Pool, quotas []sortition.Quota, params sortition.Params) *sortition.Record {
	t.Helper()
	rec, err := sortition.Prepare(context.Background(), pool, quotas, params)
	if err != nil {
		t.Fatalf("Prepare(%s): %v", params.Algorithm, err)
	}
	return rec
}

// parse builds quotas and a pool from CSV text.
func parse(t testing.TB, quotasCSV, peopleCSV string, households ...string) (*sortition.Pool, []sortition.Quota) {
	t.Helper()
	quotas, err := sortition.ParseQuotas(strings.NewReader(quotasCSV), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := sortition.ParsePeople(strings.NewReader(peopleCSV), "r.csv", sortition.PeopleOptions{Quotas: quotas, HouseholdColumns: households})
	if err != nil {
		t.Fatal(err)
	}
	return pool, quotas
}

// mustVerify fails the test unless rec verifies.
func mustVerify(t testing.TB, rec *sortition.Record) {
	t.Helper()
	rep, err := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := rep.Err(); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

// algorithms are all the algorithm names.
var algorithms = sortition.Algorithms()

// composition describes a panel by how many of its people have each
// combination of values (and each household), the level at which a lottery
// panel is fixed before the seed deals its seats among interchangeable people.
func composition(pool []sortition.Person, ids []string) string {
	byID := map[string]sortition.Person{}
	for _, p := range pool {
		byID[p.ID] = p
	}
	count := map[string]int{}
	for _, id := range ids {
		p := byID[id]
		key := fmt.Sprint(p.Values)
		if p.Household != "" {
			key = "household " + id
		}
		count[key]++
	}
	return fmt.Sprint(count)
}
