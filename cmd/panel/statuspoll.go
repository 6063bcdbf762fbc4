package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
)

// newStatusPoller returns a sender.Poller over the store with gw: every
// minute (or every, when not zero) it fetches the status of messages
// still sent 10 minutes or more after sending, whose callbacks were lost,
// and counts each poll in panel_sms_status_polls_total{result} on reg.
// Stopping it lets a check in flight finish (bounded by the poller's fetch
// timeout); claims it had not started are taken again once their lease
// runs out.
func newStatusPoller(st *store.Store, gw panel.SMSGateway, reg prometheus.Registerer, now func() time.Time, every time.Duration, logger *slog.Logger) (*sender.Poller, error) {
	polls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "panel_sms_status_polls_total",
		Help: "Delivery status fetches of sent messages whose callbacks were lost, by result (delivered, undelivered, failed, cancelled, pending, not_found, error); gave_up counts messages left sent after their last check.",
	}, []string{"result"})
	if err := reg.Register(polls); err != nil {
		return nil, fmt.Errorf("register status poll metrics: %w", err)
	}
	return sender.NewPoller(st, gw, sender.PollerConfig{
		Every:   every,
		Clock:   now,
		Logger:  logger,
		Observe: func(result string) { polls.WithLabelValues(result).Inc() },
	})
}
