package sortition

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Person is one member of the pool as the draw sees them: an id and one value
// per quota category, spelled as in the quotas. Household is an opaque key
// shared by the pool members who live at the same address ("h1", "h2", ...);
// it is empty for people who share their address with nobody in the pool.
type Person struct {
	ID        string            `json:"id"`
	Values    map[string]string `json:"values"`
	Household string            `json:"household,omitempty"`
}

// Pool is the frozen set of people a panel is drawn from.
type Pool struct {
	People []Person
	// HouseholdColumns names the address columns that defined households.
	HouseholdColumns []string
	// Notices are remarks for the operator, e.g. that row numbers serve as ids.
	Notices []string
}

// PeopleOptions says how to read a respondents file.
type PeopleOptions struct {
	// Quotas are the parsed quotas: their categories name the columns to read
	// and their values are the accepted (case-insensitive) cell values.
	Quotas []Quota
	// IDColumn names the id column; when empty, "id" then "nationbuilder_id"
	// are tried, and without either each person's id is their 1-based
	// position among the data rows ("1" for the person on file row 2).
	IDColumn string
	// HouseholdColumns name address columns: people whose trimmed,
	// case-insensitive values agree in all of them form one household.
	HouseholdColumns []string
}

// ParsePeople reads a respondents file: an id column and one column per quota
// category (header match case-insensitive; other columns are ignored). Without
// an id column each person's id is their 1-based position among the data rows
// ("1" for the first person), and a notice says so. Every problem (unknown
// value, empty cell, duplicate id, missing column) is collected, up to
// MaxReportedErrors, into an InputErrors naming row and column.
func ParsePeople(r io.Reader, file string, opts PeopleOptions) (*Pool, error) {
	header, rows, err := readCSV(r, file)
	if err != nil {
		return nil, err
	}
	errs := &errorList{file: file}
	if len(opts.Quotas) == 0 {
		return nil, fmt.Errorf("parse %s: no quotas given", file)
	}
	cats := Categories(opts.Quotas)
	pool := &Pool{}
	idCol := -1
	if opts.IDColumn != "" {
		if idCol = columnIndex(header, opts.IDColumn); idCol < 0 {
			errs.add(1, opts.IDColumn, "the id column %q is not in the header", opts.IDColumn)
		}
	} else if idCol = columnIndex(header, "id"); idCol < 0 {
		idCol = columnIndex(header, "nationbuilder_id")
	}
	if idCol < 0 && opts.IDColumn == "" {
		pool.Notices = append(pool.Notices, fmt.Sprintf("%s has no id or nationbuilder_id column: people are identified by their row number among the data rows (1 = the first person, on file row 2)", file))
	}
	catCols := make([]int, len(cats))
	for i, c := range cats {
		if catCols[i] = columnIndex(header, c); catCols[i] < 0 {
			errs.add(1, c, "no column for quota category %q", c)
		}
	}
	hhCols := make([]int, len(opts.HouseholdColumns))
	for i, c := range opts.HouseholdColumns {
		if hhCols[i] = columnIndex(header, c); hhCols[i] < 0 {
			errs.add(1, c, "the address column %q is not in the header", c)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	// Accepted values per category, folded → canonical spelling.
	accepted := make(map[string]map[string]string, len(cats))
	for _, q := range opts.Quotas {
		if accepted[q.Category] == nil {
			accepted[q.Category] = map[string]string{}
		}
		accepted[q.Category][fold(q.Value)] = q.Value
	}
	idRow := map[string]int{}
	addresses := make([]string, 0, len(rows))
	for i, row := range rows {
		rowNum := i + 2
		p := Person{Values: make(map[string]string, len(cats))}
		if idCol >= 0 {
			p.ID = cell(row, idCol)
			if p.ID == "" {
				errs.add(rowNum, header[idCol], "the id is empty")
			} else if prev, dup := idRow[p.ID]; dup {
				errs.add(rowNum, header[idCol], "id %q is used twice (first on row %d)", p.ID, prev)
			} else {
				idRow[p.ID] = rowNum
			}
		} else {
			p.ID = strconv.Itoa(i + 1)
		}
		for k, c := range cats {
			v := cell(row, catCols[k])
			canon, ok := accepted[c][fold(v)]
			switch {
			case v == "":
				errs.add(rowNum, header[catCols[k]], "the %s value is empty", c)
			case !ok:
				errs.add(rowNum, header[catCols[k]], "%s value %q is not in the quotas (expected one of %s)", c, v, knownValues(opts.Quotas, c))
			default:
				p.Values[c] = canon
			}
		}
		addresses = append(addresses, addressKey(row, hhCols))
		pool.People = append(pool.People, p)
		if errs.full() {
			break
		}
	}
	if len(pool.People) == 0 && len(errs.errs) == 0 {
		errs.add(0, "", "no people: the file has a header but no rows")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	pool.HouseholdColumns = append([]string(nil), opts.HouseholdColumns...)
	AssignHouseholds(pool.People, addresses)
	return pool, nil
}

// knownValues lists a category's quota values for error messages.
func knownValues(quotas []Quota, category string) string {
	var vs []string
	for _, q := range quotas {
		if q.Category == category {
			vs = append(vs, strconv.Quote(q.Value))
		}
	}
	return strings.Join(vs, ", ")
}

// addressKey is the folded address tuple of a row; "" when there are no
// address columns or all of them are empty.
func addressKey(row []string, cols []int) string {
	parts := make([]string, len(cols))
	empty := true
	for i, c := range cols {
		parts[i] = fold(cell(row, c))
		if parts[i] != "" {
			empty = false
		}
	}
	if empty {
		return ""
	}
	return strings.Join(parts, "\x1f")
}

// AssignHouseholds gives the people who share a non-empty address key
// (addresses[i] is people[i]'s) the opaque household keys "h1", "h2", ...
// in order of first appearance; people alone at their address keep no
// household. Use it to build a Pool with the household rule from addresses
// that must not appear in a record.
func AssignHouseholds(people []Person, addresses []string) {
	count := map[string]int{}
	for _, a := range addresses {
		if a != "" {
			count[a]++
		}
	}
	keys := map[string]string{}
	for i, a := range addresses {
		if count[a] < 2 {
			continue
		}
		k, ok := keys[a]
		if !ok {
			k = "h" + strconv.Itoa(len(keys)+1)
			keys[a] = k
		}
		people[i].Household = k
	}
}

// CheckPool checks a pool against the quotas and the number of seats: enough
// people, every person having a quota value for every category, distinct ids.
// It does not decide feasibility (see Prepare).
func CheckPool(pool *Pool, quotas []Quota, seats int) error {
	errs := &errorList{file: "pool"}
	if len(pool.People) < seats {
		errs.add(0, "", "the pool has %d people, fewer than the %d seats", len(pool.People), seats)
	}
	accepted := map[[2]string]bool{}
	for _, q := range quotas {
		accepted[[2]string{q.Category, q.Value}] = true
	}
	cats := Categories(quotas)
	ids := map[string]bool{}
	for i, p := range pool.People {
		if p.ID == "" || ids[p.ID] {
			errs.add(0, "id", "person %d in the pool: the id %q is empty or used twice", i+1, p.ID)
		}
		ids[p.ID] = true
		for _, c := range cats {
			if !accepted[[2]string{c, p.Values[c]}] {
				errs.add(0, c, "person %q: %s value %q is not in the quotas", p.ID, c, p.Values[c])
			}
		}
		if len(p.Values) != len(cats) {
			errs.add(0, "", "person %q has %d values for %d quota categories", p.ID, len(p.Values), len(cats))
		}
		if errs.full() {
			break
		}
	}
	return errs.err()
}
