package leximin_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

// TestProgressBoundsBracketOptimum checks that every progress report's
// bounds contain the level's optimal value (level 1's is the smallest
// probability of the leximin lottery), that levels never go back, and that
// the bounds meet at the end.
func TestProgressBoundsBracketOptimum(t *testing.T) {
	in := generated(t, poolgen.Config{People: 300, Seats: 40, Categories: 4, Seed: 3})
	var reports []leximin.Progress
	l, err := leximin.LeximinWith(context.Background(), in, leximin.Options{OnProgress: func(p leximin.Progress) {
		reports = append(reports, p)
	}})
	if err != nil {
		t.Fatal(err)
	}
	opt := slices.Min(l.Prob)
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	people := 0
	for _, ty := range in.Types {
		people += ty.Count
	}
	level := 0
	for i, p := range reports {
		if p.Level < level {
			t.Fatalf("report %d: level went back from %d to %d", i, level, p.Level)
		}
		level = p.Level
		if p.Lower > p.Upper+1e-12 || p.Lower < 0 || p.Upper > 1 {
			t.Fatalf("report %d: bounds [%v, %v] out of order", i, p.Lower, p.Upper)
		}
		if p.People != people || p.FixedPeople < 0 || p.FixedPeople > people {
			t.Fatalf("report %d: %d of %d people fixed, pool %d", i, p.FixedPeople, p.People, people)
		}
		if p.Level == 1 && (p.Lower > opt+1e-7 || p.Upper < opt-1e-7) {
			t.Fatalf("report %d: level 1 bounds [%v, %v] miss the optimum %v", i, p.Lower, p.Upper, opt)
		}
	}
	if last := reports[len(reports)-1]; last.Level == 1 && (last.Lower < opt-1e-7 || last.Upper-last.Lower > 1e-7) {
		t.Errorf("last report %v: the bounds did not meet at the optimum %v", last, opt)
	}
	if first := reports[0]; first.Upper-first.Lower < 1e-6 && len(reports) > 1 {
		t.Logf("first report already tight: %v", first)
	}
}

// TestStoppedReportsBounds checks that a cancelled computation returns a
// StoppedError wrapping the context's error, with the bounds reached and
// no lottery.
func TestStoppedReportsBounds(t *testing.T) {
	in := generated(t, poolgen.Config{People: 300, Seats: 40, Categories: 4, Seed: 3})
	full, err := leximin.Leximin(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	opt := slices.Min(full.Prob)
	for _, after := range []int{1, 5, 40} {
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		l, err := leximin.LeximinWith(ctx, in, leximin.Options{OnProgress: func(leximin.Progress) {
			calls++
			if calls == after {
				cancel()
			}
		}})
		cancel()
		var stopped *leximin.StoppedError
		if !errors.As(err, &stopped) || !errors.Is(err, context.Canceled) || l != nil {
			t.Fatalf("after %d reports: got lottery %v, error %v; want a StoppedError wrapping context.Canceled", after, l != nil, err)
		}
		r := stopped.Reached
		if r.Level == 1 && (r.Lower > opt+1e-7 || r.Upper < opt-1e-7 || math.IsNaN(r.Upper)) {
			t.Errorf("after %d reports: bounds [%v, %v] miss the optimum %v", after, r.Lower, r.Upper, opt)
		}
	}
	// A context already done stops before any work.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := leximin.LeximinWith(ctx, in, leximin.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}
