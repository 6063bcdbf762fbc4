package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// sendAt claims every queued message of a fresh outbox and marks message
// i (1-based) sent at sentAt[i-1], with provider id "SMcheck<i>".
func sendAt(t *testing.T, s *store.Store, sentAt []time.Time) {
	t.Helper()
	ctx := context.Background()
	msgs, err := s.Claim(ctx, "sender", outboxT0, len(sentAt), time.Hour)
	if err != nil || len(msgs) != len(sentAt) {
		t.Fatalf("Claim: got %d, %v, want %d", len(msgs), err, len(sentAt))
	}
	for _, m := range msgs {
		at := sentAt[m.ID-1]
		if err := s.WithClock(func() time.Time { return at }).MarkSent(ctx, m.ID, "sender", fmt.Sprintf("SMcheck%d", m.ID), "queued"); err != nil {
			t.Fatalf("MarkSent %d: %v", m.ID, err)
		}
	}
}

func checkIDs(checks []panel.StatusCheck) []int64 {
	ids := make([]int64, len(checks))
	for i, c := range checks {
		ids[i] = c.ID
	}
	return ids
}

func TestStatusChecksAreDueByBackoff(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 5)
		sendAt(t, s, []time.Time{
			outboxT0, outboxT0.Add(time.Minute), outboxT0.Add(3 * time.Minute), outboxT0.Add(20 * time.Minute), outboxT0.Add(2 * time.Minute),
		})
		// Message 5 gets its callback: it is no longer in doubt.
		if err := s.ApplyStatus(ctx, "SMcheck5", "delivered", 0, outboxT0.Add(4*time.Minute)); err != nil {
			t.Fatalf("ApplyStatus: %v", err)
		}
		now := outboxT0.Add(12 * time.Minute)
		claim := func(now time.Time) []panel.StatusCheck {
			t.Helper()
			got, err := s.ClaimStatusChecks(ctx, now, now.Add(-10*time.Minute), 10, time.Minute)
			if err != nil {
				t.Fatalf("ClaimStatusChecks: %v", err)
			}
			return got
		}

		got := claim(now)
		if ids := checkIDs(got); !slices.Equal(ids, []int64{1, 2}) {
			t.Fatalf("at +12m: got %v, want [1 2] (sent 10 min ago or earlier, still sent)", ids)
		}
		want := panel.StatusCheck{ID: 1, CampaignID: c.ID, ProviderID: "SMcheck1", SentAt: outboxT0}
		if got[0] != want {
			t.Errorf("got %+v, want %+v", got[0], want)
		}
		if ids := checkIDs(claim(now)); len(ids) != 0 {
			t.Errorf("again at once: got %v, want nothing (leased)", ids)
		}

		// Message 1 is checked: next check at +40m. Message 2's poller
		// dies; its lease runs out after a minute.
		if ok, err := s.FinishStatusCheck(ctx, 1, 0, true, outboxT0.Add(40*time.Minute)); err != nil || !ok {
			t.Fatalf("FinishStatusCheck: got %t, %v, want true", ok, err)
		}
		now = now.Add(61 * time.Second)
		got = claim(now)
		if ids := checkIDs(got); !slices.Equal(ids, []int64{2, 3}) {
			t.Fatalf("at +13m01s: got %v, want [2 3] (2's lease ran out, 3 is due)", ids)
		}
		// Message 2 is checked by its new poller; the first poller's late
		// report of the same check changes nothing.
		if ok, err := s.FinishStatusCheck(ctx, 2, 0, true, now.Add(20*time.Minute)); err != nil || !ok {
			t.Fatalf("FinishStatusCheck: got %t, %v, want true", ok, err)
		}
		if ok, err := s.FinishStatusCheck(ctx, 2, 0, true, now.Add(time.Minute)); err != nil || ok {
			t.Errorf("late FinishStatusCheck: got %t, %v, want false", ok, err)
		}
		// Message 3: a rate limit; not counted, due again in a minute.
		if ok, err := s.FinishStatusCheck(ctx, 3, 0, false, now.Add(time.Minute)); err != nil || !ok {
			t.Fatalf("FinishStatusCheck: got %t, %v, want true", ok, err)
		}

		now = outboxT0.Add(35 * time.Minute)
		got = claim(now)
		if ids := checkIDs(got); !slices.Equal(ids, []int64{2, 3, 4}) {
			t.Fatalf("at +35m: got %v, want [2 3 4]", ids)
		}
		if got[0].Checks != 1 || got[1].Checks != 0 || got[2].Checks != 0 {
			t.Errorf("got checks %d, %d, %d, want 1, 0, 0", got[0].Checks, got[1].Checks, got[2].Checks)
		}
		// Message 2 is given up, 3 is delivered, 4 comes back later.
		for _, f := range []struct {
			id   int64
			next time.Time
		}{{2, time.Time{}}, {3, now.Add(time.Hour)}, {4, now.Add(time.Hour)}} {
			if ok, err := s.FinishStatusCheck(ctx, f.id, int(map[int64]int{2: 1}[f.id]), true, f.next); err != nil || !ok {
				t.Fatalf("FinishStatusCheck %d: got %t, %v, want true", f.id, ok, err)
			}
		}
		if err := s.ApplyStatus(ctx, "SMcheck3", "undelivered", 30003, now); err != nil {
			t.Fatalf("ApplyStatus: %v", err)
		}
		got = claim(outboxT0.Add(240 * time.Hour))
		if ids := checkIDs(got); !slices.Equal(ids, []int64{1, 4}) {
			t.Errorf("ten days on: got %v, want [1 4] (2 given up, 3 and 5 final)", ids)
		}
		m, err := s.FindOutboundMessage(ctx, 2)
		if err != nil || m.State != panel.MessageSent {
			t.Errorf("given-up message: got %+v, %v, want it still sent", m, err)
		}
	})
}

func TestStatusChecksValidate(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, tc := range []struct {
			limit int
			lease time.Duration
		}{{0, time.Minute}, {-1, time.Minute}, {10, 0}, {10, -time.Second}} {
			if _, err := s.ClaimStatusChecks(ctx, outboxT0, outboxT0, tc.limit, tc.lease); panel.ErrorCode(err) != panel.EINVALID {
				t.Errorf("limit %d lease %s: got %v, want EINVALID", tc.limit, tc.lease, err)
			}
		}
		if _, err := s.FinishStatusCheck(ctx, 1, 0, false, time.Time{}); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("uncounted without a next check: got %v, want EINVALID", err)
		}
		if ok, err := s.FinishStatusCheck(ctx, 999, 0, true, outboxT0); err != nil || ok {
			t.Errorf("unknown message: got %t, %v, want false, nil", ok, err)
		}
	})
}

func TestConcurrentStatusClaimsDoNotOverlap(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		const n = 60
		seedOutbox(t, s, n)
		sent := make([]time.Time, n)
		for i := range sent {
			sent[i] = outboxT0
		}
		sendAt(t, s, sent)
		now := outboxT0.Add(time.Hour)
		var mu sync.Mutex
		seen := make(map[int64]int)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := s.ClaimStatusChecks(context.Background(), now, now, 7, time.Minute)
					if err != nil {
						t.Errorf("ClaimStatusChecks: %v", err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, c := range got {
						seen[c.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("got %d messages claimed, want %d", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("message %d claimed %d times, want once", id, k)
			}
		}
	})
}
