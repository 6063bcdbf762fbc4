package panel

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxAgeBands is how many age bands a campaign may set.
const MaxAgeBands = 20

// DefaultAgeBandLabels are the labels of DefaultAgeBands, the age bands a
// campaign gets when it sets none.
func DefaultAgeBandLabels() []string { return AgeBandLabels(DefaultAgeBands()) }

// AgeBandLabels returns the labels of bands: "18-29" for a closed band,
// "75+" for the open last one.
func AgeBandLabels(bands []Band) []string {
	out := make([]string, len(bands))
	for i, b := range bands {
		out[i] = b.Value
	}
	return out
}

// ParseAgeBands reads a campaign's age_bands: labels "A-B" (ages A to B,
// inclusive) in ascending order, each starting one year after the last
// ended, the first starting at 18 or younger and the last open-ended
// "A+", so that every adult age falls in exactly one band. Each label
// becomes the quota category value of its band (written "A-B" or "A+",
// spaces dropped). An error is EINVALID naming the bad element, e.g.
// "age_bands[2] "44-59" overlaps "30-44"".
func ParseAgeBands(labels []string) ([]Band, error) {
	if len(labels) == 0 {
		return nil, Errorf(EINVALID, `age_bands must list at least one band, e.g. ["18-29","30-44","45-59","60-74","75+"]`)
	}
	if len(labels) > MaxAgeBands {
		return nil, Errorf(EINVALID, "age_bands may list at most %d bands, got %d", MaxAgeBands, len(labels))
	}
	bands := make([]Band, len(labels))
	for i, raw := range labels {
		b, err := parseAgeBand(raw)
		if err != nil {
			return nil, Errorf(EINVALID, "age_bands[%d] %q: %s", i, raw, err)
		}
		last := i == len(labels)-1
		switch {
		case i == 0 && b.Min > 18:
			return nil, Errorf(EINVALID, "age_bands[0] %q starts at %d: the bands must cover every age from 18, so the first must start at 18 or younger", raw, b.Min)
		case i > 0 && bands[i-1].Max >= b.Min:
			return nil, Errorf(EINVALID, "age_bands[%d] %q overlaps or comes before %q: list the bands in ascending order without overlaps", i, raw, labels[i-1])
		case i > 0 && bands[i-1].Max+1 < b.Min:
			return nil, Errorf(EINVALID, "age_bands[%d] %q leaves ages %d-%d in no band after %q", i, raw, bands[i-1].Max+1, b.Min-1, labels[i-1])
		case !last && b.Max == 0:
			return nil, Errorf(EINVALID, "age_bands[%d] %q is open-ended but is not the last band", i, raw)
		case last && b.Max != 0:
			return nil, Errorf(EINVALID, "age_bands[%d] %q is the last band and must be open-ended, e.g. \"%d+\", so that every older age has a band", i, raw, b.Min)
		}
		bands[i] = b
	}
	return bands, nil
}

// parseAgeBand reads one label "A-B" or "A+".
func parseAgeBand(raw string) (Band, error) {
	s := strings.Join(strings.Fields(raw), "")
	age := func(v string) (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 130 {
			return 0, fmt.Errorf(`write a band as "A-B" or "A+" with ages from 0 to 130`)
		}
		return n, nil
	}
	if from, ok := strings.CutSuffix(s, "+"); ok {
		n, err := age(from)
		if err != nil {
			return Band{}, err
		}
		return Band{Min: n, Value: fmt.Sprintf("%d+", n)}, nil
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Band{}, fmt.Errorf(`write a band as "A-B" or "A+"`)
	}
	lo, err := age(from)
	if err != nil {
		return Band{}, err
	}
	hi, err := age(to)
	if err != nil {
		return Band{}, err
	}
	if hi == 0 || hi < lo {
		return Band{}, fmt.Errorf("ends (%d) before it starts (%d)", hi, lo)
	}
	return Band{Min: lo, Max: hi, Value: fmt.Sprintf("%d-%d", lo, hi)}, nil
}

// WithAgeBands returns d with bands in every rule that puts an age or a
// birth year into a band; nil bands leave d as it is.
func (d DialogueConfig) WithAgeBands(bands []Band) DialogueConfig {
	if len(bands) == 0 {
		return d
	}
	rules := make([]AttributeRule, len(d.Attributes))
	for i, r := range d.Attributes {
		if r.Kind == RuleAge || r.Kind == RuleBirthYear {
			r.Bands = bands
		}
		rules[i] = r
	}
	d.Attributes = rules
	return d
}
