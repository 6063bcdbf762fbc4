package sortition

import (
	"errors"
	"fmt"
	"math"
)

// DefaultLegacyAttempts is how many times the legacy algorithm starts over
// after an attempt fails before it gives up.
const DefaultLegacyAttempts = 100

// errLegacyAttempt marks a failed legacy attempt that a retry may fix.
var errLegacyAttempt = errors.New("legacy attempt failed")

// legacyState is one attempt of the legacy greedy algorithm.
type legacyState struct {
	m         *model
	left      []bool // still selectable
	remaining []int  // per quota: selectable people having it
	selected  []int  // per quota: selected people having it
	panel     []int
}

// legacyDraw runs the Sortition Foundation's original greedy algorithm (their
// find_random_sample_legacy): up to attempts times, fill the seats one by one,
// each time taking the quota value with the highest ratio of (seats still needed
// to reach its minimum) to (selectable people having it), the first in quota
// order on ties, and a uniformly random selectable person having it; then
// remove everyone having a value whose maximum is reached and, with the
// household rule, the chosen person's household. The ratio is not clamped at
// zero, as in the original: after a minimum is met it is negative, and the
// value least over its minimum relative to who is left goes first. An attempt
// that runs out of people or ends outside the quotas is retried with the same
// stream.
func legacyDraw(m *model, s *Stream, attempts int) ([]int, error) {
	var last error
	for range attempts {
		panel, err := legacyAttempt(m, s)
		if err == nil {
			return panel, nil
		}
		if !errors.Is(err, errLegacyAttempt) {
			return nil, err
		}
		last = err
	}
	return nil, fmt.Errorf("legacy algorithm: no panel after %d attempts (last: %w)", attempts, last)
}

// legacyAttempt is one pass of the greedy algorithm.
func legacyAttempt(m *model, s *Stream) ([]int, error) {
	st := &legacyState{m: m, left: make([]bool, len(m.ids)), remaining: make([]int, len(m.quotas)), selected: make([]int, len(m.quotas))}
	for p := range m.ids {
		st.left[p] = true
	}
	for k := range m.quotas {
		st.remaining[k] = len(m.byQ[k])
	}
	for k, q := range m.quotas {
		if q.Max == 0 {
			st.removeAllWith(k)
		}
	}
	for n := range m.seats {
		k, err := st.mostUrgent()
		if err != nil {
			return nil, err
		}
		p := st.nth(k, s.Uniform(st.remaining[k]))
		st.take(p)
		for _, f := range m.feat[p] {
			if st.selected[f] == m.quotas[f].Max {
				st.removeAllWith(f)
			}
		}
		if n < m.seats-1 && st.noneLeft() {
			return nil, fmt.Errorf("%w: ran out of people after %d seats", errLegacyAttempt, n+1)
		}
	}
	if err := m.quotaProblem(st.panel); err != nil {
		return nil, fmt.Errorf("%w: %w", errLegacyAttempt, err)
	}
	return st.panel, nil
}

// mostUrgent returns the quota with the highest ratio of missing minimum to
// selectable people, failing the attempt if a minimum can no longer be met.
func (st *legacyState) mostUrgent() (int, error) {
	best, bestRatio := -1, math.Inf(-1)
	for k, q := range st.m.quotas {
		need := max(q.Min-st.selected[k], 0)
		if st.remaining[k] < need {
			return 0, fmt.Errorf("%w: %s needs %d more but only %d are left", errLegacyAttempt, st.m.describe(k), need, st.remaining[k])
		}
		if st.remaining[k] == 0 || q.Max == 0 {
			continue
		}
		// As in the original, the ratio uses min - selected unclamped: once a
		// minimum is met it turns negative, steering later seats towards the
		// values furthest below their share (the later port clamps it at 0).
		if r := float64(q.Min-st.selected[k]) / float64(st.remaining[k]); r > bestRatio {
			best, bestRatio = k, r
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("%w: every value is at its maximum", errLegacyAttempt)
	}
	return best, nil
}

// nth returns the i-th (0-based, pool order) selectable person having quota k.
func (st *legacyState) nth(k, i int) int {
	for _, p := range st.m.byQ[k] {
		if st.left[p] {
			if i == 0 {
				return p
			}
			i--
		}
	}
	panic("sortition: legacy remaining count out of step")
}

// take selects p and removes p's household from the selectable people.
func (st *legacyState) take(p int) {
	st.remove(p)
	for _, f := range st.m.feat[p] {
		st.selected[f]++
	}
	st.panel = append(st.panel, p)
	if h := st.m.house[p]; h >= 0 {
		for q := range st.m.ids {
			if st.left[q] && st.m.house[q] == h {
				st.remove(q)
			}
		}
	}
}

// remove makes p unselectable.
func (st *legacyState) remove(p int) {
	st.left[p] = false
	for _, f := range st.m.feat[p] {
		st.remaining[f]--
	}
}

// removeAllWith makes everyone having quota k unselectable.
func (st *legacyState) removeAllWith(k int) {
	for _, p := range st.m.byQ[k] {
		if st.left[p] {
			st.remove(p)
		}
	}
}

// noneLeft reports whether nobody is selectable.
func (st *legacyState) noneLeft() bool {
	for _, l := range st.left {
		if l {
			return false
		}
	}
	return true
}
