package sender_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
)

// scriptedGateway wraps a gateway: it cancels a context after a number of
// sends, and fails the first FindSent calls.
type scriptedGateway struct {
	panel.SMSGateway
	mu           sync.Mutex
	sends        int
	cancelAfter  int
	cancel       context.CancelFunc
	findFailures int
	finds        int
}

func (g *scriptedGateway) Send(ctx context.Context, m panel.OutboundSMS) (panel.SMSReceipt, error) {
	r, err := g.SMSGateway.Send(ctx, m)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sends++
	if g.cancel != nil && g.sends == g.cancelAfter {
		g.cancel()
	}
	return r, err
}

func (g *scriptedGateway) FindSent(ctx context.Context, to panel.Phone, since time.Time) ([]panel.ProviderMessage, error) {
	g.mu.Lock()
	g.finds++
	fail := g.finds <= g.findFailures
	g.mu.Unlock()
	if fail {
		return nil, &panel.SendError{HTTPStatus: 503, Code: 20503, Message: "Service Unavailable", Retryable: true}
	}
	return g.SMSGateway.FindSent(ctx, to, since)
}

func TestShutdownReleasesUnsentClaims(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 40)
		ctx, cancel := context.WithCancel(context.Background())
		g := &scriptedGateway{SMSGateway: e.gw, cancelAfter: 7, cancel: cancel}
		snd := e.sender("a", func(c *senderSetup) { c.Gateway, c.Workers, c.Batch = g, 1, 40 })
		if err := snd.Run(ctx); err != nil {
			t.Fatalf("Run: got %v, want nil", err)
		}
		if st := e.stats(); st.Sending != 0 || st.Queued != 33 || st.Sent+st.Delivered != 7 {
			t.Fatalf("got %+v, want 7 sent with their ids stored and 33 given back", st)
		}
		m, err := e.s.FindOutboundMessage(context.Background(), 40)
		if err != nil {
			t.Fatal(err)
		}
		if m.Attempts != 0 || m.LeaseOwner != "" {
			t.Errorf("got a released message with %d attempts and owner %q, want 0 and none", m.Attempts, m.LeaseOwner)
		}
		e.drainAll(context.Background(), e.sender("b", nil))
		e.assertOncePerNumber(nil)
	})
}

func TestFailedReconciliationStaysInDoubt(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 1)
		e.fake.AcceptThenFail(1, faketwilio.Answer500)
		g := &scriptedGateway{SMSGateway: e.gw, findFailures: 2}
		snd := e.sender("a", func(c *senderSetup) { c.Gateway = g })
		ctx := context.Background()
		wantCodes := []int{20500, 0, 0} // the 500, then two failed look-ups
		for i, want := range wantCodes {
			if err := snd.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			m, err := e.s.FindOutboundMessage(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if m.State != panel.MessageQueued || m.LastErrorCode != want {
				t.Fatalf("after round %d: got %s with code %d, want queued with %d", i+1, m.State, m.LastErrorCode, want)
			}
			e.clock.Advance(time.Minute)
		}
		if err := snd.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		m, err := e.s.FindOutboundMessage(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if m.State == panel.MessageQueued || m.ProviderID == "" || g.finds != 3 {
			t.Errorf("got %s, provider id %q after %d look-ups, want the accepted message adopted after 3", m.State, m.ProviderID, g.finds)
		}
		if got := e.fake.Requests(); got != 1 {
			t.Errorf("got %d create requests, want 1", got)
		}
		e.assertOncePerNumber(nil)
	})
}

func TestOutOfAttemptsFails(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 1)
		e.fake.RateLimitNext(100)
		snd := e.sender("a", func(c *senderSetup) { c.MaxAttempts = 3 })
		e.drainAll(context.Background(), snd)
		m, err := e.s.FindOutboundMessage(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if m.State != panel.MessageFailed || m.Attempts != 3 || m.LastErrorCode != 20429 {
			t.Errorf("got %s after %d attempts with code %d, want failed after 3 with 20429", m.State, m.Attempts, m.LastErrorCode)
		}
		r, err := e.s.FindRecipient(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != panel.RecipientUnreachable {
			t.Errorf("got recipient %s, want unreachable", r.State)
		}
		if got := e.fake.Requests(); got != 3 {
			t.Errorf("got %d create requests, want 3", got)
		}
	})
}

func TestUnknownCampaignPolicyHoldsMessages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 3)
		snd := e.sender("a", func(c *senderSetup) {
			c.Policy = func(context.Context, int64) (sender.Policy, error) {
				return sender.Policy{}, errors.New("settings unavailable")
			}
		})
		if err := snd.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st := e.stats(); st.Queued != 3 || e.fake.Requests() != 0 {
			t.Errorf("got %+v and %d requests, want 3 waiting and nothing sent", st, e.fake.Requests())
		}
	})
}
