package smssim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// DefaultCapacity is how many messages a Gateway keeps by default.
const DefaultCapacity = 10000

// Reporter receives a delivery status of a message, as a status webhook
// would: the provider id, the Twilio-style status and an error code (0 for
// none).
type Reporter func(ctx context.Context, providerID, status string, code int)

// Outcome is what finally happens to a message: Status "delivered",
// "undelivered" or "failed", with a Twilio-style error code for the
// latter two.
type Outcome struct {
	Status string
	Code   int
}

// Config configures a Gateway. The zero value works: real clock,
// crypto/rand ids, 10,000 kept messages, every message delivered, no
// reports (the defaults WithDefaults fills in).
type Config struct {
	// Report receives each message's statuses. Default: none.
	Report Reporter
	// Outcome decides a message's fate. Default: delivered.
	Outcome func(m panel.OutboundSMS) Outcome
	// Refuse, when it returns an error for a message, makes Send fail with
	// it instead of accepting (e.g. a *panel.SendError with code 21211).
	// Default: none; every message is accepted.
	Refuse func(m panel.OutboundSMS) error
	// Capacity bounds the kept messages; the oldest are forgotten first.
	// Default DefaultCapacity.
	Capacity int
	// Clock stamps messages. Default time.Now.
	Clock func() time.Time
	// Random supplies the bytes of ids. Default crypto/rand.
	Random io.Reader
	// Logger receives debug logs (ids and statuses only). Default: discard.
	Logger *slog.Logger
}

// Message is a message the simulator accepted.
type Message struct {
	ProviderID string
	To         panel.Phone
	Body       string
	Status     string // the latest status
	ErrorCode  int
	CreatedAt  time.Time
}

// Gateway is the simulated SMS gateway. It is safe for concurrent use.
type Gateway struct {
	cfg Config

	mu    sync.Mutex
	kept  []Message      // ring buffer of at most cfg.Capacity
	index map[string]int // provider id to position in kept
	next  int            // where the next message goes once kept is full
	total int
}

var _ panel.SMSGateway = (*Gateway)(nil)

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	cfg := c
	if cfg.Outcome == nil {
		cfg.Outcome = func(panel.OutboundSMS) Outcome { return Outcome{Status: "delivered"} }
	}
	if cfg.Capacity <= 0 {
		cfg.Capacity = DefaultCapacity
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// New returns a Gateway for cfg with defaults filled in.
func New(cfg Config) *Gateway {
	return &Gateway{cfg: cfg.WithDefaults(), index: make(map[string]int)}
}

// Send accepts the message, keeps it and reports its statuses: queued,
// then sent and the outcome (or only the outcome "failed"). A message
// without recipient or body is EINVALID; Refuse may refuse it.
func (g *Gateway) Send(ctx context.Context, m panel.OutboundSMS) (panel.SMSReceipt, error) {
	if m.To == "" || m.Body == "" {
		return panel.SMSReceipt{}, panel.Errorf(panel.EINVALID, "an SMS needs a recipient and a body")
	}
	if err := ctx.Err(); err != nil {
		return panel.SMSReceipt{}, fmt.Errorf("smssim: send: %w", &panel.SendError{Retryable: true, Message: "request cancelled"})
	}
	if g.cfg.Refuse != nil {
		if err := g.cfg.Refuse(m); err != nil {
			return panel.SMSReceipt{}, fmt.Errorf("smssim: send: %w", err)
		}
	}
	raw := make([]byte, 16)
	if _, err := io.ReadFull(g.cfg.Random, raw); err != nil {
		return panel.SMSReceipt{}, fmt.Errorf("smssim: message id: %w", err)
	}
	id := "SIM" + hex.EncodeToString(raw)
	outcome := g.cfg.Outcome(m)
	g.keep(Message{ProviderID: id, To: m.To, Body: m.Body, Status: "queued", CreatedAt: g.cfg.Clock().UTC()})
	g.cfg.Logger.DebugContext(ctx, "simulated message accepted", slog.String("provider_id", id))

	statuses := []Outcome{{Status: "queued"}, {Status: "sent"}, outcome}
	if outcome.Status == "failed" {
		statuses = []Outcome{{Status: "queued"}, outcome}
	}
	for _, st := range statuses {
		g.setStatus(id, st)
		if g.cfg.Report != nil {
			g.cfg.Report(ctx, id, st.Status, st.Code)
		}
	}
	return panel.SMSReceipt{ProviderID: id, Status: "queued"}, nil
}

// keep stores m, forgetting the oldest message when full.
func (g *Gateway) keep(m Message) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total++
	if len(g.kept) < g.cfg.Capacity {
		g.index[m.ProviderID] = len(g.kept)
		g.kept = append(g.kept, m)
		return
	}
	delete(g.index, g.kept[g.next].ProviderID)
	g.kept[g.next] = m
	g.index[m.ProviderID] = g.next
	g.next = (g.next + 1) % g.cfg.Capacity
}

