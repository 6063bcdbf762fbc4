package sortition

import (
	"io"
	"strconv"
)

// Quota bounds how many panel seats go to people having one value of one
// category (a "feature"), e.g. gender=female between 24 and 26.
type Quota struct {
	Category string `json:"category"`
	Value    string `json:"value"`
	Min      int    `json:"min"`
	Max      int    `json:"max"`
	// MinFlex and MaxFlex, when present, are how far Min may be lowered and Max
	// raised if the quotas are infeasible (min_flex <= min, max_flex >= max).
	MinFlex *int `json:"min_flex,omitempty"`
	MaxFlex *int `json:"max_flex,omitempty"`
	// Row is the quota file row (header = 1) it came from; 0 when built in code.
	Row int `json:"-"`
}

// quotaHeader is one of the accepted quota file layouts.
type quotaHeader struct{ category, value string }

// quotaHeaders lists the accepted layouts in the order they are tried.
var quotaHeaders = [...]quotaHeader{{"category", "name"}, {"category", "feature"}, {"feature", "value"}}

// ParseQuotas reads a quota file with the header category,name,min,max or
// category,feature,min,max or feature,value,min,max[,min_flex,max_flex]
// (case-insensitive; extra columns are ignored). It collects every row problem
// (up to MaxReportedErrors) into an InputErrors. Categories keep the order in
// which they first appear; values keep the file's spelling.
func ParseQuotas(r io.Reader, file string) ([]Quota, error) {
	header, rows, err := readCSV(r, file)
	if err != nil {
		return nil, err
	}
	errs := &errorList{file: file}
	ci, vi := -1, -1
	for _, h := range quotaHeaders {
		c, v := columnIndex(header, h.category), columnIndex(header, h.value)
		if c >= 0 && v >= 0 {
			ci, vi = c, v
			break
		}
	}
	mini, maxi := columnIndex(header, "min"), columnIndex(header, "max")
	if ci < 0 || vi < 0 || mini < 0 || maxi < 0 {
		errs.add(1, "", "the header must be category,name,min,max or category,feature,min,max or feature,value,min,max[,min_flex,max_flex]; got %q", header)
		return nil, errs.err()
	}
	minFlexI, maxFlexI := columnIndex(header, "min_flex"), columnIndex(header, "max_flex")
	if (minFlexI < 0) != (maxFlexI < 0) {
		col := "min_flex"
		if maxFlexI < 0 {
			col = "max_flex"
		}
		errs.add(1, col, "min_flex and max_flex must be given together; %s is missing", col)
		return nil, errs.err()
	}
	var quotas []Quota
	seen := map[[2]string]int{}
	for i, row := range rows {
		rowNum := i + 2
		if blankRow(row) {
			continue
		}
		q := Quota{Category: cell(row, ci), Value: cell(row, vi), Row: rowNum}
		ok := true
		if q.Category == "" {
			errs.add(rowNum, header[ci], "the category is empty")
			ok = false
		}
		if q.Value == "" {
			errs.add(rowNum, header[vi], "the value is empty")
			ok = false
		}
		q.Min, ok = parseCount(errs, row, rowNum, header, mini, ok)
		q.Max, ok = parseCount(errs, row, rowNum, header, maxi, ok)
		if minFlexI >= 0 {
			var mf, xf int
			mf, ok = parseCount(errs, row, rowNum, header, minFlexI, ok)
			xf, ok = parseCount(errs, row, rowNum, header, maxFlexI, ok)
			q.MinFlex, q.MaxFlex = &mf, &xf
		}
		if errs.full() {
			break
		}
		if !ok {
			continue
		}
		if q.Min > q.Max {
			errs.add(rowNum, header[mini], "%s=%s: min %d is above max %d", q.Category, q.Value, q.Min, q.Max)
			continue
		}
		if q.MinFlex != nil && *q.MinFlex > q.Min {
			errs.add(rowNum, header[minFlexI], "%s=%s: min_flex %d is above min %d", q.Category, q.Value, *q.MinFlex, q.Min)
			continue
		}
		if q.MaxFlex != nil && *q.MaxFlex < q.Max {
			errs.add(rowNum, header[maxFlexI], "%s=%s: max_flex %d is below max %d", q.Category, q.Value, *q.MaxFlex, q.Max)
			continue
		}
		key := [2]string{fold(q.Category), fold(q.Value)}
		if prev, dup := seen[key]; dup {
			errs.add(rowNum, header[vi], "%s=%s is listed twice (first on row %d)", q.Category, q.Value, prev)
			continue
		}
		seen[key] = rowNum
		quotas = append(quotas, canonicalCategory(quotas, q))
	}
	if len(quotas) == 0 && len(errs.errs) == 0 {
		errs.add(0, "", "no quotas: the file has a header but no rows")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return quotas, nil
}

// canonicalCategory spells q's category as its first occurrence does, so that
// "Gender" and "gender" rows form one category.
func canonicalCategory(quotas []Quota, q Quota) Quota {
	for _, p := range quotas {
		if fold(p.Category) == fold(q.Category) {
			q.Category = p.Category
			break
		}
	}
	return q
}

// parseCount reads a non-negative integer cell, recording a problem if it is
// not one. ok is carried through so callers can chain calls.
func parseCount(errs *errorList, row []string, rowNum int, header []string, col int, ok bool) (int, bool) {
	s := cell(row, col)
	if s == "" {
		errs.add(rowNum, header[col], "the cell is empty; a whole number is needed")
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs.add(rowNum, header[col], "%q is not a whole number", s)
		return 0, false
	}
	if n < 0 {
		errs.add(rowNum, header[col], "%d is negative", n)
		return 0, false
	}
	return n, ok
}

// Categories returns the quota categories in order of first appearance.
func Categories(quotas []Quota) []string {
	var cats []string
	seen := map[string]bool{}
	for _, q := range quotas {
		if !seen[q.Category] {
			seen[q.Category] = true
			cats = append(cats, q.Category)
		}
	}
	return cats
}

// CheckQuotas checks quotas against a number of seats: no value listed twice,
// 0 <= min <= max, and in every category the minimums must not add up to more
// than the seats and the maximums must add up to at least the seats. file
// names the quota file in the errors.
func CheckQuotas(quotas []Quota, seats int, file string) error {
	errs := &errorList{file: file}
	if seats <= 0 {
		errs.add(0, "", "the number of seats must be positive; got %d", seats)
		return errs.err()
	}
	seen := map[[2]string]bool{}
	for _, q := range quotas {
		key := [2]string{q.Category, q.Value}
		switch {
		case seen[key]:
			errs.add(q.Row, q.Category, "%s=%s is listed twice", q.Category, q.Value)
		case q.Min < 0 || q.Min > q.Max:
			errs.add(q.Row, q.Category, "%s=%s: min %d and max %d are not a range", q.Category, q.Value, q.Min, q.Max)
		}
		seen[key] = true
	}
	for _, c := range Categories(quotas) {
		sumMin, sumMax := 0, 0
		for _, q := range quotas {
			if q.Category == c {
				sumMin += q.Min
				sumMax += q.Max
			}
		}
		if sumMin > seats {
			errs.add(0, c, "category %s: the minimums add up to %d, more than the %d seats", c, sumMin, seats)
		}
		if sumMax < seats {
			errs.add(0, c, "category %s: the maximums add up to %d, fewer than the %d seats", c, sumMax, seats)
		}
	}
	return errs.err()
}
