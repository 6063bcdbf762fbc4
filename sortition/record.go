package sortition

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Format is the record format this package writes and verifies.
// Version 2 (this one) puts the pool in canonical order, deals seats among
// interchangeable people from the seed, publishes per-type probabilities and
// the number of reserves passed over; version 1 records do not verify.
const Format = "panel-draw/2"

// The algorithms, by the names the record and the command line use.
const (
	AlgorithmLeximin = "leximin" // the default
	AlgorithmMaximin = "maximin"
	AlgorithmLegacy  = "legacy"
)

// Algorithms lists the accepted algorithm names, the default first.
func Algorithms() []string { return []string{AlgorithmLeximin, AlgorithmMaximin, AlgorithmLegacy} }

// Params are the draw's parameters.
type Params struct {
	Seats     int    // panel size; required
	Reserves  int    // length of the ordered reserve list; default 0
	Algorithm string // one of Algorithms(); default leximin
	Panels    int    // panels in the published lottery (leximin, maximin; ignored by legacy); default DefaultPanels
	// LegacyAttempts bounds the legacy algorithm's restarts (legacy only);
	// default DefaultLegacyAttempts.
	LegacyAttempts int
	// Software names the program writing the record, e.g. "panel v0.1.0".
	Software string
}

// withDefaults fills the zero fields with their defaults.
func (p Params) withDefaults() Params {
	if p.Algorithm == "" {
		p.Algorithm = AlgorithmLeximin
	}
	if p.Panels == 0 && p.Algorithm != AlgorithmLegacy {
		p.Panels = DefaultPanels
	}
	if p.LegacyAttempts == 0 && p.Algorithm == AlgorithmLegacy {
		p.LegacyAttempts = DefaultLegacyAttempts
	}
	// Each algorithm records only its own parameter.
	if p.Algorithm == AlgorithmLegacy {
		p.Panels = 0
	} else {
		p.LegacyAttempts = 0
	}
	if p.Software == "" {
		p.Software = "panel"
	}
	return p
}

// Replacement is one use of the reserves, in the order they happened.
type Replacement struct {
	Member string `json:"member"` // the panel member who left
	// PassedOver is how many reserves that the rule would have taken before
	// Replacement were passed over because they could not be asked (they
	// declined, dropped out or opted out). Who they were is not published.
	PassedOver  int    `json:"passed_over"`
	Replacement string `json:"replacement"` // the reserve who took the seat
	QuotasKept  bool   `json:"quotas_kept"` // whether every quota still holds
}

// Record is the published draw record (format panel-draw/2). Its JSON field
// names are a public contract. Fields up to MaxDeviation are fixed by Prepare
// and covered by the commitment; Seed and the fields after it are decided by
// the seed and filled by Draw (History by Replace).
type Record struct {
	Format           string   `json:"format"`
	Software         string   `json:"software"`
	Algorithm        string   `json:"algorithm"`
	Seats            int      `json:"seats"`
	ReservesCount    int      `json:"reserves_count"`
	HouseholdColumns []string `json:"household_columns"`
	PanelsCount      int      `json:"panels_count"`    // lottery size m; 0 for legacy
	LegacyAttempts   int      `json:"legacy_attempts"` // 0 unless legacy
	Quotas           []Quota  `json:"quotas"`
	Pool             []Person `json:"pool"`
	// Lottery is the published uniform lottery; nil for legacy.
	Lottery *Lottery `json:"lottery"`
	// Probabilities are each person's selection probability under Lottery;
	// nil for legacy, whose probabilities are not computed.
	Probabilities map[string]float64 `json:"probabilities"`
	// MinProbability is the smallest of Probabilities (0 for legacy).
	MinProbability float64 `json:"min_probability"`
	// OptimalMinProbability is the exact optimum before rounding (0 for legacy).
	OptimalMinProbability float64 `json:"optimal_min_probability"`
	// MaxDeviation is the largest |rounded - exact| selection probability.
	MaxDeviation float64 `json:"max_deviation"`

	// Commitment is "sha256:" + hex of the commitment hash (see the package
	// documentation); CommittedFields holds the per-field digests it is built
	// from, so that a verifier can say which field changed.
	Commitment      string            `json:"commitment"`
	CommittedFields map[string]string `json:"committed_fields"`

	Seed         string        `json:"seed"`
	LotteryIndex *int          `json:"lottery_index"` // nil for legacy and before Draw
	Selected     []string      `json:"selected"`
	Reserves     []string      `json:"reserves"`
	History      []Replacement `json:"history,omitempty"`
}