// setStatus updates a kept message's status.
func (g *Gateway) setStatus(id string, st Outcome) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if i, ok := g.index[id]; ok {
		g.kept[i].Status, g.kept[i].ErrorCode = st.Status, st.Code
	}
}

// FindSent returns the kept messages to the number created at or after
// since, newest first.
func (g *Gateway) FindSent(ctx context.Context, to panel.Phone, since time.Time) ([]panel.ProviderMessage, error) {
	if to == "" {
		return nil, panel.Errorf(panel.EINVALID, "finding sent messages needs a phone number")
	}
	var out []panel.ProviderMessage
	for _, m := range g.Messages() {
		if m.To == to && !m.CreatedAt.Before(since) {
			out = append(out, panel.ProviderMessage{
				ProviderID: m.ProviderID, To: m.To, Body: m.Body, Status: m.Status, ErrorCode: m.ErrorCode, CreatedAt: m.CreatedAt,
			})
		}
	}
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b panel.ProviderMessage) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, nil
}

// Status returns the kept message with the provider id and its latest
// status. An id it never issued, or a message it has forgotten (see
// Config.Capacity), is ENOTFOUND; an empty id is EINVALID.
func (g *Gateway) Status(ctx context.Context, providerID string) (panel.ProviderMessage, error) {
	if providerID == "" {
		return panel.ProviderMessage{}, panel.Errorf(panel.EINVALID, "a message status needs a provider id")
	}
	if err := ctx.Err(); err != nil {
		return panel.ProviderMessage{}, fmt.Errorf("smssim: status: %w", &panel.SendError{Retryable: true, Message: "request cancelled"})
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	i, ok := g.index[providerID]
	if !ok {
		return panel.ProviderMessage{}, panel.Errorf(panel.ENOTFOUND, "the simulator has no message %s", providerID)
	}
	m := g.kept[i]
	return panel.ProviderMessage{
		ProviderID: m.ProviderID, To: m.To, Body: m.Body, Status: m.Status, ErrorCode: m.ErrorCode, CreatedAt: m.CreatedAt,
	}, nil
}

// DeleteMessage forgets the kept message with the provider id, as a
// provider deletes one on request. An id it does not keep is ENOTFOUND;
// an empty id is EINVALID.
func (g *Gateway) DeleteMessage(ctx context.Context, providerID string) error {
	if providerID == "" {
		return panel.Errorf(panel.EINVALID, "deleting a message needs a provider id")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("smssim: delete: %w", &panel.SendError{Retryable: true, Message: "request cancelled"})
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	i, ok := g.index[providerID]
	if !ok {
		return panel.Errorf(panel.ENOTFOUND, "the simulator has no message %s", providerID)
	}
	delete(g.index, providerID)
	g.kept[i] = Message{} // an empty slot; Messages leaves it out
	return nil
}

// Messages returns the kept messages, oldest first.
func (g *Gateway) Messages() []Message {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Message, 0, len(g.kept))
	for _, m := range append(slices.Clone(g.kept[g.next:]), g.kept[:g.next]...) {
		if m.ProviderID != "" {
			out = append(out, m)
		}
	}
	return out
}

// Total returns how many messages were accepted, including forgotten ones.
func (g *Gateway) Total() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total
}

// CountTo returns how many kept messages went to the number.
func (g *Gateway) CountTo(to panel.Phone) int {
	n := 0
	for _, m := range g.Messages() {
		if m.To == to {
			n++
		}
	}
	return n
}
