package solver

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Tolerances used by the simplex method.
const (
	// FeasTol is how far a value may lie outside its bounds and still count as feasible.
	FeasTol = 1e-9
	// OptTol is the reduced-cost magnitude below which a column is not worth entering.
	OptTol = 1e-9
	// ZeroTol is the magnitude below which a column entry is treated as zero.
	ZeroTol = 1e-11
	// refactorEvery is the number of basis updates between re-factorisations.
	refactorEvery = 64
	// blandAfter is the number of consecutive degenerate steps after which
	// Bland's rule replaces Dantzig pricing until progress resumes.
	blandAfter = 40
	// devexMax is the Devex weight above which the weights are reset.
	devexMax = 1e12
)

type varStat uint8

const (
	basic varStat = iota
	atLower
	atUpper
	isFree // nonbasic with no finite bound, held at zero
)

// LP is a linear program held with its current basis, so that it can be
// re-solved after columns are added or bounds change (warm start). Row i has a
// logical variable r_i = row activity with bounds [Lower, Upper]; variable
// n+i of the internal numbering is that logical.
type LP struct {
	m, n   int
	obj    []float64   // len n
	lo, up []float64   // len n+m
	colIdx [][]int     // structural columns, sparse
	colVal [][]float64 // structural columns, sparse

	head []int // basic variable at each basis position
	stat []varStat
	x    []float64 // values of all n+m variables
	binv []float64 // m×m row-major inverse of the basis matrix

	updates int
	stale   bool // the basis matrix changed: re-factorise before use
	// IterLimit bounds the number of simplex iterations per Solve; 0 means a
	// default that grows with the problem size.
	IterLimit int
	// saved holds the true bounds while Solve has them perturbed.
	saved *savedBounds
	// Iterations counts simplex iterations over the LP's lifetime.
	Iterations int
	// Interrupt, when not nil, is checked every interruptEvery iterations
	// and branch-and-bound nodes: once it is closed, solves stop with
	// status Interrupted.
	Interrupt <-chan struct{}

	pi, alpha, cb []float64
	cands         []dualCand
	nz            []int
	devex         []float64
	dj            []float64 // phase-2 reduced costs, maintained during Solve
	gap, rate     []float64 // ratio-test scratch
	prow          []float64 // dual simplex: pivot row ρ·a_j per variable
}

// NewLP checks p and prepares it for solving, with the all-logical basis.
// p is copied; later changes to p do not affect the LP.
func NewLP(p *Problem) (*LP, error) {
	n := len(p.Objective)
	if len(p.Lower) != n || len(p.Upper) != n {
		return nil, fmt.Errorf("solver: %d objective entries but %d lower and %d upper bounds", n, len(p.Lower), len(p.Upper))
	}
	if p.Integer != nil && len(p.Integer) != n {
		return nil, fmt.Errorf("solver: %d integer flags for %d variables", len(p.Integer), n)
	}
	m := len(p.Rows)
	lp := &LP{m: m, n: n}
	lp.obj = append([]float64(nil), p.Objective...)
	lp.lo = make([]float64, n+m)
	lp.up = make([]float64, n+m)
	for j := 0; j < n; j++ {
		if err := checkBounds(p.Lower[j], p.Upper[j]); err != nil {
			return nil, fmt.Errorf("solver: variable %d: %w", j, err)
		}
		if math.IsNaN(p.Objective[j]) || math.IsInf(p.Objective[j], 0) {
			return nil, fmt.Errorf("solver: variable %d: objective coefficient %v", j, p.Objective[j])
		}
		lp.lo[j], lp.up[j] = p.Lower[j], p.Upper[j]
	}
	lp.colIdx = make([][]int, n)
	lp.colVal = make([][]float64, n)
	for i, r := range p.Rows {
		if len(r.Index) != len(r.Value) {
			return nil, fmt.Errorf("solver: row %d: %d indices but %d values", i, len(r.Index), len(r.Value))
		}
		if err := checkBounds(r.Lower, r.Upper); err != nil {
			return nil, fmt.Errorf("solver: row %d: %w", i, err)
		}
		lp.lo[n+i], lp.up[n+i] = r.Lower, r.Upper
		for k, j := range r.Index {
			if j < 0 || j >= n {
				return nil, fmt.Errorf("solver: row %d: variable index %d out of range [0,%d)", i, j, n)
			}
			v := r.Value[k]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("solver: row %d: coefficient %v", i, v)
			}
			if c := lp.colIdx[j]; len(c) > 0 && c[len(c)-1] == i {
				return nil, fmt.Errorf("solver: row %d: variable %d listed twice", i, j)
			}
			if v != 0 {
				lp.colIdx[j] = append(lp.colIdx[j], i)
				lp.colVal[j] = append(lp.colVal[j], v)
			}
		}
	}
	lp.stat = make([]varStat, n+m)
	lp.x = make([]float64, n+m)
	for j := 0; j < n; j++ {
		lp.setNonbasic(j)
	}
	lp.head = make([]int, m)
	for i := range m {
		lp.head[i] = n + i
		lp.stat[n+i] = basic
	}
	lp.factorise()
	return lp, nil
}

