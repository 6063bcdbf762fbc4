package sender

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// finishTimeout bounds the writes that record outcomes after the run's
// context ended, so accepted messages are not left without their ids.
const finishTimeout = 10 * time.Second

// Sender drains an outbox. Create it with New; it is safe to run one Run
// or Drain at a time per Sender (run several Senders for more).
type Sender struct {
	outbox  panel.Outbox
	gateway panel.SMSGateway
	cfg     Config
	log     *slog.Logger
	backoff *backoff

	mu      sync.Mutex
	buckets map[int64]*bucket // per campaign; 0 when there is no Policy
}

var _ panel.Worker = (*Sender)(nil)

// New returns a Sender that drains outbox through gateway, both required,
// with cfg's defaults filled in, or an error naming what is missing or
// wrong.
func New(outbox panel.Outbox, gateway panel.SMSGateway, cfg Config) (*Sender, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(outbox, gateway); err != nil {
		return nil, err
	}
	return &Sender{
		outbox:  outbox,
		gateway: gateway,
		cfg:     cfg,
		log:     cfg.Logger.With(slog.String("sender", cfg.Owner)),
		backoff: &backoff{rng: cfg.Rand, base: cfg.BackoffBase, max: cfg.BackoffMax},
		buckets: make(map[int64]*bucket),
	}, nil
}

// Run sends due messages until ctx ends, waiting PollInterval whenever
// nothing is due or the outbox fails. It returns nil once ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		n, err := s.batch(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "send batch failed", slog.String("error", err.Error()))
		}
		if n == 0 || err != nil {
			if s.cfg.Sleep(ctx, s.cfg.PollInterval) != nil {
				break
			}
		}
	}
	return nil
}

// Drain sends until no message is due at the Clock's current time, and
// returns the first outbox error. Messages retried or held for quiet hours
// wait for a later Drain or Run.
func (s *Sender) Drain(ctx context.Context) error {
	for {
		n, err := s.batch(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return ctx.Err()
		}
	}
}

