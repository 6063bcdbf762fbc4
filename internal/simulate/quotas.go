package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// poolVolunteer is one volunteer as the pool call lists it.
type poolVolunteer struct {
	ID     string            `json:"id"`
	Values map[string]string `json:"values"`
}

// poolCounts returns the campaign's pool and its count per category value.
func (r *round) poolCounts(ctx context.Context) ([]poolVolunteer, map[string]map[string]int, error) {
	var pool struct {
		Volunteers []poolVolunteer `json:"volunteers"`
	}
	var raw []byte
	if err := r.api.call(ctx, "GET", fmt.Sprintf("/api/v1/campaigns/%d/pool", r.campaign), nil, "", &raw); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(raw, &pool); err != nil {
		return nil, nil, err
	}
	counts := map[string]map[string]int{}
	for _, v := range pool.Volunteers {
		for c, val := range v.Values {
			if counts[c] == nil {
				counts[c] = map[string]int{}
			}
			counts[c][strings.ToLower(val)]++ // the service keeps values in lower case
		}
	}
	return pool.Volunteers, counts, nil
}

// quotaFor is the quota of a value with the given population share: the
// seats it would get in proportion, give or take a tenth (at least one),
// with the minimum lowered to what the pool holds.
func quotaFor(share float64, seats, inPool int) (lo, hi int, lowered bool) {
	target := share * float64(seats)
	slack := max(1, int(math.Round(0.1*target)))
	lo = max(0, int(math.Floor(target))-slack)
	hi = int(math.Ceil(target)) + slack
	if lo > inPool {
		lo, lowered = inPool, true
	}
	return lo, hi, lowered
}

// quotas sets quotas from the population shares, as an organiser would,
// and records the pool's composition against them.
func (r *round) quotas(ctx context.Context) error {
	pool, counts, err := r.poolCounts(ctx)
	if err != nil {
		return err
	}
	complete := 0
	for _, p := range r.people {
		if p.Behaviour.Completes() && !p.unreachable {
			complete++
		}
	}
	if len(pool) != complete {
		return fmt.Errorf("the pool lists %d volunteers; %d residents completed the dialogue", len(pool), complete)
	}
	r.report.Volunteers = len(pool)
	var csv strings.Builder
	csv.WriteString("feature,value,min,max\n")
	r.report.Pool = nil
	for _, c := range Categories {
		cr := CategoryReport{Category: c.Name}
		for _, s := range c.Shares {
			lo, hi, lowered := quotaFor(s.Share, r.cfg.Seats, counts[c.Name][strings.ToLower(s.Value)])
			if lowered {
				r.report.QuotasLowered = append(r.report.QuotasLowered,
					fmt.Sprintf("%s=%s minimum lowered to the %d in the pool", c.Name, s.Value, lo))
			}
			fmt.Fprintf(&csv, "%s,%s,%d,%d\n", c.Name, s.Value, lo, hi)
			cr.Values = append(cr.Values, ValueReport{Value: s.Value, Population: s.Share, Pool: counts[c.Name][strings.ToLower(s.Value)], Min: lo, Max: hi})
		}
		r.report.Pool = append(r.report.Pool, cr)
	}
	return r.api.call(ctx, "PUT", fmt.Sprintf("/api/v1/campaigns/%d/quotas", r.campaign), csv.String(), "text/csv", nil)
}
