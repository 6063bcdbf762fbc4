package console

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOnceCache(t *testing.T) {
	t.Parallel()
	o := newOnceCache()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var runs atomic.Int32
	var wg sync.WaitGroup
	results := make([]string, 8)
	repeats := make([]bool, 8)
	for i := range 8 {
		wg.Go(func() {
			results[i], repeats[i] = o.do("k", now, func() string {
				runs.Add(1)
				time.Sleep(20 * time.Millisecond)
				return "/campaigns/1"
			})
		})
	}
	wg.Wait()
	n := 0
	for i := range 8 {
		if results[i] != "/campaigns/1" {
			t.Errorf("call %d: got %q", i, results[i])
		}
		if !repeats[i] {
			n++
		}
	}
	if runs.Load() != 1 || n != 1 {
		t.Errorf("8 concurrent posts: fn ran %d times, %d not repeated; want 1 and 1", runs.Load(), n)
	}
	// A failure is forgotten: the next post runs again.
	if loc, _ := o.do("f", now, func() string { return "" }); loc != "" {
		t.Fatalf("failed: got %q", loc)
	}
	if loc, rep := o.do("f", now, func() string { return "/ok" }); loc != "/ok" || rep {
		t.Errorf("after a failure: got %q, %v; want /ok run anew", loc, rep)
	}
	// Old entries are forgotten after onceTTL.
	if _, rep := o.do("k", now.Add(onceTTL+time.Minute), func() string { return "/again" }); rep {
		t.Errorf("after the TTL: got a repeat, want a fresh run")
	}
}
