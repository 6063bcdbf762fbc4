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
	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/httpapi"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/roster"
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
	return serveWith(ctx, cfg, logger, stdout, serveOptions{})
}

// serveOptions let `panel simulate` run the service on a clock and a
// random source of its own, on a listener it opened, and reach the
// scheduled jobs. The zero value is the production service.
type serveOptions struct {
	// now is the clock of everything time-driven: the store, the sender,
	// the reminders, the draw deadlines, the dialogue. nil: time.Now.
	now func() time.Time
	// random is where pseudonyms and token secrets come from (it must be
	// safe for concurrent use). nil: crypto/rand.
	random io.Reader
	// senderPoll is how often the sender looks for due messages when it
	// found none. Zero: the sender's default (1 s).
	senderPoll time.Duration
	// statusPollEvery is how often the status poller looks for sent
	// messages without a final status. Zero: the poller's default (1 min).
	statusPollEvery time.Duration
	// listener, when set, is served instead of listening on cfg.Addr.
	listener net.Listener
	// ready, when set, is called once the service is listening.
	ready func(running)
}

// running is a started service, as serveOptions.ready sees it.
type running struct {
	// runDue runs the scheduled jobs now, as their cron ticks would: due
	// reminders and notices, and draw deadlines and replacements.
	runDue func(ctx context.Context) error
}

// serveWith is serve with options.
func serveWith(ctx context.Context, cfg config.Config, logger *slog.Logger, stdout io.Writer, opts serveOptions) error {
	logger.InfoContext(ctx, "starting", slog.Any("config", cfg))

	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer closeStore(st, logger)
	if opts.now != nil {
		st = st.WithClock(opts.now)
	}
	if opts.random != nil {
		st = st.WithRandom(opts.random)
	}
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Meeting reminders: a cron tick every minute in PANEL_TIMEZONE. Every
	// replica runs one: each reminder is claimed through a unique row in
	// the database, so it is sent once.
	sched, err := reminder.New(st, reminder.Config{Location: cfg.TimeZone, Now: opts.now, Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	draws, err := draw.New(st, draw.Config{Software: drawcli.Software, Location: cfg.TimeZone, Now: opts.now, Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Replies of panel members: absences to the reminder scheduler, seats
	// left by declines refilled by the draw service at once.
	inboxService, err := inbox.New(st, sched, draws, inbox.Config{Now: opts.now, Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	sending, gateway, err := newSender(ctx, cfg, st, reg, opts.now, opts.senderPoll, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	polling, err := newStatusPoller(st, gateway, reg, opts.now, opts.statusPollEvery, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Purged messages are deleted at the provider too, and SMS from
	// numbers in no campaign are purged after the retention period.
	erasing, err := newErasure(st, gateway, reg, opts.now, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The background workers run until the HTTP server has drained, and
	// stop in the reverse order.
	background := startWorkers(ctx, logger,
		worker{"reminder scheduler", sched}, worker{"draw worker", draws},
		worker{"sender", sending}, worker{"status poller", polling}, worker{"erasure worker", erasing})
	defer background.stop()
	invitations, err := invite.New(st, inboxService, invite.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The members list and confirmation calls: a decline on the phone is
	// replaced by the draw service, as one by SMS is.
	members, err := roster.New(st, draws, roster.Config{Now: opts.now, Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	exports, err := export.New(st, st, cfg.TimeZone)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	consoleHandler, err := newConsole(cfg, st, invitations, inboxService, draws, members, exports, sched, opts.now, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	api, err := httpapi.NewServer(httpapi.Deps{
		Campaigns:   st,
		Tokens:      st,
		Audit:       st,
		DB:          st,
		Schema:      st,
		Logger:      logger,
		Registerer:  reg,
		Gatherer:    reg,
		Replies:     repliesDeps(ctx, cfg, st, inboxService, logger),
		Draws:       draws,
		Meetings:    &httpapi.MeetingDeps{Store: st, Location: cfg.TimeZone, Scheduler: sched},
		Purge:       st,
		TokenAdmin:  st,
		Idempotency: st,
		Invitations: invitations,
		Console:     consoleHandler,
		Members:     &httpapi.MemberDeps{Roster: members, Exports: exports},
		Recipients:  st,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	ln := opts.listener
	if ln == nil {
		var lc net.ListenConfig
		if ln, err = lc.Listen(ctx, "tcp", cfg.Addr); err != nil {
			return fmt.Errorf("serve: listen on %s: %w", cfg.Addr, err)
		}
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
	if opts.ready != nil {
		opts.ready(running{runDue: func(ctx context.Context) error {
			if _, err := sched.Tick(ctx); err != nil {
				return err
			}
			return draws.Tick(ctx)
		}})
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
