package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Inbound messages that arrive together are handled in one transaction:
// one pair of round trips and one commit (one WAL flush) for the lot
// instead of one per message. Under load the cost per message is mostly
// those waits and wake-ups, not the SQL.
//
// There is no background goroutine: a caller queues its message and, while
// fewer than maxInboundWorkers callers are doing so, works through the queue
// itself in batches of messages from distinct senders with distinct
// provider ids. Each caller gets its own result only once the batch that
// holds its message has committed. A batch that fails in any way is rolled
// back and its messages are handled again one by one, so a batch never
// changes what happens to a message, only how many commits it shares.

// Batching limits.
const (
	maxInboundWorkers = 2  // callers working through the queue at once (connections used); 2 measured best on 2 cores
	maxInboundBatch   = 32 // messages per transaction
	inboundBatchTime  = 10 * time.Second
)

// inboundQueue holds the messages waiting to be handled.
type inboundQueue struct {
	mu      sync.Mutex
	pending []*inboundReq
	workers int
}

// inboundReq is one ProcessInbound call.
type inboundReq struct {
	ctx    context.Context
	store  *Store // the caller's, with its clock
	in     panel.InboundSMS
	decide panel.DecideFunc
	done   chan struct{}
	res    *panel.InboundResult
	err    error
	// finished is set by finish; only the worker holding the request
	// reads or writes it.
	finished bool
}

// finish delivers the request's result.
func (r *inboundReq) finish(res *panel.InboundResult, err error) {
	r.res, r.err, r.finished = res, err, true
	close(r.done)
}

// recovering returns decide made to return an error instead of panicking,
// so that a panic cannot stop a worker that handles other callers'
// messages too.
func recovering(decide panel.DecideFunc) panel.DecideFunc {
	return func(snap *panel.DialogueSnapshot) (out *panel.DialogueOutcome, err error) {
		defer func() {
			if p := recover(); p != nil {
				out, err = nil, fmt.Errorf("store: inbound message %d: decide panicked: %v", snap.Message.ID, p)
			}
		}()
		return decide(snap)
	}
}

// process queues req and works through the queue while fewer than
// maxInboundWorkers callers do; req is finished when it returns or soon
// after.
func (q *inboundQueue) process(ctx context.Context, req *inboundReq) {
	q.mu.Lock()
	q.pending = append(q.pending, req)
	work := q.workers < maxInboundWorkers
	if work {
		q.workers++
	}
	q.mu.Unlock()
	for work {
		batch, more := q.next(req)
		if !more {
			break
		}
		req.store.runQueuedBatch(ctx, batch)
	}
}

// next takes the next batch off the queue for a worker whose own request
// is own. more is false, and the worker is no longer counted, when the
// queue is empty, or when own is done and another worker remains.
func (q *inboundQueue) next(own *inboundReq) (batch []*inboundReq, more bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	select {
	case <-own.done:
		if q.workers > 1 {
			q.workers--
			return nil, false
		}
	default:
	}
	from, ids := map[panel.Phone]bool{}, map[string]bool{}
	rest := q.pending[:0]
	for _, r := range q.pending {
		// A second message from a sender, or a second delivery of a
		// message, waits for the next batch, which sees this one's effect.
		if len(batch) == maxInboundBatch || from[r.in.From] || ids[r.in.ProviderID] {
			rest = append(rest, r)
			continue
		}
		from[r.in.From], ids[r.in.ProviderID] = true, true
		batch = append(batch, r)
	}
	clear(q.pending[len(rest):])
	q.pending = rest
	if len(batch) == 0 {
		q.workers--
		return nil, false
	}
	return batch, true
}

// runQueuedBatch is runInboundBatch for a worker of the queue: it
// finishes every request in batch also when something panics.
func (s *Store) runQueuedBatch(ctx context.Context, batch []*inboundReq) {
	defer func() {
		if p := recover(); p != nil {
			s.logger.ErrorContext(ctx, "inbound batch panicked", slog.Int("messages", len(batch)), slog.Any("panic", p))
			for _, r := range batch {
				if !r.finished {
					r.finish(nil, fmt.Errorf("store: inbound batch panicked: %v", p))
				}
			}
		}
	}()
	s.runInboundBatch(ctx, batch)
}
