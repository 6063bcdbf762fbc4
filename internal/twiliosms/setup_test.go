package twiliosms_test

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// fakeClock is a settable clock for the fake server.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes by a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a fake Twilio and a Gateway pointed at it.
type env struct {
	fake    *faketwilio.Server
	gw      *twiliosms.Gateway
	clock   *fakeClock
	logs    *syncBuffer
	baseURL string
}

// setup starts a fake Twilio and a Gateway sending to it from a number;
// edit adjusts the gateway's Config.
func setup(t testing.TB, edit func(*twiliosms.Config)) *env {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	fake := faketwilio.New(faketwilio.Options{Seed: 1, Clock: clock.Now})
	baseURL, err := fake.Start()
	if err != nil {
		t.Fatalf("start fake twilio: %v", err)
	}
	t.Cleanup(fake.Close)
	cfg := twiliosms.Config{
		AccountSID: fake.AccountSID(),
		AuthToken:  panel.Secret(fake.AuthToken()),
		From:       "+4759440000",
		BaseURL:    baseURL,
	}
	logs := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if edit != nil {
		edit(&cfg)
	}
	gw, err := twiliosms.New(cfg)
	if err != nil {
		t.Fatalf("new gateway: %v", err)
	}
	t.Cleanup(gw.CloseIdleConnections)
	return &env{fake: fake, gw: gw, clock: clock, logs: logs, baseURL: baseURL}
}
