package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		clock := &manualClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.Now)
		k := panel.IdempotencyKey{Actor: "token/1", Method: "POST", Path: "/api/v1/campaigns", Key: "k1", RequestHash: "h1"}

		// Concurrent claims: exactly one owns the key.
		var mu sync.Mutex
		owners, inFlight := 0, 0
		var ownerID int64
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := s.ClaimIdempotencyKey(ctx, k)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("concurrent claim: %v", err)
				case c.ID != 0:
					owners++
					ownerID = c.ID
				case c.InFlight:
					inFlight++
				}
			}()
		}
		wg.Wait()
		if owners != 1 || inFlight != 5 {
			t.Fatalf("6 concurrent claims: %d owners, %d in flight; want 1 and 5", owners, inFlight)
		}

		other := k
		other.RequestHash = "h2"
		if _, err := s.ClaimIdempotencyKey(ctx, other); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("same key, other body: got %v, want invalid", err)
		}
		reply := panel.IdempotentReply{Status: 201, ContentType: "application/json; charset=utf-8", Body: []byte(`{"id":7}`)}
		if err := s.CompleteIdempotencyKey(ctx, ownerID, reply); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		c, err := s.ClaimIdempotencyKey(ctx, k)
		if err != nil || c.Replay == nil || c.Replay.Status != 201 || string(c.Replay.Body) != `{"id":7}` || c.Replay.ContentType != reply.ContentType {
			t.Fatalf("repeat: got %+v, %v; want the first answer", c, err)
		}
		// Another caller, path or key is another claim.
		for _, k2 := range []panel.IdempotencyKey{
			{Actor: "token/2", Method: k.Method, Path: k.Path, Key: k.Key, RequestHash: "h1"},
			{Actor: k.Actor, Method: k.Method, Path: "/api/v1/campaigns/1/meetings", Key: k.Key, RequestHash: "h1"},
			{Actor: k.Actor, Method: k.Method, Path: k.Path, Key: "k2", RequestHash: "h1"},
		} {
			if c, err := s.ClaimIdempotencyKey(ctx, k2); err != nil || c.ID == 0 {
				t.Errorf("claim %+v: got %+v, %v; want a new claim", k2, c, err)
			}
		}

		// Released: the next claim owns it again.
		k3 := panel.IdempotencyKey{Actor: "token/1", Method: "POST", Path: "/x", Key: "k3", RequestHash: "h"}
		c3, err := s.ClaimIdempotencyKey(ctx, k3)
		if err != nil || c3.ID == 0 {
			t.Fatalf("claim k3: %+v, %v", c3, err)
		}
		if err := s.ReleaseIdempotencyKey(ctx, c3.ID); err != nil {
			t.Fatal(err)
		}
		if c, err := s.ClaimIdempotencyKey(ctx, k3); err != nil || c.ID == 0 {
			t.Errorf("after release: got %+v, %v; want a claim", c, err)
		}
		// A claim left unanswered (its process died) is taken over later.
		clock.Advance(3 * time.Minute)
		if c, err := s.ClaimIdempotencyKey(ctx, k3); err != nil || c.ID == 0 {
			t.Errorf("stale claim: got %+v, %v; want it taken over", c, err)
		}
		// After the retention period the answer is forgotten.
		clock.Advance(store.IdempotencyRetention)
		if c, err := s.ClaimIdempotencyKey(ctx, k); err != nil || c.ID == 0 || c.Replay != nil {
			t.Errorf("after retention: got %+v, %v; want a fresh claim", c, err)
		}
	})
}
