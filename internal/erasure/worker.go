package erasure

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Defaults of Config.
const (
	DefaultEvery = time.Minute
	DefaultBatch = 100
	DefaultLease = 5 * time.Minute
	// MaxBackoff caps the delay between attempts to delete one message.
	MaxBackoff = 6 * time.Hour
	// firstBackoff is the delay after the first failure; it doubles.
	firstBackoff = time.Minute
)

// Config configures a Worker. Zero fields take the documented defaults
// (WithDefaults).
type Config struct {
	// Every is the pause between rounds. Default DefaultEvery.
	Every time.Duration
	// Batch is how many provider deletions one round claims. Default
	// DefaultBatch.
	Batch int
	// Lease holds claimed deletions back from other replicas. Default
	// DefaultLease.
	Lease time.Duration
	// Retention is how long an SMS from a number in no campaign is kept.
	// Default panel.DefaultUnknownInboundRetention (30 days).
	Retention time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives a line per failure and per round that did something
	// (counts and provider ids, never numbers or bodies). Default: discard.
	Logger *slog.Logger
	// Observe counts outcomes for metrics: n provider deletions "deleted"
	// (the provider deleted the message), "gone" (it held none),
	// "failed" (to be tried again), or SMS "unknown_inbound_purged".
	// Default: none.
	Observe func(result string, n int)
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Every <= 0 {
		c.Every = DefaultEvery
	}
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.Lease <= 0 {
		c.Lease = DefaultLease
	}
	if c.Retention <= 0 {
		c.Retention = panel.DefaultUnknownInboundRetention
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Observe == nil {
		c.Observe = func(string, int) {}
	}
	return c
}

// Store is what the worker needs of the database.
type Store interface {
	panel.ProviderDeletionQueue
	PurgeUnknownInbound(ctx context.Context, receivedBefore time.Time) (int, error)
}

// Worker deletes purged messages at the provider and purges old SMS from
// unknown numbers. It implements panel.Worker.
type Worker struct {
	store   Store
	gateway panel.SMSGateway
	cfg     Config
}

var _ panel.Worker = (*Worker)(nil)

// New returns a Worker; store and gateway are required.
func New(store Store, gateway panel.SMSGateway, cfg Config) (*Worker, error) {
	if store == nil || gateway == nil {
		return nil, errors.New("erasure: a store and an SMS gateway are required")
	}
	return &Worker{store: store, gateway: gateway, cfg: cfg.WithDefaults()}, nil
}

// Result counts what one round did.
type Result struct {
	Deleted       int // provider copies deleted (or found gone)
	Failed        int // provider deletions that failed and will be tried again
	InboundPurged int // SMS from unknown numbers purged
}

// Run works in rounds until ctx ends; see panel.Worker.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.cfg.Every)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.cfg.Logger.WarnContext(ctx, "erasure round failed", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Round does one round: every due provider deletion of one batch, then
// the retention purge.
func (w *Worker) Round(ctx context.Context) (Result, error) {
	var res Result
	due, err := w.store.ClaimProviderDeletions(ctx, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return res, fmt.Errorf("erasure: claim provider deletions: %w", err)
	}
	for _, d := range due {
		if ctx.Err() != nil {
			return res, nil // the lease runs out; the next round takes them up
		}
		if err := w.deleteOne(ctx, d); err != nil {
			res.Failed++
			continue
		}
		res.Deleted++
	}
	n, err := w.store.PurgeUnknownInbound(ctx, w.cfg.Now().Add(-w.cfg.Retention))
	if err != nil {
		return res, fmt.Errorf("erasure: purge unknown inbound: %w", err)
	}
	res.InboundPurged = n
	if n > 0 {
		w.cfg.Observe("unknown_inbound_purged", n)
	}
	if res.Deleted+res.Failed+res.InboundPurged > 0 {
		w.cfg.Logger.InfoContext(ctx, "erasure round", slog.Int("provider_deleted", res.Deleted),
			slog.Int("provider_failed", res.Failed), slog.Int("unknown_inbound_purged", res.InboundPurged))
	}
	return res, nil
}

// deleteOne asks the provider to delete one message and records the
// outcome: done when deleted or unknown there, else a failed attempt with
// its reason and the next try.
func (w *Worker) deleteOne(ctx context.Context, d panel.ProviderDeletion) error {
	err := w.gateway.DeleteMessage(ctx, d.ProviderID)
	if err == nil || panel.ErrorCode(err) == panel.ENOTFOUND {
		if derr := w.store.ProviderDeletionDone(ctx, d.ID); derr != nil {
			return fmt.Errorf("erasure: record deletion %d: %w", d.ID, derr)
		}
		if err == nil {
			w.cfg.Observe("deleted", 1)
		} else {
			w.cfg.Observe("gone", 1)
		}
		return nil
	}
	w.cfg.Observe("failed", 1)
	next := w.cfg.Now().Add(Backoff(d.Attempts + 1))
	w.cfg.Logger.WarnContext(ctx, "provider message deletion failed; will retry",
		slog.String("provider_id", d.ProviderID), slog.Int("attempts", d.Attempts+1),
		slog.Time("next_attempt_at", next), slog.String("error", err.Error()))
	if rerr := w.store.ProviderDeletionFailed(ctx, d.ID, err.Error(), next); rerr != nil {
		return fmt.Errorf("erasure: record failed deletion %d: %w", d.ID, rerr)
	}
	return err
}

// Backoff is the delay before attempt n+1 after n failed attempts: one
// minute, doubling, at most MaxBackoff.
func Backoff(failed int) time.Duration {
	d := firstBackoff
	for i := 1; i < failed && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}