// batch claims and handles one batch and returns how many were claimed.
func (s *Sender) batch(ctx context.Context) (int, error) {
	now := s.cfg.Clock()
	msgs, err := s.outbox.Claim(ctx, s.cfg.Owner, now, s.cfg.Batch, s.cfg.Lease)
	if err != nil {
		return 0, fmt.Errorf("claim: %w", err)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	b := &run{s: s, leaseUntil: now.Add(s.cfg.Lease), policies: make(map[int64]policyResult)}
	jobs := make(chan *panel.OutboundMessage)
	var wg sync.WaitGroup
	for range min(s.cfg.Workers, len(msgs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range jobs {
				b.handle(ctx, m)
			}
		}()
	}
	for _, m := range msgs {
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	return len(msgs), b.flush(ctx)
}

// policyResult is a campaign's policy, looked up once per batch.
type policyResult struct {
	p   Policy
	err error
}

// run is the state of one claimed batch.
type run struct {
	s          *Sender
	leaseUntil time.Time

	mu       sync.Mutex
	policies map[int64]policyResult
	sent     []panel.SentResult
}

// policy returns the campaign's policy and its token bucket.
func (b *run) policy(ctx context.Context, campaignID int64) (Policy, *bucket, error) {
	s := b.s
	if s.cfg.Policy == nil {
		return Policy{Rate: s.cfg.Rate, Burst: s.cfg.Burst, Quiet: s.cfg.QuietHours}, s.bucket(0, s.cfg.Rate, s.cfg.Burst), nil
	}
	b.mu.Lock()
	r, ok := b.policies[campaignID]
	b.mu.Unlock()
	if !ok {
		p, err := s.cfg.Policy(ctx, campaignID)
		r = policyResult{p: p, err: err}
		b.mu.Lock()
		b.policies[campaignID] = r
		b.mu.Unlock()
	}
	if r.err != nil {
		return Policy{}, nil, r.err
	}
	return r.p, s.bucket(campaignID, r.p.Rate, r.p.Burst), nil
}

// bucket returns the token bucket of key, created or updated for rate.
func (s *Sender) bucket(key int64, rate float64, burst int) *bucket {
	if rate <= 0 || math.IsNaN(rate) {
		rate = DefaultRate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bk, ok := s.buckets[key]
	if !ok {
		bk = newBucket(rate, burst)
		s.buckets[key] = bk
	} else {
		bk.set(rate, burst)
	}
	return bk
}

// handle decides the fate of one claimed message.
func (b *run) handle(ctx context.Context, m *panel.OutboundMessage) {
	s := b.s
	attrs := []slog.Attr{slog.Int64("message_id", m.ID), slog.Int64("campaign_id", m.CampaignID), slog.Int("attempt", m.Attempts)}
	if ctx.Err() != nil {
		b.release(ctx, m, s.cfg.Clock(), "shutting down", attrs)
		return
	}
	policy, bk, err := b.policy(ctx, m.CampaignID)
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "no campaign policy; message waits", append(attrs, slog.String("error", err.Error()))...)
		b.release(ctx, m, s.cfg.Clock().Add(s.cfg.PollInterval), "no policy", attrs)
		return
	}
	if until, quiet := quietUntil(policy.Quiet, s.cfg.Clock(), s.cfg.Location); quiet {
		b.release(ctx, m, until, "quiet hours", attrs)
		return
	}
	if err := s.cfg.Sleep(ctx, bk.take(s.cfg.Clock())); err != nil {
		b.release(ctx, m, s.cfg.Clock(), "shutting down", attrs)
		return
	}
	now := s.cfg.Clock()
	if until, quiet := quietUntil(policy.Quiet, now, s.cfg.Location); quiet {
		b.release(ctx, m, until, "quiet hours", attrs)
		return
	}
	doubt := inDoubt(m)
	need := s.cfg.SendTimeout
	if doubt {
		need *= 2 // FindSent, then perhaps Send
	}
	if now.Add(need).After(b.leaseUntil) {
		// Too late to send under this lease: another sender could take
		// the message over while the call is still in flight.
		b.release(ctx, m, now, "lease running out", attrs)
		return
	}
	if doubt {
		if done := b.reconcile(ctx, m, attrs); done {
			return
		}
	}
	b.send(ctx, m, attrs)
}

// send hands the message to the gateway and records the outcome.
func (b *run) send(ctx context.Context, m *panel.OutboundMessage, attrs []slog.Attr) {
	s := b.s
	callCtx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
	receipt, err := s.gateway.Send(callCtx, panel.OutboundSMS{To: m.To, Body: m.Body, StatusCallback: s.cfg.StatusCallbackURL})
	cancel()
	if err == nil {
		b.mu.Lock()
		b.sent = append(b.sent, panel.SentResult{ID: m.ID, ProviderID: receipt.ProviderID, Status: receipt.Status})
		b.mu.Unlock()
		s.cfg.Observe(OutcomeSent, 0)
		s.log.LogAttrs(ctx, slog.LevelDebug, "message sent", append(attrs, slog.String("provider_id", receipt.ProviderID))...)
		return
	}
	var se *panel.SendError
	if !errors.As(err, &se) {
		if panel.ErrorCode(err) == panel.EINVALID {
			b.fail(ctx, m, 0, panel.ErrorMessage(err), attrs)
			return
		}
		// Not the gateway's refusal: treat it like a lost answer.
		se = &panel.SendError{Retryable: true, Message: err.Error()}
	}
	code := se.Code
	if code == 0 {
		code = se.HTTPStatus
	}
	if !se.Retryable {
		b.fail(ctx, m, code, se.Message, attrs)
		return
	}
	b.retry(ctx, m, code, se.Message, se.RetryAfter, attrs)
}

// retry schedules another attempt, or fails the message after MaxAttempts.
func (b *run) retry(ctx context.Context, m *panel.OutboundMessage, code int, msg string, retryAfter time.Duration, attrs []slog.Attr) {
	s := b.s
	if m.Attempts >= s.cfg.MaxAttempts {
		b.fail(ctx, m, code, fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, msg), attrs)
		return
	}
	at := s.cfg.Clock().Add(s.backoff.delay(m.Attempts, retryAfter))
	ctx, cancel := finishContext(ctx)
	defer cancel()
	if err := s.outbox.Retry(ctx, m.ID, s.cfg.Owner, at, code, msg); err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "could not schedule a retry", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	s.cfg.Observe(OutcomeRetried, code)
	s.log.LogAttrs(ctx, slog.LevelInfo, "message will be retried",
		append(attrs, slog.Int("error_code", code), slog.Time("next_attempt_at", at))...)
}

