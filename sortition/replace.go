package sortition

import (
	"fmt"
	"slices"
)

// Replace picks who takes the seat of member, a current panel member (see
// Current), and appends the replacement to the record's History. It takes the
// first reserve, in order, that is not on the panel, not already used, not in
// unavailable, and whose swap for member keeps every quota and the household
// rule; if there is none, the first such reserve ignoring the quotas and the
// household rule, with quotasKept false. It is deterministic, so a verifier
// can replay History. Every id in unavailable must be a reserve not used
// before. With no reserve left it returns an error.
func Replace(rec *Record, member string, unavailable []string) (replacement string, quotasKept bool, err error) {
	if rec.Selected == nil {
		return "", false, fmt.Errorf("replace %q: the record has not been drawn yet", member)
	}
	r, kept, err := rec.pickReplacement(member, unavailable)
	if err != nil {
		return "", false, err
	}
	rec.History = append(rec.History, Replacement{Member: member, Unavailable: nonNil(unavailable), Replacement: r, QuotasKept: kept})
	return r, kept, nil
}

// pickReplacement is Replace without changing the record.
func (rec *Record) pickReplacement(member string, unavailable []string) (string, bool, error) {
	cur := rec.Current()
	at := slices.Index(cur, member)
	if at < 0 {
		return "", false, &InputError{File: "replacement", Column: "member", Message: fmt.Sprintf("%q is not on the current panel", member)}
	}
	m, err := newModel(rec.Pool, rec.Quotas, rec.Seats)
	if err != nil {
		return "", false, err
	}
	pos, err := m.positions(cur)
	if err != nil {
		return "", false, fmt.Errorf("current panel: %w", err)
	}
	used := map[string]bool{}
	for _, h := range rec.History {
		used[h.Replacement] = true
		used[h.Member] = true
	}
	for _, u := range unavailable {
		if !slices.Contains(rec.Reserves, u) || used[u] {
			return "", false, &InputError{File: "replacement", Column: "unavailable", Message: fmt.Sprintf("%q is not an unused reserve, or is listed twice", u)}
		}
		used[u] = true
	}
	first := ""
	for _, r := range rec.Reserves {
		if used[r] || slices.Contains(cur, r) {
			continue
		}
		p, ok := m.index[r]
		if !ok {
			return "", false, fmt.Errorf("reserve %q is not in the pool", r)
		}
		if first == "" {
			first = r
		}
		trial := slices.Clone(pos)
		trial[at] = p
		if m.quotaProblem(trial) == nil && m.householdProblem(trial) == nil {
			return r, true, nil
		}
	}
	if first == "" {
		return "", false, fmt.Errorf("replace %q: no reserve is left", member)
	}
	return first, false, nil
}
