package sortition

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// canonicalPeople returns the pool in canonical order, so that the order of
// the respondents file (or of the service's database rows) never changes a
// draw: people sorted by id, compared byte by byte as UTF-8, and household
// keys renamed "h1", "h2", ... in order of first appearance in that order.
// The people are copied; the input is not changed.
func canonicalPeople(people []Person) []Person {
	out := copyPeople(people)
	slices.SortStableFunc(out, func(a, b Person) int { return strings.Compare(a.ID, b.ID) })
	renamed := map[string]string{}
	for i := range out {
		h := out[i].Household
		if h == "" {
			continue
		}
		k, ok := renamed[h]
		if !ok {
			k = "h" + strconv.Itoa(len(renamed)+1)
			renamed[h] = k
		}
		out[i].Household = k
	}
	return out
}

// CanonicalPool returns a copy of pool with its people in canonical order:
// sorted by id (byte order) and household keys renumbered "h1", "h2", ... by
// first appearance in that order. Prepare applies it to every pool, so a
// verifier comparing a respondents file with a record compares canonical
// pools.
func CanonicalPool(pool *Pool) *Pool {
	return &Pool{People: canonicalPeople(pool.People), HouseholdColumns: slices.Clone(pool.HouseholdColumns), Notices: slices.Clone(pool.Notices)}
}

// checkCanonical reports why a record's pool is not in canonical order.
func checkCanonical(people []Person) error {
	for i := 1; i < len(people); i++ {
		if people[i-1].ID >= people[i].ID {
			return fmt.Errorf("pool is not in canonical order: %q comes before %q (people must be sorted by id, byte order)", people[i-1].ID, people[i].ID)
		}
	}
	want := canonicalPeople(people)
	for i := range people {
		if people[i].Household != want[i].Household {
			return fmt.Errorf("pool is not in canonical order: %q has household %q, want %q (households are numbered h1, h2, ... by first appearance)", people[i].ID, people[i].Household, want[i].Household)
		}
	}
	return nil
}