// fail ends the message as failed.
func (b *run) fail(ctx context.Context, m *panel.OutboundMessage, code int, msg string, attrs []slog.Attr) {
	s := b.s
	ctx, cancel := finishContext(ctx)
	defer cancel()
	if err := s.outbox.Fail(ctx, m.ID, s.cfg.Owner, code, msg); err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "could not record a failure", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	s.cfg.Observe(OutcomeFailed, code)
	s.log.LogAttrs(ctx, slog.LevelWarn, "message failed", append(attrs, slog.Int("error_code", code))...)
}

// release gives the claim back, due at at.
func (b *run) release(ctx context.Context, m *panel.OutboundMessage, at time.Time, why string, attrs []slog.Attr) {
	s := b.s
	ctx, cancel := finishContext(ctx)
	defer cancel()
	if err := s.outbox.Release(ctx, m.ID, s.cfg.Owner, at); err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "could not release a message", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	s.cfg.Observe(OutcomeReleased, 0)
	s.log.LogAttrs(ctx, slog.LevelDebug, "message released", append(attrs, slog.String("reason", why), slog.Time("due_at", at))...)
}

// flush stores the provider ids of the batch in one transaction.
func (b *run) flush(ctx context.Context) error {
	if len(b.sent) == 0 {
		return nil
	}
	lost, err := b.markSent(ctx)
	ctx, cancel := finishContext(ctx)
	defer cancel()
	if err != nil {
		// One bad result (e.g. a provider id stored twice) must not cost
		// the others their ids: record them one by one.
		b.s.log.WarnContext(ctx, "batch result write failed; writing one by one", slog.String("error", err.Error()))
		var first error
		for _, r := range b.sent {
			if err := b.s.outbox.MarkSent(ctx, r.ID, b.s.cfg.Owner, r.ProviderID, r.Status); err != nil {
				b.s.log.WarnContext(ctx, "could not store a provider id", slog.Int64("message_id", r.ID),
					slog.String("provider_id", r.ProviderID), slog.String("error", err.Error()))
				if first == nil && panel.ErrorCode(err) != panel.ECONFLICT {
					first = err
				}
			}
		}
		return first
	}
	for _, id := range lost {
		b.s.log.WarnContext(ctx, "lease lost before the provider id was stored", slog.Int64("message_id", id))
	}
	return nil
}

// flushRetryMax caps the wait between attempts to store a batch's
// provider ids while the database is unavailable.
const flushRetryMax = 5 * time.Second

// markSent stores the batch's provider ids. While the database is
// unavailable it tries again, waiting 0.5 s, 1 s, 2 s, ... up to
// flushRetryMax, for as long as the lease leaves time, so that a short
// outage does not leave sent messages in doubt until their lease ends.
func (b *run) markSent(ctx context.Context) ([]int64, error) {
	s := b.s
	wait := 500 * time.Millisecond
	for {
		fctx, cancel := finishContext(ctx)
		lost, err := s.outbox.MarkSentBatch(fctx, s.cfg.Owner, b.sent)
		cancel()
		if err == nil || panel.ErrorCode(err) != panel.EUNAVAILABLE ||
			s.cfg.Clock().Add(wait+finishTimeout).After(b.leaseUntil) {
			return lost, err
		}
		s.log.WarnContext(ctx, "database unavailable; will store the batch's provider ids again",
			slog.Int("messages", len(b.sent)), slog.Duration("retry_in", wait), slog.String("error", err.Error()))
		if s.cfg.Sleep(ctx, wait) != nil {
			return lost, err
		}
		wait = min(2*wait, flushRetryMax)
	}
}

// finishContext returns a context for writing an outcome: it survives
// the cancellation of ctx (shutdown) for up to finishTimeout.
func finishContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
}
