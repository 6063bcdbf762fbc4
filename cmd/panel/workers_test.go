package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
)

// stopLog records the order in which workers returned.
type stopLog struct {
	mu      sync.Mutex
	stopped []string
}

func (l *stopLog) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = append(l.stopped, name)
}

// waitingWorker runs until its context ends, then records that it stopped;
// with err set it fails at once instead.
type waitingWorker struct {
	name string
	log  *stopLog
	err  error
}

func (w waitingWorker) Run(ctx context.Context) error {
	if w.err != nil {
		w.log.add(w.name)
		return w.err
	}
	<-ctx.Done()
	w.log.add(w.name)
	return nil
}

// TestWorkersStopInReverseOrder: the workers outlive the cancellation of
// serve's context, stop returns them one by one in the reverse order of
// their start, and one that fails at once is logged without stopping the
// others.
func TestWorkersStopInReverseOrder(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	sl := &stopLog{}
	ctx, cancel := context.WithCancel(context.Background())
	g := startWorkers(ctx, logger,
		worker{"first", waitingWorker{name: "first", log: sl}},
		worker{"broken", waitingWorker{name: "broken", log: sl, err: errors.New("no database")}},
		worker{"second", waitingWorker{name: "second", log: sl}},
		worker{"third", waitingWorker{name: "third", log: sl}},
	)
	cancel() // serve's signal: the workers keep running until stop
	g.stop()
	got := slices.DeleteFunc(slices.Clone(sl.stopped), func(n string) bool { return n == "broken" })
	if want := []string{"third", "second", "first"}; !slices.Equal(got, want) {
		t.Errorf("stopped in order %v, want %v", got, want)
	}
	if !strings.Contains(logs.String(), `msg="worker failed" worker=broken error="no database"`) {
		t.Errorf("want the failed worker logged; logs:\n%s", logs.String())
	}
}
