package sender

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Defaults of PollerConfig.
const (
	DefaultPollEvery      = time.Minute
	DefaultPollBatch      = 50
	DefaultPollRate       = 10.0
	DefaultPollLease      = 2 * time.Minute
	DefaultPollTimeout    = 15 * time.Second
	DefaultPollRetryDelay = 5 * time.Minute
)

// DefaultPollSchedule is when a sent message without a final status is
// checked, by its age since it was sent: the last entry is when the
// poller gives up.
var DefaultPollSchedule = []time.Duration{
	10 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour,
}

// Results of a status poll, passed to PollerConfig.Observe.
const (
	PollDelivered   = "delivered"   // the provider reports delivery; applied
	PollUndelivered = "undelivered" // the provider could not deliver it; applied
	PollFailed      = "failed"      // the provider failed it; applied
	PollCancelled   = "cancelled"   // the provider cancelled it; applied
	PollPending     = "pending"     // no final status yet: checked again later
	PollNotFound    = "not_found"   // the provider does not know the id: checked again later
	PollError       = "error"       // the fetch or the write failed: tried again later
	PollGaveUp      = "gave_up"     // not a fetch: a message left sent after its last check
)

// PollStore is what a Poller needs of the store: the status checks and
// the outbox's forward-only ApplyStatus.
type PollStore interface {
	panel.StatusChecks
	// ApplyStatus is panel.Outbox's.
	ApplyStatus(ctx context.Context, providerID, status string, errorCode int, at time.Time) error
}

// PollerConfig configures a Poller. Every field has the documented
// default, which WithDefaults fills in.
type PollerConfig struct {
	// Schedule is when a sent message is checked, by age since it was
	// sent, ascending; the check at or after the last age is the last
	// one. A message is checked once at the first age it reaches, then at
	// the next age still ahead (so one sent during a long outage is not
	// checked for every age it passed). Default DefaultPollSchedule
	// (10 min, 30 min, 2 h, 6 h, 12 h, 24 h, 48 h).
	Schedule []time.Duration
	// Every is how often Run looks for messages to check. Default 1 min.
	Every time.Duration
	// Batch is how many messages one claim takes. Default 50.
	Batch int
	// Rate bounds the fetches per second. Default 10.
	Rate float64
	// Lease is how long a claimed batch belongs to this poller. Default
	// 2 min; it must exceed Timeout. A fetch starts only while the lease
	// has Timeout left; the rest of the batch waits for the lease to run
	// out and is claimed again.
	Lease time.Duration
	// Timeout bounds one fetch. Default 15 s.
	Timeout time.Duration
	// RetryDelay is the wait after a rate limit, a server error or no
	// answer, which do not count as a check (at least the provider's
	// Retry-After). A rate limit also ends the batch. Default 5 min.
	RetryDelay time.Duration

	// Clock gives the time. Default time.Now.
	Clock func() time.Time
	// Sleep waits for d or until ctx ends, returning ctx.Err() then.
	// Default: a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives the poller's logs (ids, statuses and error codes;
	// never a number or a body). Default: discard.
	Logger *slog.Logger
	// Observe, when set, is told the result of every poll (PollDelivered,
	// ...) and every PollGaveUp, e.g. to count them in Prometheus. It must
	// be fast and safe for concurrent use.
	Observe func(result string)
}

