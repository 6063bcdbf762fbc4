package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
)

// statusPoller is the delivery status poller running in its own goroutine.
type statusPoller struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// stop ends the poller and waits for it; a check in flight finishes
// (bounded by the poller's fetch timeout) and claims it had not started
// are taken again once their lease runs out.
func (p *statusPoller) stop(logger *slog.Logger) {
	p.cancel()
	<-p.done
	logger.Info("status poller stopped")
}

// startStatusPoller runs a sender.Poller over the store with gw in the
// background: every minute (or every, when not zero) it fetches the
// status of messages still sent 10 minutes or more after sending, whose
// callbacks were lost, and counts each poll in
// panel_sms_status_polls_total{result} on reg.
func startStatusPoller(ctx context.Context, st *store.Store, gw panel.SMSGateway, reg prometheus.Registerer, now func() time.Time, every time.Duration, logger *slog.Logger) (*statusPoller, error) {
	polls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "panel_sms_status_polls_total",
		Help: "Delivery status fetches of sent messages whose callbacks were lost, by result (delivered, undelivered, failed, cancelled, pending, not_found, error); gave_up counts messages left sent after their last check.",
	}, []string{"result"})
	if err := reg.Register(polls); err != nil {
		return nil, fmt.Errorf("register status poll metrics: %w", err)
	}
	p, err := sender.NewPoller(sender.PollerConfig{
		Store:   st,
		Gateway: gw,
		Every:   every,
		Clock:   now,
		Logger:  logger,
		Observe: func(result string) { polls.WithLabelValues(result).Inc() },
	})
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	sp := &statusPoller{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(sp.done)
		_ = p.Run(runCtx)
	}()
	logger.InfoContext(ctx, "status poller started")
	return sp, nil
}
