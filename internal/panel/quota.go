package panel

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Quota bounds how many seats of the panel go to people with one value of
// one category. MinFlex and MaxFlex, when set, say how far the draw may
// relax Min (down to MinFlex) and Max (up to MaxFlex) to become feasible.
type Quota struct {
	Category string `json:"category"`
	Value    string `json:"value"`
	Min      int    `json:"min"`
	Max      int    `json:"max"`
	MinFlex  *int   `json:"min_flex,omitempty"`
	MaxFlex  *int   `json:"max_flex,omitempty"`
	// Share is the population share the quota came from: the fraction,
	// from 0 to 1, of the population holding Value. nil when not given.
	Share *float64 `json:"share,omitempty"`
}

// ValidateQuotas returns EINVALID naming the first bad quota (1-based
// position) or a category and value given twice.
func ValidateQuotas(qs []Quota) error {
	seen := map[[2]string]int{}
	for i, q := range qs {
		n := i + 1
		switch {
		case strings.TrimSpace(q.Category) == "":
			return Errorf(EINVALID, "quota %d: category is required", n)
		case strings.TrimSpace(q.Value) == "":
			return Errorf(EINVALID, "quota %d (%s): value is required", n, q.Category)
		case q.Min < 0:
			return Errorf(EINVALID, "quota %d (%s=%s): min must not be negative, got %d", n, q.Category, q.Value, q.Min)
		case q.Max < q.Min:
			return Errorf(EINVALID, "quota %d (%s=%s): max %d is below min %d", n, q.Category, q.Value, q.Max, q.Min)
		case q.MinFlex != nil && (*q.MinFlex < 0 || *q.MinFlex > q.Min):
			return Errorf(EINVALID, "quota %d (%s=%s): min_flex must be between 0 and min %d, got %d", n, q.Category, q.Value, q.Min, *q.MinFlex)
		case q.MaxFlex != nil && *q.MaxFlex < q.Max:
			return Errorf(EINVALID, "quota %d (%s=%s): max_flex must be at least max %d, got %d", n, q.Category, q.Value, q.Max, *q.MaxFlex)
		case q.Share != nil && !(*q.Share >= 0 && *q.Share <= 1):
			return Errorf(EINVALID, "quota %d (%s=%s): share must be a number from 0 to 1, got %g", n, q.Category, q.Value, *q.Share)
		}
		key := [2]string{q.Category, q.Value}
		if first, dup := seen[key]; dup {
			return Errorf(EINVALID, "quota %d (%s=%s) repeats quota %d", n, q.Category, q.Value, first)
		}
		seen[key] = n
	}
	return nil
}

// QuotaService stores a campaign's quotas.
type QuotaService interface {
	// SetQuotas replaces the campaign's quotas, all or nothing. EINVALID
	// naming the bad quota, ENOTFOUND for an unknown campaign.
	SetQuotas(ctx context.Context, campaignID int64, qs []Quota) error
	// ListQuotas returns the campaign's quotas in the order they were set.
	ListQuotas(ctx context.Context, campaignID int64) ([]Quota, error)
}

// ValueCount is one category value of a pool's composition.
type ValueCount struct {
	Category string `json:"category"`
	Value    string `json:"value"`
	Pool     int    `json:"pool"`           // complete volunteers with this value
	Min      *int   `json:"min,omitempty"`  // the quota's min; nil when the value has no quota
	Max      *int   `json:"max,omitempty"`  // the quota's max; nil when the value has no quota
	Short    int    `json:"short,omitzero"` // how many the pool lacks to meet Min
}

// Composition is a pool per category value against the quotas.
type Composition struct {
	Volunteers int          `json:"volunteers"`
	Values     []ValueCount `json:"values"` // by category, then value, quota values first in quota order
	// Unmet lists the quota minimums the pool cannot meet now (Pool < Min).
	Unmet []ValueCount `json:"unmet"`
	// Missing counts volunteers without a value for a category that has
	// quotas, by category: the draw cannot place them.
	Missing map[string]int `json:"missing,omitempty"`
}

