package sortition

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tolerances of the verifier.
const (
	// ProbabilityTolerance is how far a published probability or weight sum may
	// be from the value the verifier recomputes (floating-point summation).
	ProbabilityTolerance = 1e-9
	// ResolveTolerance is the accuracy of a re-solved optimum: how far
	// optimal_min_probability and the distances to the optimum may be from
	// the values the verifier computes (the solver is exact to about 1e-8).
	ResolveTolerance = 1e-6
)

// VerifyOptions are the optional extra inputs of Verify.
type VerifyOptions struct {
	// Quotas, when not nil, must equal the record's quotas (e.g. re-read from
	// the organiser's quota file).
	Quotas []Quota
	// Pool, when not nil, must equal the record's pool (e.g. re-read from the
	// respondents file, with the same household columns).
	Pool *Pool
	// Resolve re-solves the optimum (leximin or maximin) from the record's
	// pool and quotas and checks the published lottery against it: every
	// probability within max_deviation of the optimum, max_deviation and
	// optimal_min_probability what they claim, max_deviation within
	// RoundingBound. Without it Verify checks that the record is consistent
	// and drawn as committed, but not that the lottery is the fair one.
	Resolve bool
}

// Check is one verification step.
type Check struct {
	Name   string // e.g. "commitment", "lottery panels"
	OK     bool
	Detail string // what was checked, or what differs
	// Informational checks do not count towards Verified.
	Informational bool
}

// VerifyReport lists every check Verify made.
type VerifyReport struct {
	Checks []Check
	// Committed is true for a committed record: one without a seed (and so
	// without lottery_index, selected, reserves and history), checked up to
	// the commitment. False for a drawn record.
	Committed bool
}

// Kind names what was verified: "committed record (before the seed)" or
// "drawn record".
func (v *VerifyReport) Kind() string {
	if v.Committed {
		return "committed record (before the seed)"
	}
	return "drawn record"
}

// Verified reports whether every non-informational check passed.
func (v *VerifyReport) Verified() bool {
	for _, c := range v.Checks {
		if !c.OK && !c.Informational {
			return false
		}
	}
	return true
}