// Prepare freezes a pool for a draw: it checks the inputs, computes the
// lottery (leximin, maximin) and the commitment. The returned record has no
// seed yet; publish its Commitment, then call Draw with the seed. Infeasible
// quotas give an *InfeasibleError; bad inputs an InputErrors.
func Prepare(ctx context.Context, pool *Pool, quotas []Quota, params Params) (*Record, error) {
	params = params.withDefaults()
	if !slices.Contains(Algorithms(), params.Algorithm) {
		return nil, &InputError{File: "parameters", Column: "algorithm", Message: fmt.Sprintf("unknown algorithm %q; want one of %v", params.Algorithm, Algorithms())}
	}
	if params.Reserves < 0 || params.Panels < 0 || params.LegacyAttempts < 0 {
		return nil, &InputError{File: "parameters", Message: "reserves, panels and attempts must not be negative"}
	}
	if err := CheckQuotas(quotas, params.Seats, "quotas"); err != nil {
		return nil, err
	}
	if err := CheckPool(pool, quotas, params.Seats); err != nil {
		return nil, err
	}
	rec := &Record{
		Format: Format, Software: params.Software, Algorithm: params.Algorithm, Seats: params.Seats,
		ReservesCount: params.Reserves, HouseholdColumns: nonNil(pool.HouseholdColumns),
		PanelsCount: params.Panels, LegacyAttempts: params.LegacyAttempts,
		Quotas: copyQuotas(quotas), Pool: canonicalPeople(pool.People),
	}
	m, err := newModel(rec.Pool, rec.Quotas, rec.Seats)
	if err != nil {
		return nil, err
	}
	if avail := m.availablePerQuota(); !minimumsAvailable(m, avail) {
		return nil, diagnose(m, nil)
	}
	alg, err := algorithmByName(rec.Algorithm)
	if err != nil {
		return nil, err
	}
	if err := alg.prepare(ctx, m, rec); err != nil {
		return nil, err
	}
	if err := rec.commit(); err != nil {
		return nil, err
	}
	return rec, nil
}

// minimumsAvailable reports whether every minimum is within the people
// available for it.
func minimumsAvailable(m *model, avail []int) bool {
	for k, q := range m.quotas {
		if avail[k] < q.Min {
			return false
		}
	}
	return true
}

// ErrAlreadyDrawn is returned by Draw on a record that has a seed.
var ErrAlreadyDrawn = errors.New("sortition: the record already has a seed")

// Draw reveals the seed: it picks the lottery index (legacy: runs the legacy
// algorithm), the panel and the reserves, all from streams derived from seed.
func (r *Record) Draw(seed string) error {
	if r.Seed != "" || r.Selected != nil {
		return ErrAlreadyDrawn
	}
	if seed == "" {
		return &InputError{File: "parameters", Column: "seed", Message: "the seed is empty"}
	}
	if !utf8.ValidString(seed) {
		return &InputError{File: "parameters", Column: "seed", Message: "the seed is not valid UTF-8"}
	}
	idx, selected, reserves, err := r.derive(seed)
	if err != nil {
		return err
	}
	r.Seed, r.LotteryIndex, r.Selected, r.Reserves = seed, idx, selected, reserves
	return nil
}

// derive computes everything the seed decides, without changing r.
func (r *Record) derive(seed string) (*int, []string, []string, error) {
	m, err := newModel(r.Pool, r.Quotas, r.Seats)
	if err != nil {
		return nil, nil, nil, err
	}
	alg, err := algorithmByName(r.Algorithm)
	if err != nil {
		return nil, nil, nil, err
	}
	idx, panel, err := alg.choose(m, r, seed)
	if err != nil {
		return nil, nil, nil, err
	}
	selected := make([]string, len(panel))
	for k, p := range panel {
		selected[k] = m.ids[p]
	}
	reserves := m.drawReserves(panel, r.ReservesCount, NewStream(PurposeReserves, seed))
	return idx, selected, reserves, nil
}

// Current returns the panel after the replacements in History.
func (r *Record) Current() []string {
	cur := slices.Clone(r.Selected)
	for _, h := range r.History {
		if i := slices.Index(cur, h.Member); i >= 0 {
			cur[i] = h.Replacement
		}
	}
	return cur
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

func copyQuotas(qs []Quota) []Quota {
	out := slices.Clone(qs)
	for i := range out {
		if q := qs[i].MinFlex; q != nil {
			v := *q
			out[i].MinFlex = &v
		}
		if q := qs[i].MaxFlex; q != nil {
			v := *q
			out[i].MaxFlex = &v
		}
	}
	return out
}

func copyPeople(ps []Person) []Person {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Values = make(map[string]string, len(ps[i].Values))
		for k, v := range ps[i].Values {
			out[i].Values[k] = v
		}
	}
	return out
}
