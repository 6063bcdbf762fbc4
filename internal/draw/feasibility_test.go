package draw_test

import (
	"context"
	"testing"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func intp(n int) *int { return &n }

func TestCheckFeasibilityAndRelax(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ds := newService(t, st, draw.Config{})
		id := seedPool(t, st, ds) // 60: 30 women, 30 men; 30 ung, 30 eldre
		tests := []struct {
			name       string
			eldreFlex  *int // min_flex of age=eldre (min 31)
			withinFlex bool
			wantFlex   int // eldre's min_flex after the relaxation
		}{
			{"within the flex limits", intp(28), true, 28},
			{"beyond them: the limit moves with the bound", intp(31), false, 30},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				qs := []panel.Quota{
					{Category: "gender", Value: "kvinne", Min: 15, Max: 25}, {Category: "gender", Value: "mann", Min: 15, Max: 25},
					{Category: "gender", Value: "annen", Min: 0, Max: 1},
					{Category: "age", Value: "ung", Min: 5, Max: 20}, {Category: "age", Value: "eldre", Min: 31, Max: 35, MinFlex: tc.eldreFlex},
				}
				if _, err := ds.SetQuotas(ctx, id, qs, 0); err != nil {
					t.Fatalf("a value nobody has yet must be allowed: %v", err)
				}
				f, err := ds.CheckFeasibility(ctx, id, 40)
				if err != nil {
					t.Fatal(err)
				}
				if f.PoolSize != 60 || len(f.Values) != 5 || f.Values[4].Pool != 30 || f.Values[2].Pool != 0 {
					t.Errorf("counts: pool %d, values %+v", f.PoolSize, f.Values)
				}
				if len(f.Empty) != 1 || f.Empty[0].Value != "annen" {
					t.Errorf("empty values: %+v, want gender=annen", f.Empty)
				}
				if f.Feasible() || f.Infeasible == nil || f.Infeasible.WithinFlex != tc.withinFlex {
					t.Fatalf("check: feasible %v, diagnosis %+v; want infeasible, within flex %v", f.Feasible(), f.Infeasible, tc.withinFlex)
				}
				out, err := ds.Relax(ctx, id, 40)
				if err != nil {
					t.Fatal(err)
				}
				eldre := out[4]
				if eldre.Min != 30 || eldre.MinFlex == nil || *eldre.MinFlex != tc.wantFlex {
					t.Errorf("relaxed eldre: min %d, min_flex %v; want 30, %d", eldre.Min, eldre.MinFlex, tc.wantFlex)
				}
				if f, err := ds.CheckFeasibility(ctx, id, 40); err != nil || !f.Feasible() {
					t.Errorf("after the relaxation: %+v, %v; want feasible", f, err)
				}
				if _, err := ds.Relax(ctx, id, 40); panel.ErrorCode(err) != panel.ECONFLICT {
					t.Errorf("relaxing feasible quotas: %v, want ECONFLICT", err)
				}
			})
		}
		if f, err := ds.CheckFeasibility(ctx, id, 0); err != nil || f.Infeasible != nil || f.Problem != "" || len(f.Values) != 5 {
			t.Errorf("without seats only the counts: %+v, %v", f, err)
		}
	})
}