// WithDefaults returns c with every unset field filled in.
func (c PollerConfig) WithDefaults() PollerConfig {
	if len(c.Schedule) == 0 {
		c.Schedule = DefaultPollSchedule
	}
	c.Schedule = slices.Clone(c.Schedule)
	if c.Every == 0 {
		c.Every = DefaultPollEvery
	}
	if c.Batch == 0 {
		c.Batch = DefaultPollBatch
	}
	if c.Rate == 0 {
		c.Rate = DefaultPollRate
	}
	if c.Lease == 0 {
		c.Lease = DefaultPollLease
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultPollTimeout
	}
	if c.RetryDelay == 0 {
		c.RetryDelay = DefaultPollRetryDelay
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Observe == nil {
		c.Observe = func(string) {}
	}
	return c
}

// validate checks a PollerConfig with defaults filled in.
func (c PollerConfig) validate(store PollStore, gateway panel.SMSGateway) error {
	var problems []string
	if store == nil {
		problems = append(problems, "Store is required")
	}
	if gateway == nil {
		problems = append(problems, "Gateway is required")
	}
	if c.Schedule[0] <= 0 || !slices.IsSorted(c.Schedule) {
		problems = append(problems, "Schedule must be positive and ascending")
	}
	if c.Every < 0 || c.Batch < 0 || c.Timeout < 0 || c.RetryDelay < 0 {
		problems = append(problems, "Every, Batch, Timeout and RetryDelay must be positive")
	}
	if math.IsNaN(c.Rate) || c.Rate < 0 {
		problems = append(problems, "Rate must be positive")
	}
	if c.Lease <= c.Timeout {
		problems = append(problems, "Lease must exceed Timeout")
	}
	if len(problems) > 0 {
		return errors.New("status poller config: " + strings.Join(problems, "; "))
	}
	return nil
}

// Poller fetches the delivery status of messages that stayed in state
// sent because their status callbacks were lost (the service was down, a
// deploy, a database restart, when the provider posted them) and applies
// what it finds with ApplyStatus, forward only. Several Pollers (also in
// several replicas) may share a store: each message is claimed by one at
// a time. Create it with NewPoller.
type Poller struct {
	store   PollStore
	gateway panel.SMSGateway
	cfg     PollerConfig
	log     *slog.Logger
	bucket  *bucket
}

var _ panel.Worker = (*Poller)(nil)

// NewPoller returns a Poller that checks the messages of store with
// gateway, both required, with cfg's defaults filled in, or an error
// naming what is missing or wrong.
func NewPoller(store PollStore, gateway panel.SMSGateway, cfg PollerConfig) (*Poller, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(store, gateway); err != nil {
		return nil, err
	}
	return &Poller{store: store, gateway: gateway, cfg: cfg, log: cfg.Logger.With(slog.String("job", "status_poll")), bucket: newBucket(cfg.Rate, 1)}, nil
}

// Run polls every Every until ctx ends, and returns nil then.
func (p *Poller) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		if _, err := p.Tick(ctx); err != nil && ctx.Err() == nil {
			p.log.ErrorContext(ctx, "status poll failed", slog.String("error", err.Error()))
		}
		if p.cfg.Sleep(ctx, p.cfg.Every) != nil {
			break
		}
	}
	return nil
}

// Tick checks every message due now, batch after batch, and returns how
// many fetches it made. It returns the first store error of a claim, and
// stops early (without error) at a rate limit or when ctx ends.
func (p *Poller) Tick(ctx context.Context) (int, error) {
	fetched := 0
	for ctx.Err() == nil {
		now := p.cfg.Clock()
		checks, err := p.store.ClaimStatusChecks(ctx, now, now.Add(-p.cfg.Schedule[0]), p.cfg.Batch, p.cfg.Lease)
		if err != nil {
			return fetched, fmt.Errorf("claim status checks: %w", err)
		}
		if len(checks) == 0 {
			return fetched, nil
		}
		n, more := p.batch(ctx, checks, now.Add(p.cfg.Lease))
		fetched += n
		if !more {
			return fetched, nil
		}
	}
	return fetched, nil
}

// batch checks the claimed messages one at a time at Rate. It returns
// how many it fetched and whether the tick may go on (no rate limit, no
// lease running out, ctx not ended).
func (p *Poller) batch(ctx context.Context, checks []panel.StatusCheck, leaseUntil time.Time) (int, bool) {
	fetched := 0
	for i, c := range checks {
		if err := p.cfg.Sleep(ctx, p.bucket.take(p.cfg.Clock())); err != nil {
			return fetched, false // the rest wait for their lease to run out
		}
		if p.cfg.Clock().Add(p.cfg.Timeout).After(leaseUntil) {
			return fetched, false // idem: no fetch may outlive the lease
		}
		fetched++
		if limited := p.check(ctx, c); limited {
			p.postpone(ctx, checks[i+1:], p.cfg.Clock().Add(p.cfg.RetryDelay))
			return fetched, false
		}
	}
	return fetched, true
}

