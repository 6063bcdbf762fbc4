package main

import (
	"context"
	"log/slog"

	"github.com/citizenspanel/panel/internal/panel"
)

// worker is a background worker and the name serve logs it under.
type worker struct {
	name string
	panel.Worker
}

// workers are started background workers; stop ends them.
type workers struct {
	logger  *slog.Logger
	started []startedWorker
}

// startedWorker is one running worker.
type startedWorker struct {
	name   string
	cancel context.CancelFunc
	done   chan struct{}
}

// startWorkers starts each of ws in its own goroutine, in the order given
// (logging "<name> started"; stop logs "<name> stopped"),
// under a context that keeps ctx's values but not its cancellation: the
// workers run until stop, so serve can drain HTTP requests first. A worker
// that returns an error before stop is logged; the others carry on.
func startWorkers(ctx context.Context, logger *slog.Logger, ws ...worker) *workers {
	g := &workers{logger: logger}
	for _, w := range ws {
		wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		sw := startedWorker{name: w.name, cancel: cancel, done: make(chan struct{})}
		go func() {
			defer close(sw.done)
			if err := w.Run(wctx); err != nil {
				logger.ErrorContext(wctx, "worker failed", slog.String("worker", w.name), slog.String("error", err.Error()))
			}
		}()
		g.started = append(g.started, sw)
		logger.InfoContext(ctx, w.name+" started")
	}
	return g
}

// stop ends the workers one at a time, in the reverse order they were
// started, waiting for each to return before ending the next.
func (g *workers) stop() {
	for i := len(g.started) - 1; i >= 0; i-- {
		w := g.started[i]
		w.cancel()
		<-w.done
		g.logger.Info(w.name + " stopped")
	}
}