// Compose counts the pool per category value against the quotas. Values
// without a quota and quota values with no volunteers are listed too.
// Categories and values match as the draw matches them, by FoldValue:
// volunteers with "midtbyen" count for the quota "Midtbyen", which is
// listed as the quota spells it.
func Compose(pool []*Volunteer, quotas []Quota) Composition {
	type key = [2]string
	counts := map[key]int{}
	spelled := map[key]string{} // a value as a volunteer has it, for values without a quota
	for _, v := range pool {
		for c, val := range v.Values {
			k := key{FoldValue(c), FoldValue(val)}
			counts[k]++
			if _, ok := spelled[k]; !ok {
				spelled[k] = val
			}
		}
	}
	c := Composition{Volunteers: len(pool), Values: []ValueCount{}, Unmet: []ValueCount{}}
	listed := map[key]bool{}
	quotaCats := map[string]bool{}
	for _, q := range quotas {
		k := key{FoldValue(q.Category), FoldValue(q.Value)}
		if listed[k] {
			continue
		}
		listed[k] = true
		quotaCats[q.Category] = true
		vc := ValueCount{Category: q.Category, Value: q.Value, Pool: counts[k], Min: ptr(q.Min), Max: ptr(q.Max)}
		if vc.Pool < q.Min {
			vc.Short = q.Min - vc.Pool
			c.Unmet = append(c.Unmet, vc)
		}
		c.Values = append(c.Values, vc)
	}
	var rest []ValueCount
	for k, n := range counts {
		if !listed[k] {
			rest = append(rest, ValueCount{Category: k[0], Value: spelled[k], Pool: n})
		}
	}
	slices.SortFunc(rest, func(a, b ValueCount) int {
		return strings.Compare(a.Category+"\x00"+a.Value, b.Category+"\x00"+b.Value)
	})
	c.Values = append(c.Values, rest...)
	for cat := range quotaCats {
		for _, v := range pool {
			if strings.TrimSpace(LookupFold(v.Values, cat)) == "" {
				if c.Missing == nil {
					c.Missing = map[string]int{}
				}
				c.Missing[cat]++
			}
		}
	}
	return c
}