// Err is nil when the record verified, else an error listing each failed
// check and what differs.
func (v *VerifyReport) Err() error {
	var bad []string
	for _, c := range v.Checks {
		if !c.OK && !c.Informational {
			bad = append(bad, c.Name+": "+c.Detail)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return errors.New("the record does not verify: " + strings.Join(bad, "; "))
}

func (v *VerifyReport) add(name string, err error, okDetail string) {
	c := Check{Name: name, OK: err == nil, Detail: okDetail}
	if err != nil {
		c.Detail = err.Error()
	}
	v.Checks = append(v.Checks, c)
}

// Verify re-derives everything it can from a drawn record: the format, the
// per-field digests and the commitment, the inputs (when given), that every
// lottery panel has Seats distinct pool members meeting every quota and the
// household rule, that the weights sum to 1, that the probabilities and
// min_probability are the lottery's, the lottery index from the seed, the
// selected panel, the reserves and the replacement history. Each check is in
// the report; the error is only for a record that cannot be examined at all.
func Verify(ctx context.Context, rec *Record, opts VerifyOptions) (*VerifyReport, error) {
	if rec == nil {
		return nil, errors.New("verify: no record")
	}
	rep := &VerifyReport{}
	rep.add("format", rec.checkFormat(), "format is "+Format)
	digests, derr := rec.fieldDigests()
	if derr != nil {
		return nil, fmt.Errorf("verify: %w", derr)
	}
	rep.add("committed fields", rec.checkDigests(digests), "every committed field matches its digest")
	rep.add("commitment", rec.checkCommitment(digests), "the content hashes to "+rec.Commitment)
	if opts.Quotas != nil {
		rep.add("quotas file", compareQuotas(rec.Quotas, opts.Quotas), "quotas equal the quota file")
	}
	if opts.Pool != nil {
		rep.add("respondents file", comparePool(rec, opts.Pool), "pool equals the respondents file")
	}
	m, merr := rec.checkInputs()
	rep.add("inputs", merr, fmt.Sprintf("%d quotas, %d people, %d seats", len(rec.Quotas), len(rec.Pool), rec.Seats))
	if merr != nil {
		return rep, nil
	}
	rep.add("lottery panels", rec.checkLottery(m), fmt.Sprintf("%d panels of %d distinct pool members meet every quota and the household rule", rec.PanelsCount, rec.Seats))
	rep.add("probabilities", rec.checkProbabilities(m), "probabilities, min_probability and max_deviation are those of the lottery")
	if opts.Resolve && rec.Algorithm != AlgorithmLegacy {
		rep.add("optimum", rec.fairnessCheck(ctx, m), fmt.Sprintf("re-solved the %s optimum: optimal_min_probability %.6f is right and every probability is within max_deviation %.6f of it (bound %.6f)", rec.Algorithm, rec.OptimalMinProbability, rec.MaxDeviation, RoundingBound(rec.PanelsCount)))
	}
	if rec.Seed == "" {
		rep.Committed = true
		var decided error
		if rec.LotteryIndex != nil || rec.Selected != nil || rec.Reserves != nil || len(rec.History) > 0 {
			decided = errors.New("the record has no seed but has lottery_index, selected, reserves or history: what the seed decides cannot come before it")
		}
		rep.add("committed record", decided, "no seed yet, and nothing the seed decides")
		return rep, nil
	}
	if !utf8.ValidString(rec.Seed) {
		rep.add("seed", errors.New("the seed is not valid UTF-8"), "")
		return rep, nil
	}
	idx, selected, reserves, err := rec.derive(rec.Seed)
	if err != nil {
		rep.add("draw", fmt.Errorf("re-running the draw failed: %w", err), "")
		return rep, nil
	}
	rep.add("lottery_index", compareIndex(rec.LotteryIndex, idx), indexDetail(idx))
	rep.add("selected", compareIDs("selected", rec.Selected, selected), fmt.Sprintf("the %d selected are the panel the seed picks", len(selected)))
	if err := m.checkPanel(rec.Selected); err != nil {
		rep.add("selected panel", fmt.Errorf("selected %w", err), "")
	}
	rep.add("reserves", compareIDs("reserves", rec.Reserves, reserves), fmt.Sprintf("the %d reserves are the ones the seed orders (cover phase, then proportional)", len(reserves)))
	if len(rec.History) > 0 {
		rep.add("history", rec.checkHistory(), fmt.Sprintf("%d replacements follow the reserve order", len(rec.History)))
	}
	return rep, nil
}

func (r *Record) checkFormat() error {
	if r.Format != Format {
		return fmt.Errorf("format is %q, want %q", r.Format, Format)
	}
	return nil
}

func (r *Record) checkDigests(digests map[string]string) error {
	var bad []string
	for _, f := range committedFields {
		if r.CommittedFields[f.name] != digests[f.name] {
			bad = append(bad, f.name)
		}
	}
	for k := range r.CommittedFields {
		if _, ok := digests[k]; !ok {
			bad = append(bad, "committed_fields."+k+" (unknown)")
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return fmt.Errorf("these fields differ from their committed digests (committed_fields): %s", strings.Join(bad, ", "))
	}
	return nil
}

func (r *Record) checkCommitment(digests map[string]string) error {
	if got := commitmentOf(digests); got != r.Commitment {
		return fmt.Errorf("commitment differs: the record says %q, its content hashes to %q", r.Commitment, got)
	}
	return nil
}

// checkInputs checks the parameters, quotas and pool and indexes them.
func (r *Record) checkInputs() (*model, error) {
	if !slices.Contains(Algorithms(), r.Algorithm) {
		return nil, fmt.Errorf("algorithm %q is unknown", r.Algorithm)
	}
	for _, q := range r.Quotas {
		if q.Min < 0 || q.Min > q.Max {
			return nil, fmt.Errorf("quotas: %s=%s has min %d, max %d", q.Category, q.Value, q.Min, q.Max)
		}
	}
	if err := CheckPool(&Pool{People: r.Pool}, r.Quotas, r.Seats); err != nil {
		return nil, fmt.Errorf("pool: %w", err)
	}
	if err := checkCanonical(r.Pool); err != nil {
		return nil, err
	}
	if r.ReservesCount < 0 || r.Seats <= 0 {
		return nil, fmt.Errorf("seats %d and reserves_count %d must be positive", r.Seats, r.ReservesCount)
	}
	return newModel(r.Pool, r.Quotas, r.Seats)
}

func (r *Record) checkLottery(m *model) error {
	if r.Algorithm == AlgorithmLegacy {
		if r.Lottery != nil || r.PanelsCount != 0 {
			return errors.New("lottery: a legacy draw has no lottery and panels_count 0")
		}
		return nil
	}
	if r.Lottery == nil {
		return errors.New("lottery is missing")
	}
	if len(r.Lottery.Panels) != r.PanelsCount || len(r.Lottery.Weights) != r.PanelsCount {
		return fmt.Errorf("lottery has %d panels and %d weights, panels_count is %d", len(r.Lottery.Panels), len(r.Lottery.Weights), r.PanelsCount)
	}
	sum := 0.0
	for i, w := range r.Lottery.Weights {
		if math.IsNaN(w) || math.Abs(w-1/float64(r.PanelsCount)) > ProbabilityTolerance {
			return fmt.Errorf("lottery.weights[%d] is %v, want 1/%d: the seed picks every panel with the same chance", i, w, r.PanelsCount)
		}
		sum += w
	}
	if math.Abs(sum-1) > ProbabilityTolerance {
		return fmt.Errorf("lottery.weights sum to %v, not 1", sum)
	}
	for i, pn := range r.Lottery.Panels {
		if err := m.checkPanel(pn); err != nil {
			return fmt.Errorf("lottery.panels[%d] %w", i, err)
		}
	}
	return nil
}

func (r *Record) checkProbabilities(m *model) error {
	if r.Algorithm == AlgorithmLegacy {
		if r.Probabilities != nil || r.MinProbability != 0 || r.OptimalMinProbability != 0 || r.MaxDeviation != 0 {
			return errors.New("a legacy draw publishes no probabilities (all must be empty or 0)")
		}
		return nil
	}
	if r.Lottery == nil || len(r.Lottery.Panels) != len(r.Lottery.Weights) {
		return errors.New("cannot be checked: the lottery is missing or its panels and weights differ in number")
	}
	want := newTypeModel(m).marginals(r.Lottery, m)
	if len(r.Probabilities) != len(want) {
		return fmt.Errorf("probabilities has %d entries, the pool %d", len(r.Probabilities), len(want))
	}
	for _, id := range m.ids {
		got, ok := r.Probabilities[id]
		if !ok {
			return fmt.Errorf("probabilities[%q] is missing", id)
		}
		if math.Abs(got-want[id]) > ProbabilityTolerance {
			return fmt.Errorf("probabilities[%q] is %v, the lottery gives %v", id, got, want[id])
		}
	}
	if lo := minValue(want, m.ids); math.Abs(r.MinProbability-lo) > ProbabilityTolerance {
		return fmt.Errorf("min_probability is %v, the lottery gives %v", r.MinProbability, lo)
	}
	if r.MaxDeviation < 0 || r.MaxDeviation > 1 || math.Abs(r.MinProbability-r.OptimalMinProbability) > r.MaxDeviation+ProbabilityTolerance {
		return fmt.Errorf("optimal_min_probability %v and min_probability %v are further apart than max_deviation %v", r.OptimalMinProbability, r.MinProbability, r.MaxDeviation)
	}
	return nil
}

func compareIndex(got, want *int) error {
	switch {
	case got == nil && want == nil:
		return nil
	case got == nil || want == nil:
		return fmt.Errorf("lottery_index is %s, the seed gives %s", indexDetail(got), indexDetail(want))
	case *got != *want:
		return fmt.Errorf("lottery_index is %d, the seed gives %d", *got, *want)
	}
	return nil
}

func indexDetail(i *int) string {
	if i == nil {
		return "none (legacy)"
	}
	return fmt.Sprint(*i)
}

// compareIDs names the first position where two id lists differ.
func compareIDs(field string, got, want []string) error {
	for i := range max(len(got), len(want)) {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Errorf("%s[%d] is %q, the seed gives %q", field, i, g, w)
		}
	}
	return nil
}

func (r *Record) checkHistory() error {
	replay := *r
	replay.History = nil
	for i, h := range r.History {
		got, err := replay.replayReplacement(h)
		if err != nil {
			return fmt.Errorf("history[%d]: %w", i, err)
		}
		if got != h.Replacement {
			return fmt.Errorf("history[%d]: replacement %q (quotas_kept %v, passed_over %d), the reserves give %q", i, h.Replacement, h.QuotasKept, h.PassedOver, got)
		}
		if !h.QuotasKept {
			// Quotas not kept: right only if the replacement breaks them.
			if fit, _, err := replay.candidates(h.Member); err == nil && slices.Contains(fit, h.Replacement) {
				return fmt.Errorf("history[%d]: quotas_kept is false, but %q in %q's seat keeps every quota", i, h.Replacement, h.Member)
			}
		}
		replay.History = append(replay.History, h)
	}
	return nil
}

func compareQuotas(got, want []Quota) error {
	if len(got) != len(want) {
		return fmt.Errorf("the record has %d quotas, the file %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Category != w.Category || g.Value != w.Value || g.Min != w.Min || g.Max != w.Max || !sameFlex(g.MinFlex, w.MinFlex) || !sameFlex(g.MaxFlex, w.MaxFlex) {
			return fmt.Errorf("quotas[%d] is %s=%s %d-%d, the file (row %d) has %s=%s %d-%d", i, g.Category, g.Value, g.Min, g.Max, w.Row, w.Category, w.Value, w.Min, w.Max)
		}
	}
	return nil
}

func sameFlex(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func comparePool(r *Record, p *Pool) error {
	p = CanonicalPool(p)
	if len(r.Pool) != len(p.People) {
		return fmt.Errorf("the record's pool has %d people, the file %d", len(r.Pool), len(p.People))
	}
	if !slices.Equal(r.HouseholdColumns, nonNil(p.HouseholdColumns)) {
		return fmt.Errorf("household_columns are %q, verification read %q", r.HouseholdColumns, p.HouseholdColumns)
	}
	for i, g := range r.Pool {
		w := p.People[i]
		if g.ID != w.ID {
			return fmt.Errorf("pool[%d] has id %q, the file %q", i, g.ID, w.ID)
		}
		if g.Household != w.Household {
			return fmt.Errorf("pool[%d] (%q) has household %q, the file gives %q", i, g.ID, g.Household, w.Household)
		}
		for _, c := range Categories(r.Quotas) {
			if g.Values[c] != w.Values[c] {
				return fmt.Errorf("pool[%d] (%q) has %s %q, the file %q", i, g.ID, c, g.Values[c], w.Values[c])
			}
		}
		if len(g.Values) != len(w.Values) {
			return fmt.Errorf("pool[%d] (%q) has %d values, the file %d", i, g.ID, len(g.Values), len(w.Values))
		}
	}
	return nil
}