// factorise sizes the row-length work arrays and the basis inverse for
// lp.m rows and computes the inverse.
func (lp *LP) factorise() {
	m := lp.m
	lp.pi = make([]float64, m)
	lp.alpha = make([]float64, m)
	lp.cb = make([]float64, m)
	lp.binv = make([]float64, m*m)
	lp.refactor()
}

func checkBounds(lo, up float64) error {
	if math.IsNaN(lo) || math.IsNaN(up) || math.IsInf(lo, 1) || math.IsInf(up, -1) {
		return fmt.Errorf("bounds [%v, %v] are not valid", lo, up)
	}
	if lo > up {
		return fmt.Errorf("lower bound %v exceeds upper bound %v", lo, up)
	}
	return nil
}

// NumCols returns the number of structural variables.
func (lp *LP) NumCols() int { return lp.n }

// NumRows returns the number of rows.
func (lp *LP) NumRows() int { return lp.m }

// AddColumn appends a structural variable with objective coefficient obj,
// bounds [lower, upper] and entries val[k] in rows idx[k], nonbasic at a bound,
// and returns its index. The current basis is kept, so a following Solve
// starts from it.
func (lp *LP) AddColumn(obj, lower, upper float64, idx []int, val []float64) (int, error) {
	if err := checkBounds(lower, upper); err != nil {
		return 0, fmt.Errorf("solver: new column: %w", err)
	}
	if len(idx) != len(val) {
		return 0, errors.New("solver: new column: index and value lengths differ")
	}
	ci := make([]int, 0, len(idx))
	cv := make([]float64, 0, len(idx))
	for k, i := range idx {
		if i < 0 || i >= lp.m {
			return 0, fmt.Errorf("solver: new column: row index %d out of range [0,%d)", i, lp.m)
		}
		if val[k] != 0 {
			ci = append(ci, i)
			cv = append(cv, val[k])
		}
	}
	j := lp.n
	// Insert the new structural variable before the logicals: shift indices.
	lp.obj = append(lp.obj, obj)
	lp.colIdx = append(lp.colIdx, ci)
	lp.colVal = append(lp.colVal, cv)
	lp.lo = append(lp.lo[:j], append([]float64{lower}, lp.lo[j:]...)...)
	lp.up = append(lp.up[:j], append([]float64{upper}, lp.up[j:]...)...)
	lp.stat = append(lp.stat[:j], append([]varStat{atLower}, lp.stat[j:]...)...)
	lp.x = append(lp.x[:j], append([]float64{0}, lp.x[j:]...)...)
	for i, h := range lp.head {
		if h >= j {
			lp.head[i] = h + 1
		}
	}
	lp.n++
	lp.setNonbasic(j)
	if lp.x[j] != 0 {
		// A new column held at zero leaves the basic values as they are.
		lp.computeBasics()
	}
	return j, nil
}

