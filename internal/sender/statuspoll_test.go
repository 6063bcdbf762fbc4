package sender_test

import (
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
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

// results counts what a Poller observed.
type results struct {
	mu sync.Mutex
	n  map[string]int
}

func (r *results) observe(result string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = make(map[string]int)
	}
	r.n[result]++
}

func (r *results) get(result string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n[result]
}

// dropCallbacks points e's status callbacks at a port where nothing
// listens any more, as when the service is down while Twilio posts them.
func (e *env) dropCallbacks() {
	dead := httptest.NewServer(nil)
	dead.Close()
	e.callback = dead.URL + "/webhooks/twilio/status"
}

// poller returns a Poller on e's store and gateway with the default
// schedule; edit adjusts the config.
func (e *env) poller(s sender.PollStore, obs *results, edit func(*sender.PollerConfig)) *sender.Poller {
	e.t.Helper()
	cfg := sender.PollerConfig{
		Clock:   e.clock.Now,
		Sleep:   e.clock.Sleep,
		Logger:  slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Observe: obs.observe,
	}
	if edit != nil {
		edit(&cfg)
	}
	p, err := sender.NewPoller(s, e.gw, cfg)
	if err != nil {
		e.t.Fatalf("NewPoller: %v", err)
	}
	return p
}

// sendAll drains e's outbox and waits (real time) until the fake has
// walked every message to its final status.
func (e *env) sendAll(ctx context.Context) []faketwilio.Message {
	e.t.Helper()
	e.drainAll(ctx, e.sender("sender", nil))
	deadline := time.Now().Add(20 * time.Second)
	for {
		msgs := e.fake.Messages()
		final := 0
		for _, m := range msgs {
			if m.Status == m.Outcome.Status() {
				final++
			}
		}
		if final == e.n {
			return msgs
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("got %d of %d messages final at the fake", final, e.n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) tick(p *sender.Poller) int {
	e.t.Helper()
	n, err := p.Tick(context.Background())
	if err != nil {
		e.t.Fatalf("Tick: %v", err)
	}
	return n
}

func TestPollerBringsInLostStatuses(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, s, 4)
		e.dropCallbacks()
		e.fake.SetOutcome(phoneOf(1), faketwilio.Undelivered30003)
		e.fake.SetOutcome(phoneOf(2), faketwilio.Failed)
		msgs := e.sendAll(ctx)
		for _, cb := range e.fake.Callbacks() {
			if cb.HTTPStatus != 0 {
				t.Fatalf("got callback %+v answered, want every callback lost", cb)
			}
		}
		if st := e.stats(); st.Sent != 4 {
			t.Fatalf("before polling: got %+v, want all 4 stuck in sent", st)
		}
		// Twilio no longer has the fourth message (deleted): 404.
		var lost string
		var others []faketwilio.Message
		for _, m := range msgs {
			if m.To == phoneOf(3) {
				lost = m.SID
			} else {
				others = append(others, m)
			}
		}
		if !e.fake.Forget(lost) {
			t.Fatal("Forget: the message is not at the fake")
		}

		obs := &results{}
		p := e.poller(s.WithClock(e.clock.Now), obs, nil)
		if n := e.tick(p); n != 0 {
			t.Errorf("right after sending: got %d fetches, want 0 (first check after 10 min)", n)
		}
		e.clock.Advance(10 * time.Minute)
		if n := e.tick(p); n != 4 {
			t.Fatalf("after 10 min: got %d fetches, want 4", n)
		}
		if st := e.stats(); st != (panel.SendStats{Sent: 1, Delivered: 1, Undelivered: 1, Failed: 1}) {
			t.Errorf("after polling: got %+v, want 1 delivered, 1 undelivered, 1 failed, 1 (unknown at Twilio) sent", st)
		}
		m, err := s.FindOutboundMessage(ctx, 2)
		if err != nil || m.State != panel.MessageUndelivered || m.LastErrorCode != 30003 {
			t.Errorf("message 2: got %+v, %v, want undelivered with code 30003", m, err)
		}
		for result, want := range map[string]int{
			sender.PollDelivered: 1, sender.PollUndelivered: 1, sender.PollFailed: 1, sender.PollNotFound: 1, sender.PollError: 0,
		} {
			if got := obs.get(result); got != want {
				t.Errorf("got %d polls with result %s, want %d", got, result, want)
			}
		}

		// Polled once, not again before its backoff (30 min after sending).
		e.clock.Advance(19 * time.Minute)
		if n := e.tick(p); n != 0 {
			t.Errorf("at 29 min: got %d fetches, want 0", n)
		}
		// The unknown message is checked at every scheduled age, then given
		// up and left sent; the others are never fetched again.
		for range 49 {
			e.clock.Advance(time.Hour)
			e.tick(p)
		}
		if got := e.fake.Fetches(lost); got != len(sender.DefaultPollSchedule) {
			t.Errorf("got %d fetches of the unknown message, want %d (one per scheduled age)", got, len(sender.DefaultPollSchedule))
		}
		for _, msg := range others {
			if got := e.fake.Fetches(msg.SID); got != 1 {
				t.Errorf("message %s: got %d fetches, want 1", msg.SID, got)
			}
		}
		if got := obs.get(sender.PollGaveUp); got != 1 {
			t.Errorf("got %d give-ups, want 1", got)
		}
		if st := e.stats(); st.Sent != 1 {
			t.Errorf("got %+v, want the unknown message still sent", st)
		}
		logs := e.logs.String()
		if !strings.Contains(logs, "gave up checking the delivery status") || !strings.Contains(logs, "the provider does not know the message") {
			t.Errorf("want the 404 and the give-up logged, got:\n%s", logs)
		}
		for i := range e.n {
			if strings.Contains(logs, phoneOf(i)[3:]) {
				t.Errorf("got recipient %d's number in the logs", i)
			}
		}
		if strings.Contains(logs, "innbyggerpanelet") {
			t.Error("got the message body in the logs")
		}
	})
}

