package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Store is what the service needs from storage.
type Store interface {
	panel.InboundStore
	// ListPool returns the campaign's complete volunteers in id order.
	ListPool(ctx context.Context, campaignID int64) ([]*panel.Volunteer, error)
}

// Config holds the service's options; zero fields take the defaults
// WithDefaults fills in.
type Config struct {
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger gets ids and outcomes, never numbers or texts. Default: discard.
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Service handles inbound SMS and reports the volunteer pool. It is safe
// for concurrent use.
type Service struct {
	store  Store
	logger *slog.Logger
	now    func() time.Time

	absences     panel.Absences     // the absences of confirmed members who cannot come
	replacements panel.Replacements // refills the seats of members who left, at once
}

// New returns a Service over store that routes the replies of panel
// members of a seeded draw: absences go to absences, and seats left by
// declines and STOPs are refilled by replacements at once (a periodic job
// of the draw service catches up if this fails). Every dependency is
// required: a nil one is an error naming it.
func New(store Store, absences panel.Absences, replacements panel.Replacements, cfg Config) (*Service, error) {
	var missing []string
	for _, d := range []struct {
		name string
		nil  bool
	}{{"store", store == nil}, {"absences", absences == nil}, {"replacements", replacements == nil}} {
		if d.nil {
			missing = append(missing, d.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("inbox: missing %s", strings.Join(missing, ", "))
	}
	cfg = cfg.WithDefaults()
	return &Service{store: store, logger: cfg.Logger, now: cfg.Now, absences: absences, replacements: replacements}, nil
}

// Handle stores one inbound SMS, runs the dialogue and returns the text to
// answer with ("" for no answer). The same ProviderID again returns the
// first answer and changes nothing. EINVALID (from the store) for a message
// without id or sender; other errors mean nothing was stored and the
// provider should retry. Logs carry ids and outcomes, never the number or
// the body.
func (s *Service) Handle(ctx context.Context, in panel.InboundSMS) (string, error) {
	now := s.now()
	var member memberFollowUp
	res, err := s.store.ProcessInbound(ctx, in, func(snap *panel.DialogueSnapshot) (*panel.DialogueOutcome, error) {
		out := decide(now, in, snap)
		member = followUp(in, snap, out)
		return out, nil
	})
	if err != nil {
		s.logger.WarnContext(ctx, "inbound sms not handled",
			slog.String("code", panel.ErrorCode(err)), slog.String("error", causeOf(err, in)))
		return "", err
	}
	m := res.Message
	s.logger.InfoContext(ctx, "inbound sms",
		slog.Int64("message_id", m.ID), slog.Int64("campaign_id", m.CampaignID),
		slog.Int64("recipient_id", m.RecipientID), slog.String("state", m.State),
		slog.Bool("duplicate", res.Duplicate), slog.Bool("inbox", m.Inbox == panel.InboxOpen),
		slog.Bool("replied", res.Reply != ""))
	if !res.Duplicate {
		member.run(ctx, s, m.RecipientID, in.Body)
	}
	return res.Reply, nil
}

// Pool returns the campaign's complete volunteers with their category
// values, in id order.
func (s *Service) Pool(ctx context.Context, campaignID int64) ([]*panel.Volunteer, error) {
	return s.store.ListPool(ctx, campaignID)
}

// Composition counts the campaign's pool per category value against
// quotas and lists the quota minimums the pool cannot meet now.
func (s *Service) Composition(ctx context.Context, campaignID int64, quotas []panel.Quota) (panel.Composition, error) {
	pool, err := s.store.ListPool(ctx, campaignID)
	if err != nil {
		return panel.Composition{}, err
	}
	return panel.Compose(pool, quotas), nil
}

// Inbox lists the campaign's messages that wait for an organiser (or were
// resolved), oldest first, with the total count.
func (s *Service) Inbox(ctx context.Context, campaignID int64, f panel.InboxFilter) ([]*panel.InboundMessage, int, error) {
	return s.store.ListInbox(ctx, campaignID, f)
}

// Resolve marks an inbox message resolved with a note. ENOTFOUND when the
// campaign has no such inbox message, ECONFLICT when it is resolved.
func (s *Service) Resolve(ctx context.Context, campaignID, messageID int64, resolution string) (*panel.InboundMessage, error) {
	return s.store.ResolveInbox(ctx, campaignID, messageID, resolution)
}

// causeOf is err's whole chain for the log, so an outage shows its cause
// (a timeout, a refused connection), with the message's number and body
// cut out should a driver ever quote them.
func causeOf(err error, in panel.InboundSMS) string {
	text := err.Error()
	for _, secret := range []string{string(in.From), in.Body} {
		if len(secret) >= redactMin {
			text = strings.ReplaceAll(text, secret, "[redacted]")
		}
	}
	return text
}

// redactMin is the shortest number or body causeOf cuts out of an error;
// shorter ones ("ja") would mangle the error's own words.
const redactMin = 4
