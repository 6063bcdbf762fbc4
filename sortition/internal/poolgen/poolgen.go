// Package poolgen generates respondent pools shaped like those of real
// national citizens' assemblies, with their quota files, to measure and test
// the draw on instances larger than the published ones.
//
// Model. A population is a mixture of latent groups (six, with unequal
// shares). Each group tilts every category's national shares by its own
// random factors, so a person's values are correlated through their group
// (as age, education, district and attitude are in real populations). The
// categories, in order, are gender (3 values, the third small), age band
// (7), education (5), district (10), ethnicity (5), urban/rural (2) and an
// attitude question (3); Config.Categories keeps the first c of them.
//
// Self-selection. Pool members are population members who answered an
// invitation: each sampled person is accepted with probability proportional
// to the product of their values' response factors, such as 0.45 for the
// youngest age band, 0.4 for no formal education, 2.4 for a master's degree
// and 0.5 to 0.7 for three districts, so the pool over-represents the
// educated and under-represents the young, the less educated and those
// districts, as real pools do.
//
// Quotas. For seats k and a value with population share s (exact, from the
// mixture), the quota is [floor(k·s), ceil(k·s)], widened by one on each
// side (min not below 0) for categories with more than 4 values.
//
// Households. About 2% of the pool share an address with another member
// (pairs); every other member has an address of their own.
//
// Everything is decided by Config.Seed through a PCG generator: one
// configuration gives the same files on every machine. Generate checks that
// every quota can be met by the pool's counts alone (each value has at least
// its minimum of people, and each category's minimums and maximums bracket
// the seats) and reports an error otherwise; joint feasibility across
// categories is checked by the tests for the sizes used by the benchmarks.
package poolgen

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Category is one stratification category of the generated population.
type Category struct {
	Name   string
	Values []string
	// Shares are the national population shares of the values (sum 1).
	Shares []float64
	// Response is each value's relative response rate (1: unbiased).
	Response []float64
}

// Categories are the seven categories, in the order Config.Categories takes them.
var Categories = []Category{
	{"gender", []string{"female", "male", "other"},
		[]float64{0.505, 0.485, 0.01},
		[]float64{1.1, 0.9, 1}},
	{"age", []string{"16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"},
		[]float64{0.12, 0.16, 0.16, 0.17, 0.15, 0.13, 0.11},
		[]float64{0.45, 0.7, 0.9, 1, 1.15, 1.3, 0.9}},
	{"education", []string{"none", "secondary", "vocational", "bachelor", "master"},
		[]float64{0.18, 0.33, 0.20, 0.19, 0.10},
		[]float64{0.4, 0.8, 0.9, 1.6, 2.4}},
	{"district", []string{"d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10"},
		[]float64{0.14, 0.12, 0.11, 0.10, 0.10, 0.09, 0.09, 0.09, 0.08, 0.08},
		[]float64{1, 0.5, 1, 1.2, 0.7, 1, 1.1, 0.6, 1, 1.3}},
	{"ethnicity", []string{"white", "asian", "black", "mixed", "other"},
		[]float64{0.82, 0.08, 0.04, 0.03, 0.03},
		[]float64{1.05, 0.7, 0.6, 0.8, 0.7}},
	{"area", []string{"urban", "rural"},
		[]float64{0.8, 0.2},
		[]float64{1, 0.85}},
	{"attitude", []string{"very concerned", "fairly concerned", "not concerned"},
		[]float64{0.42, 0.40, 0.18},
		[]float64{1.5, 1, 0.55}},
}

// Latent-group parameters.
const (
	groups = 6
	// tiltSigma is the standard deviation of a group's log tilt of a share.
	tiltSigma = 0.6
	// householdShare is the share of pool members who share an address.
	householdShare = 0.02
)

// Config chooses an instance.
type Config struct {
	People     int    // pool size
	Seats      int    // panel size
	Categories int    // how many of the seven categories, in order (1..7)
	Seed       uint64 // decides everything else
}

// Instance is a generated pool with its quotas.
type Instance struct {
	Config
	Categories []Category // the categories used
	// Min and Max are the quotas, per category then value.
	Min, Max [][]int
	// PopShare is the population share of each value (the mixture's).
	PopShare [][]float64
	// People holds, per pool member, the value index in each category.
	People [][]int
	// Address is each member's address; a few are shared.
	Address []string
}

