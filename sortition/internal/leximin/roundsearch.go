package leximin

import (
	"math"
	"slices"
)

// searchTol is the smallest improvement the local search accepts.
const searchTol = 1e-12

// entry is one type's share of a panel: seats of the type / its Count.
type entry struct {
	t int
	v float64
}

// improveCounts lowers the largest per-type deviation of the counts n
// (copies of each panel, summing to m) by moving one copy at a time from one
// panel to another: repeatedly, for the type t with the largest |deviation|
// (first in type order among ties), every move from a panel i with n_i > 0
// to a panel j that brings t towards its exact value is evaluated, and the
// best one is made if it lowers the largest |deviation|, or keeps it and
// lowers the sum of the deviations' fourth powers (which favours lowering
// the deviations close to the largest). It stops when no move helps or
// after maxSteps moves. Deviations are in units of 1/m:
// dev_t = sum_i n_i·c_it/Count_t − m·Prob[t]. Deterministic: ties go to the
// first (i, j) in index order.
func improveCounts(l *Lottery, in *Instance, m int, n []int, maxSteps int) {
	nt := len(in.Types)
	a := make([][]entry, len(l.Panels)) // per panel: its types' shares
	for i, pn := range l.Panels {
		for t, c := range pn {
			if c != 0 && in.Types[t].Count > 0 {
				a[i] = append(a[i], entry{t, float64(c) / float64(in.Types[t].Count)})
			}
		}
	}
	dev := make([]float64, nt)
	for t := range nt {
		dev[t] = -float64(m) * l.Prob[t]
	}
	for i := range n {
		for _, e := range a[i] {
			dev[e.t] += float64(n[i]) * e.v
		}
	}
	share := func(i, t int) float64 {
		for _, e := range a[i] {
			if e.t == t {
				return e.v
			}
		}
		return 0
	}
	pow4 := func(v float64) float64 { return v * v * v * v }
	changed := make([]float64, nt) // per type: deviation change of the move being tried
	touched := make([]bool, nt)
	order := make([]int, nt) // types by |dev|, largest first
	starShare := make([]float64, len(n))
	for range maxSteps {
		for t := range order {
			order[t] = t
		}
		slices.SortStableFunc(order, func(x, y int) int {
			ax, ay := math.Abs(dev[x]), math.Abs(dev[y])
			switch {
			case ax > ay:
				return -1
			case ax < ay:
				return 1
			}
			return 0
		})
		star := order[0]
		curWorst := math.Abs(dev[star])
		spread := 0.0
		for _, v := range dev {
			spread += pow4(v)
		}
		bi, bj := -1, -1
		bestWorst, bestSpread := curWorst, spread
		for j := range n {
			starShare[j] = share(j, star)
		}
		for i := range n {
			si := starShare[i]
			if n[i] == 0 || (dev[star] > 0 && si == 0) {
				continue
			}
			for j := range n {
				delta := starShare[j] - si
				if j == i || delta == 0 || (dev[star] > 0) == (delta > 0) {
					continue
				}
				var types []int
				for _, e := range a[i] {
					if !touched[e.t] {
						touched[e.t] = true
						types = append(types, e.t)
					}
					changed[e.t] -= e.v
				}
				for _, e := range a[j] {
					if !touched[e.t] {
						touched[e.t] = true
						types = append(types, e.t)
					}
					changed[e.t] += e.v
				}
				w, sp := 0.0, spread
				for _, t := range types {
					nv := dev[t] + changed[t]
					w = math.Max(w, math.Abs(nv))
					sp += pow4(nv) - pow4(dev[t])
				}
				for _, t := range order { // largest unchanged deviation
					if !touched[t] {
						w = math.Max(w, math.Abs(dev[t]))
						break
					}
				}
				for _, t := range types {
					touched[t], changed[t] = false, 0
				}
				if w < bestWorst-searchTol || (w <= bestWorst+searchTol && sp < bestSpread-searchTol) {
					bi, bj, bestWorst, bestSpread = i, j, w, sp
				}
			}
		}
		if bi < 0 {
			return
		}
		n[bi]--
		n[bj]++
		for _, e := range a[bi] {
			dev[e.t] -= e.v
		}
		for _, e := range a[bj] {
			dev[e.t] += e.v
		}
	}
}
