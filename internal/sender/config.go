package sender

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Defaults of Config.
const (
	DefaultRate         = 10.0
	DefaultMaxAttempts  = 8
	DefaultBackoffBase  = time.Second
	DefaultBackoffMax   = 10 * time.Minute
	DefaultLease        = 2 * time.Minute
	DefaultSendTimeout  = 15 * time.Second
	DefaultBatch        = 50
	DefaultWorkers      = 16
	DefaultPollInterval = time.Second
)

// Policy is how fast and when one campaign's messages may be sent.
type Policy struct {
	Rate  float64          // messages per second; math.Inf(1) means no limit
	Burst int              // token bucket size, 1..Rate; 0 means 1
	Quiet panel.QuietHours // daily window without sending, in Config.Location
}

// PolicyFunc looks up a campaign's Policy.
type PolicyFunc func(ctx context.Context, campaignID int64) (Policy, error)

// Config configures a Sender. Owner is required; the other fields have
// the documented defaults, which WithDefaults fills in.
type Config struct {
	// Owner names this sender in leases. It must be unique among running
	// senders, e.g. host name, process id and a random suffix. Required.
	Owner string
	// StatusCallbackURL is passed with every message for delivery status
	// callbacks; "" for none.
	StatusCallbackURL string

	// Rate is the messages per second of campaigns without a Policy
	// (Policy is nil). Default 10; math.Inf(1) lifts the limit.
	Rate float64
	// Burst is the token bucket size with Rate, 1..Rate. Default 1, which
	// spaces messages evenly.
	Burst int
	// QuietHours is the daily window without sending with Rate. Default
	// none. Messages due inside it wait in the queue until it ends.
	QuietHours panel.QuietHours
	// Policy, when set, gives each campaign its own rate and quiet hours
	// and overrides Rate, Burst and QuietHours. See CampaignPolicy.
	Policy PolicyFunc
	// Location is the time zone of quiet hours. Default UTC; the service
	// passes PANEL_TIMEZONE (Europe/Oslo).
	Location *time.Location

	// MaxAttempts is how many times a message is tried before it fails.
	// Default 8.
	MaxAttempts int
	// BackoffBase and BackoffMax bound the retry delay: attempt n waits a
	// uniformly random time in [0, min(BackoffMax, BackoffBase*2^(n-1))],
	// but at least the provider's Retry-After. Defaults 1 s and 10 min.
	BackoffBase, BackoffMax time.Duration
	// Lease is how long a claimed batch belongs to this sender. Default
	// 2 min; it must exceed 2*SendTimeout.
	Lease time.Duration
	// SendTimeout bounds one provider call. Default 15 s.
	SendTimeout time.Duration
	// Batch is how many messages one claim takes. Default 50.
	Batch int
	// Workers is how many provider calls run at once. Default 16.
	Workers int
	// PollInterval is how long Run waits when nothing is due. Default 1 s.
	PollInterval time.Duration

	// Clock gives the time. Default time.Now.
	Clock func() time.Time
	// Sleep waits for d or until ctx ends, returning ctx.Err() then.
	// Default: a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand draws backoff jitter. Default: a PCG seeded from the clock.
	// The Sender serialises its use.
	Rand *rand.Rand
	// Logger receives the sender's logs. Default: discard.
	Logger *slog.Logger
	// Observe, when set, is told every outcome (OutcomeSent, ...) with the
	// provider's error code (0 for none), e.g. to count them in
	// Prometheus. It must be fast and safe for concurrent use.
	Observe func(outcome string, code int)
}

// Outcomes passed to Config.Observe.
const (
	OutcomeSent     = "sent"     // the provider accepted the message
	OutcomeAdopted  = "adopted"  // an earlier, in-doubt attempt had reached the provider
	OutcomeRetried  = "retried"  // rate limited, server error or no answer: tried again later
	OutcomeFailed   = "failed"   // refused permanently or out of attempts
	OutcomeReleased = "released" // given back unsent (quiet hours, shutdown, lease running out)
)

// WithDefaults returns c with every unset field filled in.
func (c Config) WithDefaults() Config {
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if c.Burst == 0 {
		c.Burst = 1
	}
	if c.QuietHours == (panel.QuietHours{}) {
		c.QuietHours = panel.QuietHours{Off: true}
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BackoffBase == 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.BackoffMax == 0 {
		c.BackoffMax = DefaultBackoffMax
	}
	if c.Lease == 0 {
		c.Lease = DefaultLease
	}
	if c.SendTimeout == 0 {
		c.SendTimeout = DefaultSendTimeout
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Rand == nil {
		seed := uint64(c.Clock().UnixNano())
		c.Rand = rand.New(rand.NewPCG(seed, seed>>1|1))
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Observe == nil {
		c.Observe = func(string, int) {}
	}
	return c
}

// validate checks a Config with defaults filled in, and the Sender's
// dependencies.
func (c Config) validate(outbox panel.Outbox, gateway panel.SMSGateway) error {
	var problems []string
	if strings.TrimSpace(c.Owner) == "" {
		problems = append(problems, "Owner is required")
	}
	if outbox == nil {
		problems = append(problems, "Outbox is required")
	}
	if gateway == nil {
		problems = append(problems, "Gateway is required")
	}
	if math.IsNaN(c.Rate) || c.Rate < 0 {
		problems = append(problems, "Rate must be positive")
	}
	if c.Burst < 0 || c.MaxAttempts < 0 || c.Batch < 0 || c.Workers < 0 {
		problems = append(problems, "Burst, MaxAttempts, Batch and Workers must be positive")
	}
	if c.BackoffBase < 0 || c.BackoffMax < c.BackoffBase {
		problems = append(problems, "BackoffBase must be positive and at most BackoffMax")
	}
	if c.Lease <= 2*c.SendTimeout {
		problems = append(problems, "Lease must exceed 2*SendTimeout")
	}
	if len(problems) > 0 {
		return errors.New("sender config: " + strings.Join(problems, "; "))
	}
	return nil
}

// sleep waits for d on a real timer or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
