package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
)

// startReminders starts the meeting reminder scheduler (a cron tick every
// minute in PANEL_TIMEZONE) on the clock now (nil: time.Now). Every replica runs one: each reminder is
// claimed through a unique row in the database, so it is sent once.
func startReminders(ctx context.Context, st *store.Store, cfg config.Config, now func() time.Time, logger *slog.Logger) (*reminder.Scheduler, error) {
	sched, err := reminder.New(st, reminder.Config{Location: cfg.TimeZone, Now: now, Logger: logger})
	if err != nil {
		return nil, err
	}
	if err := sched.Start(ctx); err != nil {
		return nil, fmt.Errorf("start reminder scheduler: %w", err)
	}
	logger.InfoContext(ctx, "reminder scheduler started", slog.String("time_zone", cfg.TimeZone.String()))
	return sched, nil
}

// stopReminders stops the scheduler, waiting for a running tick to end.
func stopReminders(sched *reminder.Scheduler, logger *slog.Logger) {
	sched.Stop()
	logger.Info("reminder scheduler stopped")
}
