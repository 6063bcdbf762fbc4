package solver

import (
	"math"
	"slices"
)

// singularTol is the pivot magnitude below which the basis counts as singular
// during factorisation.
const singularTol = 1e-10

// colDot returns row vector v times column j (structural or logical).
func (lp *LP) colDot(v []float64, j int) float64 {
	if j >= lp.n {
		return -v[j-lp.n]
	}
	s := 0.0
	for k, i := range lp.colIdx[j] {
		s += v[i] * lp.colVal[j][k]
	}
	return s
}

// ftran sets out = B⁻¹ a_j.
func (lp *LP) ftran(j int, out []float64) {
	m := lp.m
	if j >= lp.n {
		r := j - lp.n
		for i := range m {
			out[i] = -lp.binv[i*m+r]
		}
		return
	}
	idx, val := lp.colIdx[j], lp.colVal[j]
	for i := range m {
		row := lp.binv[i*m : i*m+m]
		s := 0.0
		for k, r := range idx {
			s += row[r] * val[k]
		}
		out[i] = s
	}
}

// refactor recomputes B⁻¹ from the basis. Basic columns that make the basis
// singular are replaced by logicals of uncovered rows.
func (lp *LP) refactor() {
	m := lp.m
	lp.updates = 0
	lp.stale = false
	if m == 0 {
		return
	}
	for attempt := 0; attempt < 2; attempt++ {
		failed, usedRow := lp.invert()
		if len(failed) == 0 {
			lp.computeBasics()
			return
		}
		// Swap each failed basic variable for the logical of an unused row.
		r := 0
		for _, k := range failed {
			for usedRow[r] {
				r++
			}
			old := lp.head[k]
			lp.setNonbasic(old)
			lp.head[k] = lp.n + r
			lp.stat[lp.n+r] = basic
			usedRow[r] = true
		}
	}
	lp.computeBasics()
}

// invert runs Gauss-Jordan elimination with partial pivoting on the basis
// matrix into lp.binv. It returns the basis positions whose columns were
// dependent and the rows that received a pivot.
func (lp *LP) invert() (failed []int, usedRow []bool) {
	m := lp.m
	// a: m×m basis matrix, row-major; inv starts as identity.
	a := make([]float64, m*m)
	for k, j := range lp.head {
		if j >= lp.n {
			a[(j-lp.n)*m+k] = -1
			continue
		}
		for t, i := range lp.colIdx[j] {
			a[i*m+k] = lp.colVal[j][t]
		}
	}
	inv := lp.binv
	for i := range inv {
		inv[i] = 0
	}
	for i := range m {
		inv[i*m+i] = 1
	}
	usedRow = make([]bool, m)
	pivRow := make([]int, m)
	anz := make([]int, 0, m)
	inz := make([]int, 0, m)
	// Eliminate sparse columns first (logicals have one entry) to limit fill.
	order := make([]int, m)
	for k := range order {
		order[k] = k
	}
	nnz := func(k int) int {
		if j := lp.head[k]; j < lp.n {
			return len(lp.colIdx[j])
		}
		return 1
	}
	slices.SortStableFunc(order, func(x, y int) int { return nnz(x) - nnz(y) })
	for _, k := range order {
		best, br := singularTol, -1
		for i := range m {
			if !usedRow[i] {
				if v := math.Abs(a[i*m+k]); v > best {
					best, br = v, i
				}
			}
		}
		if br < 0 {
			failed = append(failed, k)
			pivRow[k] = -1
			continue
		}
		usedRow[br] = true
		pivRow[k] = br
		p := 1 / a[br*m+k]
		arow, irow := a[br*m:br*m+m], inv[br*m:br*m+m]
		anz, inz := anz[:0], inz[:0]
		for c := range m {
			if arow[c] != 0 {
				arow[c] *= p
				anz = append(anz, c)
			}
			if irow[c] != 0 {
				irow[c] *= p
				inz = append(inz, c)
			}
		}
		for i := range m {
			if i == br {
				continue
			}
			f := a[i*m+k]
			if f == 0 {
				continue
			}
			ai, ii := a[i*m:i*m+m], inv[i*m:i*m+m]
			for _, c := range anz {
				ai[c] -= f * arow[c]
			}
			for _, c := range inz {
				ii[c] -= f * irow[c]
			}
		}
	}
	if len(failed) > 0 {
		return failed, usedRow
	}
	// Row br of inv now belongs to basis position k: permute.
	out := make([]float64, m*m)
	for k := range m {
		copy(out[k*m:k*m+m], inv[pivRow[k]*m:pivRow[k]*m+m])
	}
	copy(lp.binv, out)
	return nil, usedRow
}

// computeBasics sets the basic variables from the nonbasic ones: x_B = -B⁻¹ N x_N.
func (lp *LP) computeBasics() {
	m := lp.m
	rhs := make([]float64, m) // rhs = -(N x_N) in row space
	for j := 0; j < lp.n+m; j++ {
		if lp.stat[j] == basic || lp.x[j] == 0 {
			continue
		}
		if j >= lp.n {
			rhs[j-lp.n] += lp.x[j]
			continue
		}
		for k, i := range lp.colIdx[j] {
			rhs[i] -= lp.colVal[j][k] * lp.x[j]
		}
	}
	for k, j := range lp.head {
		row := lp.binv[k*m : k*m+m]
		s := 0.0
		for i, v := range rhs {
			s += row[i] * v
		}
		lp.x[j] = s
	}
}

// pivotUpdate replaces the basic variable at position p, given alpha = B⁻¹ a_q.
// Only the nonzero entries of the pivot row are touched.
func (lp *LP) pivotUpdate(p int, alpha []float64) {
	m := lp.m
	prow := lp.binv[p*m : p*m+m]
	inv := 1 / alpha[p]
	nz := lp.nz[:0]
	for c, v := range prow {
		if v != 0 {
			prow[c] = v * inv
			nz = append(nz, c)
		}
	}
	lp.nz = nz
	for i := range m {
		if i == p || alpha[i] == 0 {
			continue
		}
		f := alpha[i]
		row := lp.binv[i*m : i*m+m]
		for _, c := range nz {
			row[c] -= f * prow[c]
		}
	}
	lp.updates++
}
