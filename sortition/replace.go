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
	r, kept, passed, err := rec.pickReplacement(member, unavailable)
	if err != nil {
		return "", false, err
	}
	rec.History = append(rec.History, Replacement{Member: member, PassedOver: passed, Replacement: r, QuotasKept: kept})
	return r, kept, nil
}

// replayReplacement is what a verifier re-derives from a History entry: the
// reserve the rule takes after passing over h.PassedOver candidates (among
// those keeping every quota when h.QuotasKept, else among all).
func (rec *Record) replayReplacement(h Replacement) (string, error) {
	fit, all, err := rec.candidates(h.Member)
	if err != nil {
		return "", err
	}
	list := all
	if h.QuotasKept {
		list = fit
	}
	if h.PassedOver < 0 || h.PassedOver >= len(list) {
		return "", fmt.Errorf("passed_over %d, but only %d reserves were candidates", h.PassedOver, len(list))
	}
	return list[h.PassedOver], nil
}

// pickReplacement is Replace without changing the record; it also returns
// how many candidates of the list it took from were passed over.
func (rec *Record) pickReplacement(member string, unavailable []string) (string, bool, int, error) {
	fit, all, err := rec.candidates(member)
	if err != nil {
		return "", false, 0, err
	}
	used := map[string]bool{}
	for _, h := range rec.History {
		used[h.Replacement] = true
		used[h.Member] = true
	}
	skip := map[string]bool{}
	for _, u := range unavailable {
		if !slices.Contains(rec.Reserves, u) || used[u] || skip[u] {
			return "", false, 0, &InputError{File: "replacement", Column: "unavailable", Message: fmt.Sprintf("%q is not an unused reserve, or is listed twice", u)}
		}
		skip[u] = true
	}
	for i, r := range fit {
		if !skip[r] {
			return r, true, i, nil
		}
	}
	for i, r := range all {
		if !skip[r] {
			return r, false, i, nil
		}
	}
	return "", false, 0, fmt.Errorf("replace %q: no reserve is left", member)
}

// candidates lists, in reserve order, the unused reserves not on the current
// panel that could take member's seat keeping every quota and the household
// rule (fit), and all of them (all).
func (rec *Record) candidates(member string) (fit, all []string, err error) {
	cur := rec.Current()
	at := slices.Index(cur, member)
	if at < 0 {
		return nil, nil, &InputError{File: "replacement", Column: "member", Message: fmt.Sprintf("%q is not on the current panel", member)}
	}
	m, err := newModel(rec.Pool, rec.Quotas, rec.Seats)
	if err != nil {
		return nil, nil, err
	}
	pos, err := m.positions(cur)
	if err != nil {
		return nil, nil, fmt.Errorf("current panel: %w", err)
	}
	used := map[string]bool{}
	for _, h := range rec.History {
		used[h.Replacement] = true
		used[h.Member] = true
	}
	for _, r := range rec.Reserves {
		if used[r] || slices.Contains(cur, r) {
			continue
		}
		p, ok := m.index[r]
		if !ok {
			return nil, nil, fmt.Errorf("reserve %q is not in the pool", r)
		}
		all = append(all, r)
		trial := slices.Clone(pos)
		trial[at] = p
		if m.quotaProblem(trial) == nil && m.householdProblem(trial) == nil {
			fit = append(fit, r)
		}
	}
	return fit, all, nil
}
