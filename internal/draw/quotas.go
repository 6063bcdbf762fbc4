package draw

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/internal/columns"
	"github.com/citizenspanel/panel/internal/csvfile"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

// ParseQuotasCSV reads a quota file in any of the sortition package's
// header forms, in any encoding and with any separator package csvfile
// reads (so category;name;min;max from a Norwegian spreadsheet works).
// An optional column share (or population_share) holds the population
// share each quota came from, a number from 0 to 1 ("0.25" or "0,25"; an
// empty cell is none). Problems are an EINVALID error naming rows and
// columns.
func ParseQuotasCSV(r io.Reader) ([]panel.Quota, error) {
	norm, err := csvfile.Normalize(r)
	if err != nil {
		return nil, csvError(err)
	}
	raw, err := io.ReadAll(norm)
	if err != nil {
		return nil, fmt.Errorf("read quotas CSV: %w", err)
	}
	shares, err := readShares(raw)
	if err != nil {
		return nil, err
	}
	qs, err := sortition.ParseQuotas(bytes.NewReader(raw), "quotas")
	if err != nil {
		return nil, sortitionError(err)
	}
	out := fromSortition(qs)
	for i, q := range qs {
		out[i].Share = shares[q.Row]
	}
	return out, nil
}

// shareColumns are the header names of the population share column.
var shareColumns = []string{"share", "population_share"}

// readShares returns the share column's numbers by row (the header is
// row 1, as sortition.Quota.Row counts), or nil when the file has no such
// column. A cell that is not a number from 0 to 1 is EINVALID, naming
// the row.
func readShares(raw []byte) (map[int]*float64, error) {
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	all, err := cr.ReadAll()
	if err != nil || len(all) == 0 {
		return nil, nil // sortition.ParseQuotas names the problem
	}
	col := slices.IndexFunc(all[0], func(h string) bool {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		return slices.Contains(shareColumns, h)
	})
	if col < 0 {
		return nil, nil
	}
	out := map[int]*float64{}
	for i, row := range all[1:] {
		if col >= len(row) || strings.TrimSpace(row[col]) == "" {
			continue
		}
		v, err := ParseShare(row[col])
		if err != nil {
			return nil, panel.Errorf(panel.EINVALID, "quotas: row %d, column %s: %v", i+2, all[0][col], err)
		}
		out[i+2] = &v
	}
	return out, nil
}

// ParseShare reads a population share: a number from 0 to 1, with a
// decimal point or a decimal comma ("0.25", "0,25").
func ParseShare(s string) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
		return 0, fmt.Errorf("the share must be a number from 0 to 1, got %q", s)
	}
	return v, nil
}

// SetQuotas checks quotas against the campaign's pool and stores them. When
// the pool has volunteers, every quota category must be one they have
// (a value none has yet is allowed) and every volunteer must fit the
// quotas; with seats > 0 the quotas must also be feasible for that many
// seats (the sortition package's explanation, with the smallest relaxation
// within min_flex/max_flex). All problems are EINVALID. Categories are
// renamed as import columns are (package columns: Kjønn is gender, Bydel
// district), so quotas and volunteers use the same names.
func (s *Service) SetQuotas(ctx context.Context, campaignID int64, quotas []panel.Quota, seats int) ([]panel.Quota, error) {
	if len(quotas) == 0 {
		return nil, panel.Errorf(panel.EINVALID, "no quotas given")
	}
	// Categories are named as import columns are: "Kjønn" or "Bydel" in a
	// Norwegian quota file is the gender or district of the volunteers.
	quotas = slices.Clone(quotas)
	for i := range quotas {
		quotas[i].Category = columns.Canonical(quotas[i].Category)
	}
	if err := panel.ValidateQuotas(quotas); err != nil {
		return nil, err
	}
	if _, err := s.store.FindCampaignByID(ctx, campaignID); err != nil {
		return nil, err
	}
	vols, err := s.store.ListPool(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if len(vols) > 0 {
		if err := checkAgainstPool(vols, quotas); err != nil {
			return nil, err
		}
		pool, err := buildPool(nil, vols, quotas, false)
		if err != nil {
			return nil, err
		}
		if seats > 0 {
			_, err := sortition.Prepare(ctx, pool, toSortition(quotas), sortition.Params{Seats: seats, Algorithm: sortition.AlgorithmLegacy})
			if err != nil {
				return nil, sortitionError(err)
			}
		}
	} else if seats > 0 {
		if err := sortition.CheckQuotas(toSortition(quotas), seats, "quotas"); err != nil {
			return nil, sortitionError(err)
		}
	}
	if err := s.store.SetQuotas(ctx, campaignID, quotas); err != nil {
		return nil, err
	}
	return quotas, nil
}

// checkAgainstPool names quota categories no volunteer has. A value no
// volunteer has yet is allowed (CheckFeasibility lists it as a warning):
// quotas may be set while volunteers still come in.
func checkAgainstPool(vols []*panel.Volunteer, quotas []panel.Quota) error {
	have := map[string]map[string]bool{}
	for _, v := range vols {
		for c, val := range v.Values {
			c = fold(c)
			if have[c] == nil {
				have[c] = map[string]bool{}
			}
			have[c][fold(val)] = true
		}
	}
	var problems []string
	for _, q := range quotas {
		if _, ok := have[fold(q.Category)]; !ok {
			problems = append(problems, fmt.Sprintf("unknown category %q: no volunteer has it (the pool has %s)", q.Category, categoryList(have)))
		}
	}
	if len(problems) > 0 {
		return panel.Errorf(panel.EINVALID, "the quotas do not match the pool: %s", strings.Join(dedup(problems), "; "))
	}
	return nil
}

func categoryList(have map[string]map[string]bool) string {
	var cs []string
	for c := range have {
		cs = append(cs, fmt.Sprintf("%q", c))
	}
	sort.Strings(cs)
	return strings.Join(cs, ", ")
}

func dedup(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Quotas returns the campaign's quotas. ENOTFOUND for an unknown campaign.
func (s *Service) Quotas(ctx context.Context, campaignID int64) ([]panel.Quota, error) {
	if _, err := s.store.FindCampaignByID(ctx, campaignID); err != nil {
		return nil, err
	}
	qs, err := s.store.ListQuotas(ctx, campaignID)
	if qs == nil && err == nil {
		qs = []panel.Quota{}
	}
	return qs, err
}
