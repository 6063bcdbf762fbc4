package sender_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// t0 is the start of every test's fake clock: a Wednesday at noon in Oslo.
var t0 = time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)

// fakeClock is a settable clock whose Sleep advances it instead of waiting.
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

// Sleep moves the clock forward by d, as if d had passed.
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.Advance(d)
	}
	return ctx.Err()
}

// syncBuffer collects logs from several goroutines.
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

// env is a database with a campaign whose invitations are queued, a fake
// Twilio on loopback, the real Twilio gateway pointed at it, and a status
// webhook that applies callbacks to the outbox.
type env struct {
	t        testing.TB
	s        *store.Store
	clock    *fakeClock
	fake     *faketwilio.Server
	gw       *twiliosms.Gateway
	campaign *panel.Campaign
	n        int
	callback string
	logs     *syncBuffer
}

// phoneOf is the number of the i-th recipient (0-based).
func phoneOf(i int) string { return fmt.Sprintf("+479%07d", i) }

// invitationBody is the text every test invitation carries.
const invitationBody = "Hei! Du er trukket ut til å bli invitert til innbyggerpanelet. Svar JA eller NEI."

// newEnv sets up n queued invitations in s, with the clock at t0 and a
// campaign without quiet hours.
func newEnv(t testing.TB, s *store.Store, n int) *env {
	t.Helper()
	return newEnvAt(t, s, n, t0, nil)
}