// check fetches one message's status, applies it and records the check.
// It reports whether the provider rate-limited the fetch.
func (p *Poller) check(ctx context.Context, c panel.StatusCheck) (rateLimited bool) {
	attrs := []slog.Attr{slog.Int64("message_id", c.ID), slog.Int64("campaign_id", c.CampaignID),
		slog.String("provider_id", c.ProviderID), slog.Int("check", c.Checks+1)}
	callCtx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	pm, err := p.gateway.Status(callCtx, c.ProviderID)
	cancel()
	now := p.cfg.Clock()
	counted, next, result, applied := true, p.next(c.SentAt, now), PollPending, false

	var se *panel.SendError
	switch {
	case err == nil:
		state, final := finalStatuses[strings.ToLower(pm.Status)]
		attrs = append(attrs, slog.String("status", pm.Status), slog.Int("error_code", pm.ErrorCode))
		if !final {
			p.log.LogAttrs(ctx, slog.LevelDebug, "delivery status not final yet", attrs...)
			break
		}
		wctx, cancel := finishContext(ctx)
		err := p.store.ApplyStatus(wctx, c.ProviderID, pm.Status, pm.ErrorCode, now)
		cancel()
		if err != nil {
			p.log.LogAttrs(ctx, slog.LevelWarn, "could not apply a fetched delivery status", append(attrs, slog.String("error", err.Error()))...)
			counted, next, result = false, now.Add(p.cfg.RetryDelay), PollError
			break
		}
		result, applied = state, true
		p.log.LogAttrs(ctx, slog.LevelInfo, "applied a delivery status whose callback was lost", attrs...)
	case panel.ErrorCode(err) == panel.ENOTFOUND:
		result = PollNotFound
		p.log.LogAttrs(ctx, slog.LevelWarn, "the provider does not know the message; checking again later",
			append(attrs, slog.String("error", err.Error()))...)
	case errors.As(err, &se) && se.Retryable:
		counted, next, result = false, now.Add(max(p.cfg.RetryDelay, se.RetryAfter)), PollError
		rateLimited = se.HTTPStatus == 429 || se.Code == 20429
		p.log.LogAttrs(ctx, slog.LevelWarn, "could not fetch a delivery status; trying again later",
			append(attrs, slog.Int("http_status", se.HTTPStatus), slog.Int("error_code", se.Code), slog.String("error", err.Error()))...)
	default:
		result = PollError
		p.log.LogAttrs(ctx, slog.LevelWarn, "the provider refused a status fetch; checking again later",
			append(attrs, slog.String("error", err.Error()))...)
	}
	if !counted && p.next(c.SentAt, now).IsZero() {
		// Past the last scheduled age: no more retries either.
		counted, next = true, time.Time{}
	}
	p.cfg.Observe(result)
	if counted && next.IsZero() && !applied {
		p.cfg.Observe(PollGaveUp)
		p.log.LogAttrs(ctx, slog.LevelWarn, "gave up checking the delivery status; the message stays sent", attrs...)
	}
	wctx, cancel := finishContext(ctx)
	defer cancel()
	if _, err := p.store.FinishStatusCheck(wctx, c.ID, c.Checks, counted, next); err != nil {
		p.log.LogAttrs(ctx, slog.LevelWarn, "could not record a status check", append(attrs, slog.String("error", err.Error()))...)
	}
	return rateLimited
}

// postpone gives claimed checks back uncounted, due at at.
func (p *Poller) postpone(ctx context.Context, checks []panel.StatusCheck, at time.Time) {
	ctx, cancel := finishContext(ctx)
	defer cancel()
	for _, c := range checks {
		if _, err := p.store.FinishStatusCheck(ctx, c.ID, c.Checks, false, at); err != nil {
			p.log.WarnContext(ctx, "could not postpone a status check", slog.Int64("message_id", c.ID), slog.String("error", err.Error()))
		}
	}
}

// next returns when a message sent at sentAt is next checked after a
// check at now: at the first scheduled age still ahead, or never (zero)
// once the last age has passed.
func (p *Poller) next(sentAt, now time.Time) time.Time {
	for _, age := range p.cfg.Schedule {
		if at := sentAt.Add(age); at.After(now) {
			return at
		}
	}
	return time.Time{}
}

// finalStatuses maps the provider's final statuses to poll results.
var finalStatuses = map[string]string{
	"delivered": PollDelivered, "read": PollDelivered,
	"undelivered": PollUndelivered, "failed": PollFailed, "canceled": PollCancelled,
}
