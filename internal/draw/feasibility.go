package draw

import (
	"context"
	"errors"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

// ValueCount is one quota row with how many complete volunteers of the
// pool have its value.
type ValueCount struct {
	panel.Quota
	Pool int `json:"pool"`
}

// Feasibility is the check of a campaign's stored quotas against its
// current pool for a number of seats, before any draw.
type Feasibility struct {
	Seats    int          `json:"seats"`
	PoolSize int          `json:"pool_size"`
	Values   []ValueCount `json:"values"` // every quota row, in order
	// Empty lists quota values no volunteer has yet: a warning, since
	// volunteers may still come.
	Empty []panel.Quota `json:"empty,omitempty"`
	// Infeasible is the sortition package's diagnosis when no panel of
	// Seats meets the quotas: what cannot be met and the smallest
	// relaxation. Nil when a panel is possible.
	Infeasible *sortition.InfeasibleError `json:"infeasible,omitempty"`
	// Problem is any other reason no draw can start now (the pool does not
	// fit the quotas, seats out of range); "" when none.
	Problem string `json:"problem,omitempty"`
}

// Feasible reports whether a draw of Seats can start with these quotas.
func (f *Feasibility) Feasible() bool { return f.Infeasible == nil && f.Problem == "" }

// CheckFeasibility checks the campaign's quotas against its current pool
// for seats (the cheap legacy check, without households, as CreateDraw
// does first). EINVALID when the campaign has no quotas; ENOTFOUND for an
// unknown campaign. With seats <= 0 only the counts are filled.
func (s *Service) CheckFeasibility(ctx context.Context, campaignID int64, seats int) (*Feasibility, error) {
	if _, err := s.store.FindCampaignByID(ctx, campaignID); err != nil {
		return nil, err
	}
	quotas, err := s.store.ListQuotas(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if len(quotas) == 0 {
		return nil, panel.Errorf(panel.EINVALID, "campaign %d has no quotas", campaignID)
	}
	vols, err := s.store.ListPool(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	f := &Feasibility{Seats: seats, PoolSize: len(vols), Values: make([]ValueCount, len(quotas))}
	for i, q := range quotas {
		n := 0
		for _, v := range vols {
			if fold(panel.LookupFold(v.Values, q.Category)) == fold(q.Value) {
				n++
			}
		}
		f.Values[i] = ValueCount{Quota: q, Pool: n}
		if n == 0 {
			f.Empty = append(f.Empty, q)
		}
	}
	if seats <= 0 {
		return f, nil
	}
	pool, err := buildPool(nil, vols, quotas, false)
	if err != nil {
		f.Problem = panel.ErrorMessage(err)
		return f, nil
	}
	_, err = sortition.Prepare(ctx, pool, toSortition(quotas), sortition.Params{Seats: seats, Algorithm: sortition.AlgorithmLegacy})
	var inf *sortition.InfeasibleError
	switch {
	case err == nil:
	case errors.As(err, &inf):
		f.Infeasible = inf
	case panel.ErrorCode(sortitionError(err)) == panel.EINVALID:
		f.Problem = panel.ErrorMessage(sortitionError(err))
	default:
		return nil, err
	}
	return f, nil
}

// Relax applies the smallest relaxation CheckFeasibility suggests for
// seats to the campaign's stored quotas and stores them. ECONFLICT when
// the quotas are feasible already or no relaxation of them helps.
func (s *Service) Relax(ctx context.Context, campaignID int64, seats int) ([]panel.Quota, error) {
	f, err := s.CheckFeasibility(ctx, campaignID, seats)
	if err != nil {
		return nil, err
	}
	if f.Infeasible == nil || len(f.Infeasible.Relaxation) == 0 {
		return nil, panel.Errorf(panel.ECONFLICT, "there is no relaxation to apply for %d seats", seats)
	}
	quotas := make([]panel.Quota, len(f.Values))
	for i, v := range f.Values {
		quotas[i] = v.Quota
		for _, r := range f.Infeasible.Relaxation {
			if fold(r.Category) == fold(v.Category) && fold(r.Value) == fold(v.Value) {
				q := &quotas[i]
				q.Min, q.Max = r.Min, r.Max
				// Beyond the flex limits (no relaxation within them helped):
				// the limits move with the bounds.
				if q.MinFlex != nil && *q.MinFlex > q.Min {
					q.MinFlex = &q.Min
				}
				if q.MaxFlex != nil && *q.MaxFlex < q.Max {
					q.MaxFlex = &q.Max
				}
			}
		}
	}
	return s.SetQuotas(ctx, campaignID, quotas, seats)
}

// Draws returns the campaign's draws, newest first.
func (s *Service) Draws(ctx context.Context, campaignID int64) ([]*panel.Draw, error) {
	if _, err := s.store.FindCampaignByID(ctx, campaignID); err != nil {
		return nil, err
	}
	return s.store.CampaignDraws(ctx, campaignID)
}