// AddRow appends the row lower <= sum_k val[k]*x[idx[k]] <= upper and
// returns its index. Its logical variable joins the basis, so the rest of
// the basis is kept and a following Solve starts from it.
func (lp *LP) AddRow(idx []int, val []float64, lower, upper float64) (int, error) {
	if err := checkBounds(lower, upper); err != nil {
		return 0, fmt.Errorf("solver: new row: %w", err)
	}
	if len(idx) != len(val) {
		return 0, errors.New("solver: new row: index and value lengths differ")
	}
	for k, j := range idx {
		if j < 0 || j >= lp.n {
			return 0, fmt.Errorf("solver: new row: variable index %d out of range [0,%d)", j, lp.n)
		}
		if math.IsNaN(val[k]) || math.IsInf(val[k], 0) {
			return 0, fmt.Errorf("solver: new row: coefficient %v", val[k])
		}
		if slices.Contains(idx[:k], j) {
			return 0, fmt.Errorf("solver: new row: variable %d listed twice", j)
		}
	}
	i := lp.m
	for k, j := range idx {
		if val[k] != 0 {
			lp.colIdx[j] = append(lp.colIdx[j], i)
			lp.colVal[j] = append(lp.colVal[j], val[k])
		}
	}
	lp.lo = append(lp.lo, lower)
	lp.up = append(lp.up, upper)
	lp.stat = append(lp.stat, basic)
	lp.x = append(lp.x, 0)
	lp.head = append(lp.head, lp.n+i)
	lp.m++
	lp.factorise()
	return i, nil
}

// SetBounds changes the bounds of structural variable j.
func (lp *LP) SetBounds(j int, lower, upper float64) error {
	if j < 0 || j >= lp.n {
		return fmt.Errorf("solver: variable %d out of range [0,%d)", j, lp.n)
	}
	return lp.setVarBounds(j, lower, upper)
}

// SetRowBounds changes the bounds of row i.
func (lp *LP) SetRowBounds(i int, lower, upper float64) error {
	if i < 0 || i >= lp.m {
		return fmt.Errorf("solver: row %d out of range [0,%d)", i, lp.m)
	}
	return lp.setVarBounds(lp.n+i, lower, upper)
}

// SetAllBounds replaces the bounds of every structural variable (lower,
// upper: len NumCols) and of every row (rowLower, rowUpper: len NumRows),
// updating the basic values once rather than once per change. On an error
// (a length or an invalid bound) nothing changes.
func (lp *LP) SetAllBounds(lower, upper, rowLower, rowUpper []float64) error {
	if len(lower) != lp.n || len(upper) != lp.n || len(rowLower) != lp.m || len(rowUpper) != lp.m {
		return fmt.Errorf("solver: bounds for %d/%d variables and %d/%d rows, want %d and %d",
			len(lower), len(upper), len(rowLower), len(rowUpper), lp.n, lp.m)
	}
	for j := range lp.n + lp.m {
		lo, up := lower, upper
		k := j
		if j >= lp.n {
			lo, up, k = rowLower, rowUpper, j-lp.n
		}
		if err := checkBounds(lo[k], up[k]); err != nil {
			return fmt.Errorf("solver: variable %d: %w", j, err)
		}
	}
	for j := range lp.n + lp.m {
		if j < lp.n {
			lp.lo[j], lp.up[j] = lower[j], upper[j]
		} else {
			lp.lo[j], lp.up[j] = rowLower[j-lp.n], rowUpper[j-lp.n]
		}
		if lp.stat[j] != basic {
			lp.setNonbasic(j)
		}
	}
	lp.computeBasics()
	return nil
}

// Bounds returns the bounds of structural variable j.
func (lp *LP) Bounds(j int) (lower, upper float64) { return lp.lo[j], lp.up[j] }

