package sortition

// drawReserves orders up to k reserves from the people not on the panel so
// that every quota value held by panel members gets reserves in proportion:
// repeatedly take the quota value v, among those held by at least one panel
// member and at least one remaining candidate, with the smallest ratio
// (reserves so far having v) / (panel members having v) — ties to the first in
// quota order — and append a uniformly random remaining candidate having v
// (Uniform(n) over them in pool order, from the reserves stream). If no such
// value is left, a uniformly random remaining candidate is taken instead.
func (m *model) drawReserves(panel []int, k int, s *Stream) []string {
	onPanel := make([]bool, len(m.ids))
	for _, p := range panel {
		onPanel[p] = true
	}
	left := make([]bool, len(m.ids))
	nLeft := 0
	for p := range m.ids {
		if !onPanel[p] {
			left[p] = true
			nLeft++
		}
	}
	sel := m.counts(panel)
	cov := make([]int, len(m.quotas))
	out := []string{}
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
		out = append(out, m.ids[p])
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
