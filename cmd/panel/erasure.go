package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/erasure"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// newErasure builds the erasure worker, counting its outcomes in
// panel_erasure_total{result}.
func newErasure(st *store.Store, gw panel.SMSGateway, reg prometheus.Registerer, now func() time.Time, logger *slog.Logger) (*erasure.Worker, error) {
	outcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "panel_erasure_total",
		Help: "Purged messages deleted at the SMS provider, by result (deleted, gone: the provider held none, failed: to be tried again), and SMS from numbers in no campaign purged after the retention period (unknown_inbound_purged).",
	}, []string{"result"})
	if err := reg.Register(outcomes); err != nil {
		return nil, fmt.Errorf("register erasure metrics: %w", err)
	}
	return erasure.New(st, gw, erasure.Config{
		Now:     now,
		Logger:  logger,
		Observe: func(result string, n int) { outcomes.WithLabelValues(result).Add(float64(n)) },
	})
}