func (lp *LP) setVarBounds(j int, lower, upper float64) error {
	if err := checkBounds(lower, upper); err != nil {
		return fmt.Errorf("solver: variable %d: %w", j, err)
	}
	lp.lo[j], lp.up[j] = lower, upper
	if lp.stat[j] != basic {
		lp.setNonbasic(j)
		lp.computeBasics()
	}
	return nil
}

// SetCoef sets the coefficient of structural variable j in row i to v. The
// basis is kept (and re-factorised on the next Solve if j is basic).
func (lp *LP) SetCoef(i, j int, v float64) error {
	if i < 0 || i >= lp.m || j < 0 || j >= lp.n {
		return fmt.Errorf("solver: coefficient (%d, %d) out of range", i, j)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("solver: coefficient (%d, %d) is %v", i, j, v)
	}
	idx, val := lp.colIdx[j], lp.colVal[j]
	k := 0
	for k < len(idx) && idx[k] != i {
		k++
	}
	switch {
	case k < len(idx) && v != 0:
		val[k] = v
	case k < len(idx):
		lp.colIdx[j] = append(idx[:k], idx[k+1:]...)
		lp.colVal[j] = append(val[:k], val[k+1:]...)
	case v != 0:
		lp.colIdx[j] = append(idx, i)
		lp.colVal[j] = append(val, v)
	}
	lp.columnChanged(j)
	return nil
}

// columnChanged brings the basis up to date after column j changed.
func (lp *LP) columnChanged(j int) {
	if lp.stat[j] != basic {
		lp.computeBasics()
		return
	}
	// The basis matrix changed in one column: a rank-one update of the
	// inverse, as in a pivot, unless that column became dependent.
	p := slices.Index(lp.head, j)
	lp.ftran(j, lp.alpha)
	if math.Abs(lp.alpha[p]) > singularTol*1e3 && !lp.stale {
		lp.pivotUpdate(p, lp.alpha)
	} else {
		lp.stale = true
	}
}

// SetColumn replaces the entries of structural variable j by val[k] in rows
// idx[k]. The basis is kept (updated in one step if j is basic).
func (lp *LP) SetColumn(j int, idx []int, val []float64) error {
	if j < 0 || j >= lp.n {
		return fmt.Errorf("solver: variable %d out of range [0,%d)", j, lp.n)
	}
	if len(idx) != len(val) {
		return errors.New("solver: column: index and value lengths differ")
	}
	ci := make([]int, 0, len(idx))
	cv := make([]float64, 0, len(idx))
	for k, i := range idx {
		if i < 0 || i >= lp.m {
			return fmt.Errorf("solver: column: row index %d out of range [0,%d)", i, lp.m)
		}
		if math.IsNaN(val[k]) || math.IsInf(val[k], 0) {
			return fmt.Errorf("solver: column: coefficient %v", val[k])
		}
		if val[k] != 0 {
			ci = append(ci, i)
			cv = append(cv, val[k])
		}
	}
	lp.colIdx[j], lp.colVal[j] = ci, cv
	lp.columnChanged(j)
	return nil
}

// SetObjective changes the objective coefficient of structural variable j.
func (lp *LP) SetObjective(j int, c float64) { lp.obj[j] = c }

// setNonbasic places nonbasic variable j at its bound nearest zero.
func (lp *LP) setNonbasic(j int) {
	lo, up := lp.lo[j], lp.up[j]
	switch {
	case !math.IsInf(lo, -1) && (math.IsInf(up, 1) || math.Abs(lo) <= math.Abs(up)):
		lp.stat[j], lp.x[j] = atLower, lo
	case !math.IsInf(up, 1):
		lp.stat[j], lp.x[j] = atUpper, up
	default:
		lp.stat[j], lp.x[j] = isFree, 0
	}
}

// IsBasic reports whether structural variable j is basic.
func (lp *LP) IsBasic(j int) bool { return j >= 0 && j < lp.n && lp.stat[j] == basic }
