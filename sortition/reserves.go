package sortition

// drawReserves orders up to k reserves from the people not on the panel, so
// that a member who leaves can usually be replaced by a reserve without
// breaking a quota or the household rule. It runs in two phases, both taking
// their random numbers from s (the reserves stream).
//
// Cover phase: a candidate (someone not on the panel and not yet a reserve)
// covers a panel member when putting the candidate in the member's seat keeps
// every quota and the household rule; a member's cover count is how many
// reserves taken so far cover them. Repeatedly, let c be the smallest cover
// count among the members that some candidate covers; every candidate scores
// the number of members with cover count c it covers, and the Uniform(n)-th
// of the n candidates with the highest score, in pool order, is appended.
// The phase ends when k reserves are taken or no candidate covers any member.
//
// Proportional phase: see proportionalReserves, counting the reserves of the
// cover phase as reserves so far.
func (m *model) drawReserves(panel []int, k int, s *Stream) []string {
	onPanel := make([]bool, len(m.ids))
	for _, p := range panel {
		onPanel[p] = true
	}
	var cands []int // pool order
	for p := range m.ids {
		if !onPanel[p] {
			cands = append(cands, p)
		}
	}
	covers := m.covers(panel, cands)
	taken := make([]bool, len(cands))
	coverCount := make([]int, len(panel))
	var out []int
	var ties []int
	for len(out) < k && len(out) < len(cands) {
		level := -1
		for ci, cv := range covers {
			if taken[ci] {
				continue
			}
			for _, i := range cv {
				if level < 0 || coverCount[i] < level {
					level = coverCount[i]
				}
			}
		}
		if level < 0 {
			break // nobody left covers anyone
		}
		best := 0
		ties = ties[:0]
		for ci, cv := range covers {
			if taken[ci] {
				continue
			}
			score := 0
			for _, i := range cv {
				if coverCount[i] == level {
					score++
				}
			}
			switch {
			case score > best:
				best = score
				ties = append(ties[:0], ci)
			case score == best && score > 0:
				ties = append(ties, ci)
			}
		}
		ci := ties[s.Uniform(len(ties))]
		taken[ci] = true
		for _, i := range covers[ci] {
			coverCount[i]++
		}
		out = append(out, cands[ci])
	}
	left := make([]bool, len(m.ids))
	for ci, p := range cands {
		left[p] = !taken[ci]
	}
	out = m.proportionalReserves(panel, out, left, k, s)
	ids := make([]string, len(out))
	for i, p := range out {
		ids[i] = m.ids[p]
	}
	return ids
}

// covers lists, for each candidate, the indexes into panel of the members
// whose seat the candidate can take keeping every quota and the household
// rule. The panel must meet both: then a swap keeps the quotas exactly when,
// in every category where the two differ, the member's value is above its
// minimum and the candidate's below its maximum, and it keeps the household
// rule exactly when no other member shares the candidate's household.
func (m *model) covers(panel []int, cands []int) [][]int {
	sel := m.counts(panel)
	canLose := make([]bool, len(m.quotas))
	canGain := make([]bool, len(m.quotas))
	for q, quota := range m.quotas {
		canLose[q] = sel[q] > quota.Min
		canGain[q] = sel[q] < quota.Max
	}
	seatOf := map[int]int{} // household -> the member holding it
	for i, p := range panel {
		if h := m.house[p]; h >= 0 {
			seatOf[h] = i
		}
	}
	out := make([][]int, len(cands))
	for ci, r := range cands {
		only := -1 // the one member r may replace because of the household rule
		if h := m.house[r]; h >= 0 {
			if i, ok := seatOf[h]; ok {
				only = i
			}
		}
		fr := m.feat[r]
		for i, p := range panel {
			if only >= 0 && i != only {
				continue
			}
			fp := m.feat[p]
			ok := true
			for c := range fr {
				if fr[c] != fp[c] && (!canLose[fp[c]] || !canGain[fr[c]]) {
					ok = false
					break
				}
			}
			if ok {
				out[ci] = append(out[ci], i)
			}
		}
	}
	return out
}

// proportionalReserves appends to reserves, up to k in all, candidates (the
// people with left true) so that every quota value held by panel members gets
// reserves in proportion: repeatedly take the quota value v, among those held
// by at least one panel member and at least one remaining candidate, with the
// smallest ratio (reserves so far having v) / (panel members having v) — ties
// to the first in quota order — and append a uniformly random remaining
// candidate having v (Uniform(n) over them in pool order, from s). If no such
// value is left, a uniformly random remaining candidate is taken instead.
func (m *model) proportionalReserves(panel, reserves []int, left []bool, k int, s *Stream) []int {
	nLeft := 0
	for _, l := range left {
		if l {
			nLeft++
		}
	}
	sel := m.counts(panel)
	cov := m.counts(reserves)
	out := append([]int{}, reserves...)
	for len(out) < k && nLeft > 0 {
		best := -1
		for q := range m.quotas {
			if sel[q] == 0 || !anyLeft(m.byQ[q], left) {
				continue
			}
			if best < 0 || cov[q]*sel[best] < cov[best]*sel[q] {
				best = q
			}
		}
		var cands []int
		if best >= 0 {
			for _, p := range m.byQ[best] {
				if left[p] {
					cands = append(cands, p)
				}
			}
		} else {
			for p := range m.ids {
				if left[p] {
					cands = append(cands, p)
				}
			}
		}
		p := cands[s.Uniform(len(cands))]
		left[p] = false
		nLeft--
		for _, f := range m.feat[p] {
			cov[f]++
		}
		out = append(out, p)
	}
	return out
}

// anyLeft reports whether any of people is still a candidate.
func anyLeft(people []int, left []bool) bool {
	for _, p := range people {
		if left[p] {
			return true
		}
	}
	return false
}
