package sender_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// runUntilCancelled runs w until worked reports true (or 20 s pass), then
// cancels its context and fails unless Run returns nil within 5 s.
func runUntilCancelled(t *testing.T, w panel.Worker, worked func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for !worked() {
		if time.Now().After(deadline) {
			t.Fatal("the worker did nothing within 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of its context ending")
	}
}

// TestSenderRunStops: a sender waiting an hour for more work returns as
// soon as its context ends.
func TestSenderRunStops(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Open(t, storetest.SQLite(t)), 3)
	snd := e.sender("a", func(c *senderSetup) { c.Sleep, c.PollInterval = nil, time.Hour })
	runUntilCancelled(t, snd, func() bool { return e.stats().Sent+e.stats().Delivered == 3 })
}

// TestPollerRunStops: a poller waiting an hour for its next round returns
// as soon as its context ends.
func TestPollerRunStops(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, storetest.SQLite(t))
	e := newEnv(t, s, 3)
	e.dropCallbacks()
	e.sendAll(context.Background())
	e.clock.Advance(15 * time.Minute) // past the first check
	p := e.poller(s.WithClock(e.clock.Now), &results{}, func(c *sender.PollerConfig) { c.Sleep, c.Every = nil, time.Hour })
	runUntilCancelled(t, p, func() bool { return e.stats().Delivered == 3 })
}
