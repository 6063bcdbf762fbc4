package draw

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Store is what the service needs from storage.
type Store interface {
	panel.DrawStore
	panel.QuotaService
	panel.VolunteerImporter
	// CampaignDraws returns the campaign's draws, newest first.
	CampaignDraws(ctx context.Context, campaignID int64) ([]*panel.Draw, error)
	// ListPool returns the campaign's complete volunteers in id order.
	ListPool(ctx context.Context, campaignID int64) ([]*panel.Volunteer, error)
	// FindCampaignByID returns the campaign, or ENOTFOUND.
	FindCampaignByID(ctx context.Context, id int64) (*panel.Campaign, error)
	// RecordSecret returns the campaign's never-published secret that keys
	// household keys and imported volunteers' pseudonyms, or ENOTFOUND.
	RecordSecret(ctx context.Context, campaignID int64) ([]byte, error)
	// CampaignDialogue returns the campaign's dialogue (the default when
	// none is set): its attribute rules map imported volunteers' values.
	CampaignDialogue(ctx context.Context, campaignID int64) (panel.DialogueConfig, error)
	// PoolAttributes returns the register attributes of the recipients
	// behind the campaign's complete SMS volunteers, by recipient id.
	PoolAttributes(ctx context.Context, campaignID int64) (map[int64]map[string]string, error)
}

// Config holds the service's settings; zero fields take the defaults
// WithDefaults documents.
type Config struct {
	// Software names the program in draw records. Default "panel".
	Software string
	// Location is the time zone deadlines are written in. Default Europe/Oslo
	// (UTC if the zone database is missing).
	Location *time.Location
	// Lease is how long a worker holds a committing draw before another
	// may take it over. Default 10 minutes.
	Lease time.Duration
	// InlineWait is how long POST .../draws waits for the lottery before
	// answering "committing". Default 10 seconds.
	InlineWait time.Duration
	// Interval is the period of Run's tick. Default 30 seconds.
	Interval time.Duration
	// ConfirmWithin is the default time a selected member has to confirm.
	// Default 72 hours.
	ConfirmWithin time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger gets ids and outcomes, never phone numbers or texts. Default: discard.
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Software == "" {
		c.Software = "panel"
	}
	if c.Location == nil {
		loc, err := time.LoadLocation("Europe/Oslo")
		if err != nil {
			loc = time.UTC
		}
		c.Location = loc
	}
	if c.Lease <= 0 {
		c.Lease = 10 * time.Minute
	}
	if c.InlineWait <= 0 {
		c.InlineWait = 10 * time.Second
	}
	if c.Interval <= 0 {
		c.Interval = 30 * time.Second
	}
	if c.ConfirmWithin <= 0 {
		c.ConfirmWithin = 72 * time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Service runs draws. It is safe for concurrent use.
type Service struct {
	store Store
	cfg   Config
	owner string // lease owner name of this process

	// life ends when Run's context ends; the lottery computations that
	// CreateDraw starts run under it, and wg counts them. mu orders
	// starting one (wg.Add) before Run's final wait.
	life context.Context
	end  context.CancelFunc
	mu   sync.Mutex
	wg   sync.WaitGroup
}

var (
	_ panel.Worker       = (*Service)(nil)
	_ panel.Replacements = (*Service)(nil)
)

// New returns a Service over store, which is required.
func New(store Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, errors.New("draw: missing store")
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("draw: owner name: %w", err)
	}
	life, end := context.WithCancel(context.Background())
	return &Service{store: store, cfg: cfg.WithDefaults(), owner: "draw-" + hex.EncodeToString(b), life: life, end: end}, nil
}

// Run is the draw worker: it runs Tick every Interval until ctx ends; the
// first tick runs at once, so draws left committing by a process that
// stopped are taken up. When ctx ends, the lottery computations CreateDraw
// started stop too (a draw left committing is taken up again once its
// lease runs out), and Run returns once they have, within seconds. Call
// Run once.
func (s *Service) Run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, s.end)
	defer stop()
	defer s.waitComputations()
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.WarnContext(ctx, "draw tick", slog.String("code", panel.ErrorCode(err)), slog.String("error", panel.ErrorMessage(err)))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// waitComputations ends the lottery computations and waits for them.
func (s *Service) waitComputations() {
	s.mu.Lock()
	s.end() // under mu: no computation starts after this
	s.mu.Unlock()
	s.wg.Wait()
}

// Tick does the periodic work once: computes committing draws, drops
// selected members past their confirmation deadline, and replaces members
// who left. It returns the first error and carries on after it.
func (s *Service) Tick(ctx context.Context) error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	for {
		done, err := s.commitOne(ctx)
		keep(err)
		if !done || err != nil {
			break
		}
	}
	_, err := s.store.ExpireUnconfirmed(panel.WithActor(ctx, panel.SystemActor), s.cfg.Now())
	keep(err)
	ids, err := s.store.DrawsToReplace(ctx)
	keep(err)
	for _, id := range ids {
		keep(s.ReplaceDropouts(panel.WithActor(ctx, panel.SystemActor), id))
	}
	return first
}