// newEnvAt is newEnv with the clock at start and the campaign adjusted by
// edit before it is stored.
func newEnvAt(t testing.TB, s *store.Store, n int, start time.Time, edit func(*panel.Campaign)) *env {
	t.Helper()
	clock := &fakeClock{now: start}
	s = s.WithClock(clock.Now)
	e := &env{t: t, s: s, clock: clock, n: n, logs: &syncBuffer{}}

	e.fake = faketwilio.New(faketwilio.Options{Seed: 7, Clock: clock.Now})
	base, err := e.fake.Start()
	if err != nil {
		t.Fatalf("start fake twilio: %v", err)
	}
	t.Cleanup(e.fake.Close)
	e.gw, err = twiliosms.New(twiliosms.Config{
		AccountSID: e.fake.AccountSID(), AuthToken: panel.Secret(e.fake.AuthToken()),
		From: "+4759440000", BaseURL: base,
		Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
	})
	if err != nil {
		t.Fatalf("twilio gateway: %v", err)
	}
	t.Cleanup(e.gw.CloseIdleConnections)

	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		code, _ := strconv.Atoi(r.PostForm.Get("ErrorCode"))
		if err := s.ApplyStatus(r.Context(), r.PostForm.Get("MessageSid"), r.PostForm.Get("MessageStatus"), code, clock.Now()); err != nil {
			http.Error(w, "not applied", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(hook.Close)
	e.callback = hook.URL + "/webhooks/twilio/status"

	ctx := context.Background()
	c := panel.NewCampaign()
	c.Name, c.InvitationText, c.QuietHours = "Trondheim", invitationBody, ""
	if edit != nil {
		edit(c)
	}
	if err := s.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	e.campaign = c
	rows := make([]panel.RecipientInput, n)
	for i := range rows {
		rows[i] = panel.RecipientInput{Row: i + 2, Phone: panel.Phone(phoneOf(i))}
	}
	if _, err := s.ImportRecipients(ctx, c.ID, rows); err != nil {
		t.Fatalf("ImportRecipients: %v", err)
	}
	msgs := make([]*panel.OutboundMessage, n)
	for i := range msgs {
		id := int64(i + 1) // a fresh database numbers recipients from 1
		msgs[i] = &panel.OutboundMessage{
			CampaignID: c.ID, RecipientID: id, Kind: panel.KindInvitation, Body: invitationBody,
			DedupKey: fmt.Sprintf("invitation/%d/%d", c.ID, id),
		}
	}
	if created, err := s.Enqueue(ctx, msgs); err != nil || created != n {
		t.Fatalf("Enqueue: got %d, %v, want %d", created, err, n)
	}
	return e
}

// senderSetup is what env.sender builds a Sender from.
type senderSetup struct {
	Outbox  panel.Outbox
	Gateway panel.SMSGateway
	sender.Config
}

// sender returns a Sender on e with a fast, unlimited default config;
// edit adjusts it.
func (e *env) sender(owner string, edit func(*senderSetup)) *sender.Sender {
	e.t.Helper()
	cfg := senderSetup{Outbox: e.s, Gateway: e.gw, Config: sender.Config{
		Owner:             owner,
		StatusCallbackURL: e.callback,
		Rate:              math.Inf(1),
		Workers:           8,
		Batch:             100,
		BackoffBase:       100 * time.Millisecond,
		BackoffMax:        5 * time.Second,
		Clock:             e.clock.Now,
		Sleep:             e.clock.Sleep,
		Rand:              rand.New(rand.NewPCG(1, 2)),
		Logger:            slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}}
	if edit != nil {
		edit(&cfg)
	}
	s, err := sender.New(cfg.Outbox, cfg.Gateway, cfg.Config)
	if err != nil {
		e.t.Fatalf("sender.New: %v", err)
	}
	return s
}

// drainAll drains, moving the clock on between rounds so that retries come
// due, until nothing is queued or sending; it fails after 200 rounds.
func (e *env) drainAll(ctx context.Context, senders ...*sender.Sender) {
	e.t.Helper()
	for round := 0; round < 200; round++ {
		for _, s := range senders {
			if err := s.Drain(ctx); err != nil {
				e.t.Fatalf("Drain: %v", err)
			}
		}
		st := e.stats()
		if st.Queued == 0 && st.Sending == 0 {
			return
		}
		e.clock.Advance(5 * time.Second)
	}
	e.t.Fatalf("outbox not drained after 200 rounds: %+v", e.stats())
}

func (e *env) stats() panel.SendStats {
	e.t.Helper()
	st, err := e.s.CampaignSendStats(context.Background(), e.campaign.ID)
	if err != nil {
		e.t.Fatalf("CampaignSendStats: %v", err)
	}
	return st
}

// assertOncePerNumber checks that the fake received exactly one message
// for every recipient whose number is not in skip.
func (e *env) assertOncePerNumber(skip map[string]bool) {
	e.t.Helper()
	counts := make(map[string]int)
	for _, m := range e.fake.Messages() {
		counts[m.To]++
	}
	bad := 0
	for i := range e.n {
		p := phoneOf(i)
		want := 1
		if skip[p] {
			want = 0
		}
		if counts[p] != want {
			bad++
			if bad <= 5 {
				e.t.Errorf("recipient %d: got %d messages at the provider, want %d", i, counts[p], want)
			}
		}
	}
	if bad > 5 {
		e.t.Errorf("... %d recipients in all with the wrong count", bad)
	}
}

// assertDelivered waits (up to 20 s of real time, for the fake's callbacks
// to arrive) until want messages are delivered.
func (e *env) assertDelivered(want int) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := e.stats()
		if st.Delivered == want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("got %+v, want %d delivered", st, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// forEachStore runs fn on a fresh SQLite and PostgreSQL database.
func forEachStore(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	storetest.ForEach(t, fn)
}

// recordingGateway notes the (fake) time of every Send.
type recordingGateway struct {
	panel.SMSGateway
	clock *fakeClock
	mu    sync.Mutex
	at    []time.Time
}

func (g *recordingGateway) Send(ctx context.Context, m panel.OutboundSMS) (panel.SMSReceipt, error) {
	g.mu.Lock()
	g.at = append(g.at, g.clock.Now())
	g.mu.Unlock()
	return g.SMSGateway.Send(ctx, m)
}

func (g *recordingGateway) times() []time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]time.Time(nil), g.at...)
}