// FoldValue is the one rule by which category names and values match:
// surrounding spaces trimmed, lower case. The draw, the pool's composition
// and the imports all compare through it.
func FoldValue(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func ptr(n int) *int { return &n }

// Attribute rule kinds.
const (
	RuleCopy      = "copy"       // the value as it is (spaces trimmed, lower case)
	RuleAge       = "age"        // an age in whole years, put into a band
	RuleBirthYear = "birth_year" // a year of birth, turned into an age at the reference year, put into a band
)

// AttributeRule maps one register column of a recipient import into a
// quota category.
type AttributeRule struct {
	Attribute string `json:"attribute"` // the import column, e.g. "birth_year"
	Category  string `json:"category"`  // the quota category, e.g. "age"
	Kind      string `json:"kind"`      // RuleCopy, RuleAge or RuleBirthYear
	Bands     []Band `json:"bands"`     // for RuleAge and RuleBirthYear
}

// Band is an inclusive age range and its category value; Max 0 means no
// upper bound.
type Band struct {
	Min   int    `json:"min"`
	Max   int    `json:"max"`
	Value string `json:"value"`
}

// DefaultAgeBands are the age bands of the reference round: 18-29, 30-44,
// 45-59, 60-74 and 75+.
func DefaultAgeBands() []Band {
	return []Band{
		{Min: 18, Max: 29, Value: "18-29"},
		{Min: 30, Max: 44, Value: "30-44"},
		{Min: 45, Max: 59, Value: "45-59"},
		{Min: 60, Max: 74, Value: "60-74"},
		{Min: 75, Value: "75+"},
	}
}

// DefaultAttributeRules map the usual register columns: age or
// birth_year into the age band, gender and district as they are.
func DefaultAttributeRules() []AttributeRule {
	return []AttributeRule{
		{Attribute: "age", Category: CategoryAge, Kind: RuleAge, Bands: DefaultAgeBands()},
		{Attribute: "birth_year", Category: CategoryAge, Kind: RuleBirthYear, Bands: DefaultAgeBands()},
		{Attribute: "gender", Category: CategoryGender, Kind: RuleCopy},
		{Attribute: "district", Category: CategoryDistrict, Kind: RuleCopy},
	}
}

func (r AttributeRule) validate(at string) error {
	switch {
	case strings.TrimSpace(r.Attribute) == "":
		return Errorf(EINVALID, "%s.attribute is required", at)
	case strings.TrimSpace(r.Category) == "":
		return Errorf(EINVALID, "%s.category is required", at)
	}
	switch r.Kind {
	case RuleCopy:
		return nil
	case RuleAge, RuleBirthYear:
		if len(r.Bands) == 0 {
			return Errorf(EINVALID, "%s.bands is required for kind %q", at, r.Kind)
		}
		for j, b := range r.Bands {
			if b.Value == "" || b.Min < 0 || (b.Max != 0 && b.Max < b.Min) {
				return Errorf(EINVALID, "%s.bands[%d] needs a value and min <= max", at, j)
			}
		}
		return nil
	}
	return Errorf(EINVALID, "%s.kind must be %q, %q or %q, got %q", at, RuleCopy, RuleAge, RuleBirthYear, r.Kind)
}

// MapAttributes applies rules to a recipient's register attributes and
// returns the category values they give. refYear is the year an age is
// computed at for birth years (age = refYear - birth year, the age the
// person reaches that year). The first rule that yields a value for a
// category wins; a value that is empty, not a number where one is needed,
// or outside every band gives nothing.
func MapAttributes(rules []AttributeRule, attrs map[string]string, refYear int) map[string]string {
	out := map[string]string{}
	for _, r := range rules {
		if _, done := out[r.Category]; done {
			continue
		}
		raw := strings.TrimSpace(LookupFold(attrs, r.Attribute))
		if raw == "" {
			continue
		}
		switch r.Kind {
		case RuleCopy:
			out[r.Category] = strings.ToLower(raw)
		case RuleAge, RuleBirthYear:
			n, err := strconv.Atoi(raw)
			if err != nil {
				continue
			}
			age := n
			if r.Kind == RuleBirthYear {
				age = refYear - n
			}
			if v, ok := band(r.Bands, age); ok {
				out[r.Category] = v
			}
		}
	}
	return out
}

// MapImportedValues maps the category values of a volunteer imported by
// CSV through the same rules as MapAttributes maps the register columns
// of a recipient who volunteers by SMS, so that both kinds of volunteer
// have the same values: an age of 34 in a column that a RuleAge rule reads
// becomes the band "30-44" of the rule's category, a birth year likewise
// (at refYear), and a column a RuleCopy rule reads is renamed to its
// category. A value that is no number in an age column is kept as the
// organiser wrote it (a band of their own, e.g. "ung"). values is not
// changed. The error names the column and value: a number outside every
// band, or a birth year that is no number.
func MapImportedValues(rules []AttributeRule, values map[string]string, refYear int) (map[string]string, error) {
	out := make(map[string]string, len(values))
	for k, v := range values {
		out[k] = v
	}
	done := map[string]bool{}
	for _, r := range rules {
		col, raw, ok := lookupKey(values, r.Attribute)
		if !ok || done[r.Category] {
			continue
		}
		raw = strings.TrimSpace(raw)
		var mapped string
		switch r.Kind {
		case RuleCopy:
			mapped = strings.ToLower(raw)
		case RuleAge, RuleBirthYear:
			n, err := strconv.Atoi(raw)
			switch {
			case err != nil && r.Kind == RuleAge && FoldValue(col) == FoldValue(r.Category):
				continue // the organiser's own band
			case err != nil:
				return nil, Errorf(EINVALID, "%s %q is not a whole number", col, raw)
			}
			age := n
			if r.Kind == RuleBirthYear {
				age = refYear - n
			}
			v, ok := band(r.Bands, age)
			if !ok {
				return nil, Errorf(EINVALID, "%s %d gives age %d, which is in no %s band", col, n, age, r.Category)
			}
			mapped = v
		default:
			continue
		}
		delete(out, col)
		out[r.Category] = mapped
		done[r.Category] = true
	}
	return out, nil
}

// lookupKey returns the key of m that equals key ignoring case and
// surrounding spaces, and its value.
func lookupKey(m map[string]string, key string) (string, string, bool) {
	if v, ok := m[key]; ok {
		return key, v, true
	}
	for k, v := range m {
		if strings.EqualFold(strings.TrimSpace(k), key) {
			return k, v, true
		}
	}
	return "", "", false
}

// LookupFold returns m's value for key, or else for the first key that
// equals it ignoring case and surrounding spaces; "" when there is none.
func LookupFold(m map[string]string, key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(strings.TrimSpace(k), key) {
			return v
		}
	}
	return ""
}

func band(bands []Band, age int) (string, bool) {
	for _, b := range bands {
		if age >= b.Min && (b.Max == 0 || age <= b.Max) {
			return b.Value, true
		}
	}
	return "", false
}

// String describes a value count for messages, e.g. "age=18-29: 3 of min 5".
func (v ValueCount) String() string {
	if v.Min == nil {
		return fmt.Sprintf("%s=%s: %d", v.Category, v.Value, v.Pool)
	}
	return fmt.Sprintf("%s=%s: %d of min %d", v.Category, v.Value, v.Pool, *v.Min)
}
