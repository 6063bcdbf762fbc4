package sortition_test

import (
	"context"
	"errors"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// TestPrepareReportsProgressAndStops checks that Prepare reports progress
// through WithProgress, and that a context ending mid-computation gives a
// StoppedError with bounds that contain the optimum, and no record.
func TestPrepareReportsProgressAndStops(t *testing.T) {
	pool, quotas := synthInstance(t, 370, 50, false, 2026)
	var reports []sortition.Progress
	ctx := sortition.WithProgress(context.Background(), func(p sortition.Progress) { reports = append(reports, p) })
	rec, err := sortition.Prepare(ctx, pool, quotas, sortition.Params{Seats: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	opt := rec.OptimalMinProbability
	last := reports[len(reports)-1]
	if last.People != len(pool.People) || last.Lower < opt-1e-7 || last.Upper > opt+1e-7 {
		t.Errorf("last report %v: want %d people and bounds met at the optimum %v", last, len(pool.People), opt)
	}

	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	cctx = sortition.WithProgress(cctx, func(sortition.Progress) {
		if calls++; calls == 3 {
			cancel()
		}
	})
	got, err := sortition.Prepare(cctx, pool, quotas, sortition.Params{Seats: 50})
	var stopped *sortition.StoppedError
	if got != nil || !errors.As(err, &stopped) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Prepare: record %v, error %v; want no record and a StoppedError", got != nil, err)
	}
	if r := stopped.Reached; r.Level != 1 || r.Lower > opt+1e-7 || r.Upper < opt-1e-7 {
		t.Errorf("stopped at %v: want level 1 with bounds around the optimum %v", r, opt)
	}
}
