package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/drawcli"
	"github.com/citizenspanel/panel/internal/httpapi"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/store"
)

// HTTP server limits.
const (
	shutdownDrain     = 15 * time.Second // in-flight requests get this long after a signal
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 2 * time.Minute // room for a 32 MiB upload on a slow link
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
)

// serve applies migrations, then serves HTTP on cfg.Addr until ctx is
// cancelled, and drains in-flight requests for up to shutdownDrain. Once
// listening it writes "listening on HOST:PORT" to stdout. Everything is
// shut down in the reverse order it was started.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, stdout io.Writer) error {
	logger.InfoContext(ctx, "starting", slog.Any("config", cfg))

	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer closeStore(st, logger)
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	sched, err := startReminders(ctx, st, cfg, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer stopReminders(sched, logger)

	draws := draw.New(st, draw.Config{Software: drawcli.Software, Location: cfg.TimeZone, Logger: logger})
	draws.Start(ctx)
	defer draws.Stop()
	// Replies of panel members: absences to the reminder scheduler, seats
	// left by declines refilled by the draw service at once.
	inboxService := inbox.New(st, logger, nil).WithMembers(sched, draws)

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	sending, err := startSender(ctx, cfg, st, reg, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer sending.stop(logger)
	invitations, err := invite.New(invite.Config{Store: st, Pool: inboxService, Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	api, err := httpapi.NewServer(httpapi.Deps{
		Campaigns:   st,
		Tokens:      st,
		Audit:       st,
		DB:          st,
		Logger:      logger,
		Registerer:  reg,
		Gatherer:    reg,
		Replies:     repliesDeps(ctx, cfg, st, inboxService, logger),
		Draws:       draws,
		Meetings:    &httpapi.MeetingDeps{Store: st, Location: cfg.TimeZone},
		Purge:       st,
		Invitations: invitations,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.InfoContext(ctx, "listening", slog.String("addr", ln.Addr().String()))
	if _, err := fmt.Fprintf(stdout, "listening on %s\n", ln.Addr()); err != nil {
		logger.WarnContext(ctx, "write listening address", slog.String("error", err.Error()))
	}

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", slog.Duration("drain", shutdownDrain))
	drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownDrain)
	defer cancel()
	if err := srv.Shutdown(drainCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}