// Generate builds the instance of cfg.
func Generate(cfg Config) (*Instance, error) {
	if cfg.Categories < 1 || cfg.Categories > len(Categories) {
		return nil, fmt.Errorf("poolgen: categories must be 1..%d, got %d", len(Categories), cfg.Categories)
	}
	if cfg.Seats <= 0 || cfg.People < cfg.Seats {
		return nil, fmt.Errorf("poolgen: need 0 < seats <= people, got %d seats and %d people", cfg.Seats, cfg.People)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x706f6f6c67656e))
	cats := Categories[:cfg.Categories]
	in := &Instance{Config: cfg, Categories: cats}

	// The latent groups: shares, and per category the group's value distribution.
	gShare := make([]float64, groups)
	tot := 0.0
	for g := range gShare {
		gShare[g] = 0.5 + rng.Float64()
		tot += gShare[g]
	}
	for g := range gShare {
		gShare[g] /= tot
	}
	dist := make([][][]float64, groups) // group, category, value
	for g := range dist {
		dist[g] = make([][]float64, len(cats))
		for c, cat := range cats {
			d := make([]float64, len(cat.Values))
			s := 0.0
			for v, sh := range cat.Shares {
				d[v] = sh * math.Exp(tiltSigma*rng.NormFloat64())
				s += d[v]
			}
			for v := range d {
				d[v] /= s
			}
			dist[g][c] = d
		}
	}
	in.PopShare = make([][]float64, len(cats))
	for c, cat := range cats {
		in.PopShare[c] = make([]float64, len(cat.Values))
		for g := range groups {
			for v, p := range dist[g][c] {
				in.PopShare[c][v] += gShare[g] * p
			}
		}
	}

	// The pool: population members accepted with probability proportional
	// to their response factors.
	maxResp := 1.0
	for _, cat := range cats {
		maxResp *= maxOf(cat.Response)
	}
	for len(in.People) < cfg.People {
		g := pick(rng, gShare)
		person := make([]int, len(cats))
		resp := 1.0
		for c, cat := range cats {
			person[c] = pick(rng, dist[g][c])
			resp *= cat.Response[person[c]]
		}
		if rng.Float64()*maxResp < resp {
			in.People = append(in.People, person)
		}
	}

	// Quotas from the population shares.
	in.Min = make([][]int, len(cats))
	in.Max = make([][]int, len(cats))
	for c, cat := range cats {
		widen := 0
		if len(cat.Values) > 4 {
			widen = 1
		}
		for _, s := range in.PopShare[c] {
			t := float64(cfg.Seats) * s
			in.Min[c] = append(in.Min[c], max(0, int(math.Floor(t))-widen))
			in.Max[c] = append(in.Max[c], int(math.Ceil(t))+widen)
		}
	}

	// Addresses: pairs of members share one.
	in.Address = make([]string, cfg.People)
	for p := range in.Address {
		in.Address[p] = fmt.Sprintf("%d Example Street", p+1)
	}
	pairs := int(math.Round(householdShare * float64(cfg.People) / 2))
	for range pairs {
		a, b := rng.IntN(cfg.People), rng.IntN(cfg.People)
		if a != b {
			in.Address[b] = in.Address[a]
		}
	}
	if err := in.checkCounts(); err != nil {
		return nil, err
	}
	return in, nil
}

// checkCounts reports a quota the pool's counts alone cannot meet.
func (in *Instance) checkCounts() error {
	for c, cat := range in.Categories {
		count := make([]int, len(cat.Values))
		for _, p := range in.People {
			count[p[c]]++
		}
		lo, hi := 0, 0
		for v := range cat.Values {
			if count[v] < in.Min[c][v] {
				return fmt.Errorf("poolgen: %s=%s: %d in the pool, quota minimum %d", cat.Name, cat.Values[v], count[v], in.Min[c][v])
			}
			lo += in.Min[c][v]
			hi += min(in.Max[c][v], count[v])
		}
		if lo > in.Seats || hi < in.Seats {
			return fmt.Errorf("poolgen: %s: quotas allow %d to %d seats, need %d", cat.Name, lo, hi, in.Seats)
		}
	}
	return nil
}

// QuotasCSV returns the quota file: category,name,min,max.
func (in *Instance) QuotasCSV() []byte {
	var b bytes.Buffer
	b.WriteString("category,name,min,max\n")
	for c, cat := range in.Categories {
		for v, name := range cat.Values {
			fmt.Fprintf(&b, "%s,%s,%d,%d\n", cat.Name, name, in.Min[c][v], in.Max[c][v])
		}
	}
	return b.Bytes()
}

// AddressColumn is the name of the address column of PeopleCSV.
const AddressColumn = "address"

// PeopleCSV returns the respondent file: id, one column per category, address.
func (in *Instance) PeopleCSV() []byte {
	var b bytes.Buffer
	names := make([]string, len(in.Categories))
	for c, cat := range in.Categories {
		names[c] = cat.Name
	}
	fmt.Fprintf(&b, "id,%s,%s\n", strings.Join(names, ","), AddressColumn)
	for p, person := range in.People {
		fmt.Fprintf(&b, "r%05d", p+1)
		for c, v := range person {
			b.WriteByte(',')
			b.WriteString(in.Categories[c].Values[v])
		}
		b.WriteByte(',')
		b.WriteString(in.Address[p])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// pick draws an index with probabilities proportional to w.
func pick(rng *rand.Rand, w []float64) int {
	s := 0.0
	for _, x := range w {
		s += x
	}
	u := rng.Float64() * s
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

func maxOf(x []float64) float64 {
	m := x[0]
	for _, v := range x[1:] {
		m = math.Max(m, v)
	}
	return m
}
