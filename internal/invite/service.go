// Package invite runs a campaign's invitation round: it reads the
// organiser's recipient file, renders the invitation text and hands one
// invitation per recipient to the durable outbox (which the sender
// drains), pauses and resumes the campaign, and reports progress. It
// implements panel.InvitationService on top of the store's interfaces.
package invite

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/recipientcsv"
)

// Store is what the service needs from storage (*store.Store).
type Store interface {
	panel.CampaignService
	panel.RecipientService
	panel.QuotaService
	// ImportCampaignRecipients stores rows all or nothing with the audit
	// event; rejected is how many rows the caller dropped before.
	ImportCampaignRecipients(ctx context.Context, campaignID int64, rows []panel.RecipientInput, rejected int) (int, error)
	// ImportRecipientStream stores the rows of src as one import, all or
	// nothing unless partial, with the audit event.
	ImportRecipientStream(ctx context.Context, campaignID int64, src panel.RecipientSource, partial bool) (panel.ImportResult, error)
	// StartSending enqueues the invitations with body and sets the
	// campaign sending, with the audit event.
	StartSending(ctx context.Context, campaignID int64, body string) (panel.SendResult, error)
	// ChangeCampaignState pauses or resumes, with the audit event.
	ChangeCampaignState(ctx context.Context, campaignID int64, action string) (*panel.Campaign, error)
	// CountMessagesByState counts the campaign's messages of one kind.
	CountMessagesByState(ctx context.Context, campaignID int64, kind string) (map[string]int, error)
	// CampaignSendStats counts all the campaign's messages per state.
	CampaignSendStats(ctx context.Context, campaignID int64) (panel.SendStats, error)
}

// Pool reports a campaign's volunteer pool against quotas
// (*inbox.Service).
type Pool interface {
	Composition(ctx context.Context, campaignID int64, quotas []panel.Quota) (panel.Composition, error)
}

// Config holds the service's options; zero fields take the defaults
// WithDefaults fills in.
type Config struct {
	// Region is the default region of phone numbers without a country
	// code. Default "NO".
	Region string
	// Texts are the invitation's placeholder values and segment limits.
	// Default: Keyword DefaultKeyword, MaxSegments DefaultMaxSegments.
	Texts Texts
	// Logger receives counts and ids, never numbers or texts. Default: discard.
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Region == "" {
		c.Region = "NO"
	}
	c.Texts = c.Texts.withDefaults()
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Service implements panel.InvitationService. It is safe for concurrent use.
type Service struct {
	store  Store
	pool   Pool
	region string
	texts  Texts
	log    *slog.Logger
}

var _ panel.InvitationService = (*Service)(nil)

// New returns a Service over store that reports the pool with pool; both
// are required, and a missing one is an error naming it.
func New(store Store, pool Pool, cfg Config) (*Service, error) {
	switch {
	case store == nil:
		return nil, errors.New("invite: missing store")
	case pool == nil:
		return nil, errors.New("invite: missing pool")
	}
	cfg = cfg.WithDefaults()
	return &Service{store: store, pool: pool, region: cfg.Region, texts: cfg.Texts, log: cfg.Logger}, nil
}

// ImportRecipientsCSV implements panel.InvitationService. The file is
// streamed: read, checked and stored in batches in one transaction, so a
// file of a million rows needs a few megabytes beyond the numbers seen.
func (s *Service) ImportRecipientsCSV(ctx context.Context, campaignID int64, r io.Reader, opts panel.ImportOptions) (panel.ImportResult, error) {
	if _, err := s.store.FindCampaignByID(ctx, campaignID); err != nil {
		return panel.ImportResult{}, err
	}
	sc, err := recipientcsv.NewScanner(r, s.region, opts.Columns)
	if err != nil {
		return panel.ImportResult{}, err
	}
	res, err := s.store.ImportRecipientStream(ctx, campaignID, sc, opts.Partial)
	if err != nil {
		return panel.ImportResult{}, err
	}
	res.Columns = sc.Assigned()
	s.log.InfoContext(ctx, "recipients imported", slog.Int64("campaign_id", campaignID),
		slog.Int("imported", res.Imported), slog.Int("rejected", len(res.Rejected)+res.RejectedUnlisted), slog.Bool("partial", opts.Partial))
	return res, nil
}

// Send implements panel.InvitationService: it renders the campaign's
// invitation once (its placeholders are the same for everyone) and
// enqueues it for every recipient without one.
func (s *Service) Send(ctx context.Context, campaignID int64) (panel.SendResult, error) {
	c, err := s.store.FindCampaignByID(ctx, campaignID)
	if err != nil {
		return panel.SendResult{}, err
	}
	body, err := s.texts.RenderInvitation(c)
	if err != nil {
		return panel.SendResult{}, err
	}
	res, err := s.store.StartSending(ctx, campaignID, body)
	if err != nil {
		return panel.SendResult{}, err
	}
	s.log.InfoContext(ctx, "invitations enqueued", slog.Int64("campaign_id", campaignID), slog.Int("enqueued", res.Enqueued))
	return res, nil
}

// Pause implements panel.InvitationService.
func (s *Service) Pause(ctx context.Context, campaignID int64) (*panel.Campaign, error) {
	return s.store.ChangeCampaignState(ctx, campaignID, panel.ActionPause)
}

// Resume implements panel.InvitationService.
func (s *Service) Resume(ctx context.Context, campaignID int64) (*panel.Campaign, error) {
	return s.store.ChangeCampaignState(ctx, campaignID, panel.ActionResume)
}

// Stats implements panel.InvitationService.
func (s *Service) Stats(ctx context.Context, campaignID int64) (panel.CampaignStats, error) {
	c, err := s.store.FindCampaignByID(ctx, campaignID)
	if err != nil {
		return panel.CampaignStats{}, err
	}
	recipients, err := s.store.CountRecipientsByState(ctx, campaignID)
	if err != nil {
		return panel.CampaignStats{}, err
	}
	msgs, err := s.store.CountMessagesByState(ctx, campaignID, panel.KindInvitation)
	if err != nil {
		return panel.CampaignStats{}, err
	}
	quotas, err := s.store.ListQuotas(ctx, campaignID)
	if err != nil {
		return panel.CampaignStats{}, err
	}
	pool, err := s.pool.Composition(ctx, campaignID, quotas)
	if err != nil {
		return panel.CampaignStats{}, err
	}
	all, err := s.store.CampaignSendStats(ctx, campaignID)
	if err != nil {
		return panel.CampaignStats{}, err
	}
	st := panel.CampaignStats{
		Messages:    all,
		CampaignID:  campaignID,
		State:       c.State,
		Queued:      msgs[panel.MessageQueued] + msgs[panel.MessageSending],
		Sent:        msgs[panel.MessageSent],
		Delivered:   msgs[panel.MessageDelivered],
		Failed:      msgs[panel.MessageUndelivered] + msgs[panel.MessageFailed],
		Cancelled:   msgs[panel.MessageCancelled],
		Volunteers:  recipients[panel.RecipientVolunteered],
		Declined:    recipients[panel.RecipientDeclined],
		OptedOut:    recipients[panel.RecipientOptedOut],
		Unreachable: recipients[panel.RecipientUnreachable],
		Pool:        pool,
	}
	for _, n := range recipients {
		st.Recipients += n
	}
	for _, n := range msgs {
		st.Invitations += n
	}
	return st, nil
}

// CheckTexts implements panel.InvitationService.
func (s *Service) CheckTexts(c *panel.Campaign) error { return s.texts.Check(c) }
