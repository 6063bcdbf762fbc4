package sender_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestEveryRecipientGetsExactlyOneMessage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 4000)
		e.drainAll(context.Background(), e.sender("a", nil))
		e.assertOncePerNumber(nil)
		if got := e.fake.Requests(); got != 4000 {
			t.Errorf("got %d create requests, want 4000", got)
		}
		e.assertDelivered(4000)
		counts, err := e.s.CountRecipientsByState(context.Background(), e.campaign.ID)
		if err != nil || counts[panel.RecipientInvited] != 4000 {
			t.Errorf("got recipient states %v, %v, want 4000 invited", counts, err)
		}
		if logs := e.logs.String(); strings.Contains(logs, "+479") || strings.Contains(logs, "innbyggerpanelet") {
			t.Errorf("logs contain a phone number or a message body")
		}
	})
}

func TestRateLimitStormsAndServerErrorsEndWithEverythingSent(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		const n = 300
		e := newEnv(t, s, n)
		e.fake.RateLimitNext(100) // a storm
		e.fake.SetRateLimit(0.3)  // and steady pressure
		e.fake.SetRetryAfter(2 * time.Second)
		snd := e.sender("a", nil)
		ctx := context.Background()
		if err := snd.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		e.fake.FailNext(40, 503) // a burst of server errors
		e.drainAll(ctx, snd)
		e.fake.FailNext(20, 500)
		e.drainAll(ctx, snd)
		if st := e.stats(); st.Sent+st.Delivered != n || st.Failed != 0 {
			t.Errorf("got %+v, want all %d sent", st, n)
		}
		e.assertOncePerNumber(nil)
		if got := e.fake.Requests(); got <= n+100 {
			t.Errorf("got %d create requests, want more than %d (retries)", got, n+100)
		}
		e.assertDelivered(n)
	})
}

func TestPermanentErrorsAreRecordedAndNotRetried(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 20)
		tests := []struct {
			name      string
			recipient int
			code      int
			wantState string
		}{
			{"invalid number", 3, 21211, panel.RecipientUnreachable},
			{"unsubscribed", 5, 21610, panel.RecipientOptedOut},
			{"not a mobile", 7, 21614, panel.RecipientUnreachable},
		}
		skip := map[string]bool{}
		for _, tt := range tests {
			e.fake.SetNumberError(phoneOf(tt.recipient), tt.code)
			skip[phoneOf(tt.recipient)] = true
		}
		var mu sync.Mutex
		observed := map[string]int{}
		e.drainAll(context.Background(), e.sender("a", func(c *senderSetup) {
			c.Observe = func(outcome string, code int) {
				mu.Lock()
				defer mu.Unlock()
				observed[fmt.Sprintf("%s/%d", outcome, code)]++
			}
		}))
		if want := map[string]int{"sent/0": 17, "failed/21211": 1, "failed/21610": 1, "failed/21614": 1}; !maps.Equal(observed, want) {
			t.Errorf("got observed outcomes %v, want %v", observed, want)
		}
		if got := e.fake.Requests(); got != 20 {
			t.Errorf("got %d create requests, want 20 (no retries)", got)
		}
		if st := e.stats(); st.Failed != 3 || st.Sent+st.Delivered != 17 {
			t.Errorf("got %+v, want 3 failed and 17 sent", st)
		}
		e.assertOncePerNumber(skip)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, err := e.s.FindRecipient(context.Background(), int64(tt.recipient+1))
				if err != nil {
					t.Fatal(err)
				}
				if r.State != tt.wantState {
					t.Errorf("got recipient state %q, want %q", r.State, tt.wantState)
				}
				m, err := e.s.FindOutboundMessage(context.Background(), int64(tt.recipient+1))
				if err != nil {
					t.Fatal(err)
				}
				if m.State != panel.MessageFailed || m.LastErrorCode != tt.code || m.Attempts != 1 {
					t.Errorf("got message %s code %d after %d attempts, want failed %d after 1", m.State, m.LastErrorCode, m.Attempts, tt.code)
				}
			})
		}
	})
}

func TestAcceptThenFailDoesNotDoubleSend(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 60)
		e.fake.AcceptThenFail(10, faketwilio.DropConnection)
		snd := e.sender("a", nil)
		ctx := context.Background()
		if err := snd.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		e.fake.AcceptThenFail(10, faketwilio.Answer500)
		e.drainAll(ctx, snd)
		if st := e.stats(); st.Sent+st.Delivered != 60 {
			t.Errorf("got %+v, want all 60 sent", st)
		}
		e.assertOncePerNumber(nil)
		if !strings.Contains(e.logs.String(), "adopted a message the provider had already accepted") {
			t.Errorf("no message was adopted; want reconciliation to adopt the accepted ones")
		}
		e.assertDelivered(60)
	})
}

func TestCrashedSenderIsReconciledAfterItsLease(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 50)
		ctx := context.Background()
		// A sender claims 30 messages, hands 20 to Twilio and dies before
		// storing any provider id.
		claimed, err := e.s.Claim(ctx, "dead", e.clock.Now(), 30, time.Minute)
		if err != nil || len(claimed) != 30 {
			t.Fatalf("Claim: got %d, %v", len(claimed), err)
		}
		for _, m := range claimed[:20] {
			if _, err := e.gw.Send(ctx, panel.OutboundSMS{To: m.To, Body: m.Body}); err != nil {
				t.Fatalf("Send: %v", err)
			}
		}
		snd := e.sender("b", nil)
		if err := snd.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if st := e.stats(); st.Sending != 30 || st.Sent+st.Delivered != 20 {
			t.Fatalf("during the dead lease: got %+v, want 30 still sending and the other 20 sent", st)
		}
		e.clock.Advance(2 * time.Minute)
		e.drainAll(ctx, snd)
		if st := e.stats(); st.Sent+st.Delivered != 50 {
			t.Errorf("got %+v, want all 50 sent", st)
		}
		e.assertOncePerNumber(nil)
		if got := e.fake.Requests(); got != 50 {
			t.Errorf("got %d create requests, want 50", got)
		}
	})
}

func TestTwoSendersOnTwoHandlesNeverDoubleSend(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			first := storetest.Open(t, db)
			second := storetest.Open(t, db)
			e := newEnv(t, first, 1000)
			e.fake.SetRateLimit(0.1)
			a := e.sender("replica-a", func(c *senderSetup) { c.Batch = 25 })
			b := e.sender("replica-b", func(c *senderSetup) { c.Batch = 25; c.Outbox = second.WithClock(e.clock.Now) })
			ctx := context.Background()
			for round := 0; round < 50; round++ {
				var wg sync.WaitGroup
				errs := make(chan error, 2)
				for _, snd := range []*sender.Sender{a, b} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs <- snd.Drain(ctx)
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					if err != nil {
						t.Fatalf("Drain: %v", err)
					}
				}
				if st := e.stats(); st.Queued == 0 && st.Sending == 0 {
					break
				}
				e.clock.Advance(5 * time.Second)
			}
			if st := e.stats(); st.Sent+st.Delivered != 1000 {
				t.Errorf("got %+v, want all 1000 sent", st)
			}
			e.assertOncePerNumber(nil)
			owners := strings.Count(e.logs.String(), "sender=replica-a") > 0 && strings.Count(e.logs.String(), "sender=replica-b") > 0
			if !owners {
				t.Errorf("want both replicas to have sent messages")
			}
		})
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 30)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.sender("a", nil).Run(ctx) }()
		e.assertDelivered(30)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: got %v, want nil after cancel", err)
		}
		e.assertOncePerNumber(nil)
	})
}