func TestPollerWaitsOutRateLimits(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, s, 5)
		e.dropCallbacks()
		e.sendAll(ctx)
		obs := &results{}
		p := e.poller(s.WithClock(e.clock.Now), obs, nil)
		e.clock.Advance(10 * time.Minute)
		e.fake.FailFetchesNext(1, 429)
		if n := e.tick(p); n != 1 {
			t.Fatalf("got %d fetches, want 1: a rate limit ends the tick", n)
		}
		if got := obs.get(sender.PollError); got != 1 {
			t.Errorf("got %d errors, want 1", got)
		}
		e.clock.Advance(time.Minute)
		if n := e.tick(p); n != 0 {
			t.Errorf("a minute later: got %d fetches, want 0 (waiting %s)", n, sender.DefaultPollRetryDelay)
		}
		e.fake.FailFetchesNext(1, 503)
		e.clock.Advance(sender.DefaultPollRetryDelay)
		if n := e.tick(p); n != 5 {
			t.Errorf("after the retry delay: got %d fetches, want 5 (a 503 does not end the tick)", n)
		}
		if st := e.stats(); st.Delivered != 4 || st.Sent != 1 {
			t.Errorf("got %+v, want 4 delivered and the one that met the 503 still sent", st)
		}
		// Errors are not counted as checks: the 503 one is retried after
		// the delay, not at the next scheduled age.
		e.clock.Advance(sender.DefaultPollRetryDelay)
		if n := e.tick(p); n != 1 {
			t.Errorf("after another delay: got %d fetches, want 1", n)
		}
		if st := e.stats(); st.Delivered != 5 {
			t.Errorf("got %+v, want all 5 delivered", st)
		}
	})
}

func TestTwoPollersOnTwoHandlesNeverDoublePoll(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			const n = 60
			first := storetest.Open(t, db)
			second := storetest.Open(t, db)
			e := newEnv(t, first, n)
			e.dropCallbacks()
			msgs := e.sendAll(context.Background())
			e.fake.SetDelay(2 * time.Millisecond) // fetches overlap
			obs := &results{}
			edit := func(c *sender.PollerConfig) { c.Batch, c.Rate = 7, math.Inf(1) }
			pollers := []*sender.Poller{
				e.poller(first.WithClock(e.clock.Now), obs, edit),
				e.poller(second.WithClock(e.clock.Now), obs, edit),
			}
			e.clock.Advance(10 * time.Minute)
			var wg sync.WaitGroup
			counts := make([]int, len(pollers))
			for i, p := range pollers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := p.Tick(context.Background())
					if err != nil {
						t.Errorf("Tick: %v", err)
					}
					counts[i] = n
				}()
			}
			wg.Wait()
			if counts[0]+counts[1] != n || counts[0] == 0 || counts[1] == 0 {
				t.Errorf("got %v fetches per poller, want %d in all from both", counts, n)
			}
			for _, m := range msgs {
				if got := e.fake.Fetches(m.SID); got != 1 {
					t.Errorf("message %s: got %d fetches, want 1", m.SID, got)
				}
			}
			if st := e.stats(); st.Delivered != n {
				t.Errorf("got %+v, want all %d delivered", st, n)
			}
		})
	}
}

func TestPollerRunStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, storetest.SQLite(t))
	e := newEnv(t, s, 3)
	e.dropCallbacks()
	e.sendAll(context.Background())
	p := e.poller(s.WithClock(e.clock.Now), &results{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }() // each Sleep moves the fake clock a minute on
	deadline := time.Now().Add(20 * time.Second)
	for e.stats().Delivered != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("got %+v, want 3 delivered by Run", e.stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: got %v, want nil after cancel", err)
	}
}

func TestNewPollerValidates(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, storetest.SQLite(t))
	e := newEnv(t, s, 0)
	tests := []struct {
		name  string
		store sender.PollStore
		gw    panel.SMSGateway
		cfg   sender.PollerConfig
		want  string
	}{
		{"no store", nil, e.gw, sender.PollerConfig{}, "Store is required"},
		{"no gateway", s, nil, sender.PollerConfig{}, "Gateway is required"},
		{"unsorted schedule", s, e.gw, sender.PollerConfig{Schedule: []time.Duration{time.Hour, time.Minute}}, "Schedule"},
		{"short lease", s, e.gw, sender.PollerConfig{Lease: time.Second, Timeout: 2 * time.Second}, "Lease must exceed Timeout"},
		{"negative rate", s, e.gw, sender.PollerConfig{Rate: -1}, "Rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sender.NewPoller(tt.store, tt.gw, tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error naming %q", err, tt.want)
			}
		})
	}
}
