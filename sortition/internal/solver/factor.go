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
//
// The basis columns are first permuted into elimination order (sparse
// columns first, to limit fill), so that at step s the columns still to be
// eliminated are the contiguous range [s+1, m). The identity half is kept
// with its columns permuted so that the columns touched so far, one per
// pivot row, are the contiguous range [0, s]. Every row operation is then
// one dense loop.
func (lp *LP) invert() (failed []int, usedRow []bool) {
	m := lp.m
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
	// a: m×m basis matrix with column s holding basis position order[s].
	a := make([]float64, m*m)
	for s, k := range order {
		j := lp.head[k]
		if j >= lp.n {
			a[(j-lp.n)*m+s] = -1
			continue
		}
		for t, i := range lp.colIdx[j] {
			a[i*m+s] = lp.colVal[j][t]
		}
	}
	// inv: the identity with permuted columns; col[r] is the column that
	// holds original column r, pos its inverse.
	inv := make([]float64, m*m)
	col := make([]int, m)
	pos := make([]int, m)
	for i := range m {
		inv[i*m+i] = 1
		col[i], pos[i] = i, i
	}
	usedRow = make([]bool, m)
	pivRow := make([]int, m) // pivot row of step t
	done := 0                // pivots made so far
	for s := range m {
		best, br := singularTol, -1
		for i := range m {
			if !usedRow[i] {
				if v := math.Abs(a[i*m+s]); v > best {
					best, br = v, i
				}
			}
		}
		if br < 0 {
			failed = append(failed, order[s])
			continue
		}
		usedRow[br] = true
		// Bring original column br of the identity half to position done.
		if c := col[br]; c != done {
			o := pos[done]
			for i := range m {
				row := inv[i*m : i*m+m]
				row[c], row[done] = row[done], row[c]
			}
			col[br], col[o] = done, c
			pos[done], pos[c] = br, o
		}
		pivRow[done] = br
		p := 1 / a[br*m+s]
		arow := a[br*m+s+1 : br*m+m]
		irow := inv[br*m : br*m+done+1]
		scale(p, arow)
		scale(p, irow)
		for i := range m {
			if i == br {
				continue
			}
			f := a[i*m+s]
			if f == 0 {
				continue
			}
			a[i*m+s] = 0
			axpy(f, arow, a[i*m+s+1:i*m+m])
			axpy(f, irow, inv[i*m:i*m+done+1])
		}
		done++
	}
	if len(failed) > 0 {
		return failed, usedRow
	}
	// Row pivRow[s] of inv is row order[s] of B⁻¹; its column t is original
	// column pivRow[t].
	for s := range m {
		src := inv[pivRow[s]*m : pivRow[s]*m+m]
		dst := lp.binv[order[s]*m : order[s]*m+m]
		for t, v := range src {
			dst[pivRow[t]] = v
		}
	}
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
	// A dense pivot row is applied with the unrolled kernel over the span of
	// its nonzeros; a sparse one entry by entry.
	sparse := 3*len(nz) < m
	lo, hi := 0, 0
	if len(nz) > 0 {
		lo, hi = nz[0], nz[len(nz)-1]+1
	}
	update := func(first, last int) {
		for i := first; i < last; i++ {
			if i == p || alpha[i] == 0 {
				continue
			}
			f := alpha[i]
			row := lp.binv[i*m : i*m+m]
			if sparse {
				for _, c := range nz {
					row[c] -= f * prow[c]
				}
			} else {
				axpy(f, prow[lo:hi], row[lo:hi])
			}
		}
	}
	work := m * len(nz)
	if !sparse {
		work = m * (hi - lo)
	}
	split(m, work, update)
	lp.updates++
}
