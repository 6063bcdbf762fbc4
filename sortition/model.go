package sortition

import (
	"fmt"
)

// model is the pool and quotas in index form, shared by the algorithms,
// the checks and the reserves.
type model struct {
	quotas []Quota
	cats   []string
	seats  int
	ids    []string       // pool order
	index  map[string]int // id -> pool position
	feat   [][]int        // per person, per category: index into quotas
	house  []int          // per person: household number, -1 for none
	byQ    [][]int        // per quota: the people having it, pool order
}

// newModel indexes a pool against quotas. The pool must already have passed
// CheckPool.
func newModel(people []Person, quotas []Quota, seats int) (*model, error) {
	m := &model{quotas: quotas, cats: Categories(quotas), seats: seats, index: make(map[string]int, len(people))}
	qi := map[[2]string]int{}
	for i, q := range quotas {
		qi[[2]string{q.Category, q.Value}] = i
	}
	m.byQ = make([][]int, len(quotas))
	houses := map[string]int{}
	for i, p := range people {
		if _, dup := m.index[p.ID]; dup {
			return nil, fmt.Errorf("pool: id %q is used twice", p.ID)
		}
		m.index[p.ID] = i
		m.ids = append(m.ids, p.ID)
		f := make([]int, len(m.cats))
		for c, cat := range m.cats {
			k, ok := qi[[2]string{cat, p.Values[cat]}]
			if !ok {
				return nil, fmt.Errorf("pool: person %q: %s value %q is not in the quotas", p.ID, cat, p.Values[cat])
			}
			f[c] = k
			m.byQ[k] = append(m.byQ[k], i)
		}
		if len(p.Values) != len(m.cats) {
			return nil, fmt.Errorf("pool: person %q has values for %d categories, the quotas have %d", p.ID, len(p.Values), len(m.cats))
		}
		m.feat = append(m.feat, f)
		h := -1
		if p.Household != "" {
			var ok bool
			if h, ok = houses[p.Household]; !ok {
				h = len(houses)
				houses[p.Household] = h
			}
		}
		m.house = append(m.house, h)
	}
	return m, nil
}

// counts returns how many of the given people have each quota value.
func (m *model) counts(people []int) []int {
	c := make([]int, len(m.quotas))
	for _, p := range people {
		for _, k := range m.feat[p] {
			c[k]++
		}
	}
	return c
}

// positions maps ids to pool positions, failing on unknown or repeated ids.
func (m *model) positions(ids []string) ([]int, error) {
	out := make([]int, len(ids))
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		p, ok := m.index[id]
		if !ok {
			return nil, fmt.Errorf("%q is not in the pool", id)
		}
		if seen[id] {
			return nil, fmt.Errorf("%q appears twice", id)
		}
		seen[id] = true
		out[i] = p
	}
	return out, nil
}

// checkPanel reports why a list of ids is not a valid panel: wrong size,
// unknown or repeated ids, a broken quota or two people of one household.
func (m *model) checkPanel(ids []string) error {
	if len(ids) != m.seats {
		return fmt.Errorf("has %d people, want %d seats", len(ids), m.seats)
	}
	pos, err := m.positions(ids)
	if err != nil {
		return err
	}
	if err := m.quotaProblem(pos); err != nil {
		return err
	}
	return m.householdProblem(pos)
}

// quotaProblem names the first quota the people break, nil if none.
func (m *model) quotaProblem(people []int) error {
	c := m.counts(people)
	for k, q := range m.quotas {
		if c[k] < q.Min || c[k] > q.Max {
			return fmt.Errorf("quota %s=%s: has %d, want %d to %d", q.Category, q.Value, c[k], q.Min, q.Max)
		}
	}
	return nil
}

// householdProblem names two people of one household, nil if none.
func (m *model) householdProblem(people []int) error {
	seen := map[int]int{}
	for _, p := range people {
		h := m.house[p]
		if h < 0 {
			continue
		}
		if q, dup := seen[h]; dup {
			return fmt.Errorf("household rule: %q and %q share a household", m.ids[q], m.ids[p])
		}
		seen[h] = p
	}
	return nil
}

// describe names a quota for messages, e.g. "gender=female".
func (m *model) describe(k int) string {
	return m.quotas[k].Category + "=" + m.quotas[k].Value
}
