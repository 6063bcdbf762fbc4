package sender

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// reconcileSlack widens the FindSent window before a message's creation,
// for clock skew between this service and the provider and for the
// provider's whole-second time stamps.
const reconcileSlack = 5 * time.Minute

// cleanRefusals are the recorded codes of earlier attempts that certainly
// created nothing at the provider: rate limits.
var cleanRefusals = map[int]bool{20429: true, http.StatusTooManyRequests: true}

// inDoubt reports whether an earlier attempt of m may have reached the
// provider: its lease expired mid-send, or it was retried after an
// attempt that got no answer or a server error (anything but a rate limit,
// since permanent refusals are never retried).
func inDoubt(m *panel.OutboundMessage) bool {
	return m.InDoubt || (m.Attempts > 1 && !cleanRefusals[m.LastErrorCode])
}

// reconcile looks for an earlier acceptance of m at the provider and, if
// there is one, adopts its id. It reports whether m is dealt with (adopted,
// retried or left alone); false means the provider has no such message and
// m should be sent.
func (b *run) reconcile(ctx context.Context, m *panel.OutboundMessage, attrs []slog.Attr) bool {
	s := b.s
	since := m.CreatedAt.Add(-reconcileSlack).Truncate(time.Second)
	callCtx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
	found, err := s.gateway.FindSent(callCtx, m.To, since)
	cancel()
	if err != nil {
		// Still in doubt: code 0 keeps it so for the next attempt.
		b.retry(ctx, m, 0, "could not check the provider for an earlier attempt: "+err.Error(), 0, attrs)
		return true
	}
	for _, pm := range found {
		if pm.Body != m.Body || pm.ProviderID == "" {
			continue
		}
		wctx, cancel := finishContext(ctx)
		err := s.outbox.MarkSent(wctx, m.ID, s.cfg.Owner, pm.ProviderID, pm.Status)
		cancel()
		if err != nil {
			// Lease lost, or the id belongs to another message: do not
			// send; the lease expires and the next claim looks again.
			s.log.LogAttrs(ctx, slog.LevelWarn, "could not adopt the provider's message",
				append(attrs, slog.String("provider_id", pm.ProviderID), slog.String("error", err.Error()))...)
			return true
		}
		s.cfg.Observe(OutcomeAdopted, 0)
		s.log.LogAttrs(ctx, slog.LevelInfo, "adopted a message the provider had already accepted",
			append(attrs, slog.String("provider_id", pm.ProviderID))...)
		return true
	}
	return false
}
