package store

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/citizenspanel/panel/internal/panel"
)

// Inbound messages that arrive together on PostgreSQL are handled in one
// transaction: one pair of round trips and one commit (one WAL flush) for
// the lot instead of one per message. Under load the cost per message is
// mostly those waits and wake-ups, not the SQL.
//
// There is no background goroutine: a caller queues its message and, while
// fewer than maxInboundWorkers callers are doing so, works through the queue
// itself in batches of messages from distinct senders with distinct
// provider ids. Each caller gets its own result only once the batch that
// holds its message has committed. A batch of one is ProcessInbound's
// single-message path; a batch that fails in any way is rolled back and its
// messages are retried one by one on that path, so a batch never changes
// what happens to a message, only how many commits it shares.

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

// inboundReq is one ProcessInbound call in the queue.
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

// processInboundQueued queues one normalised message and returns its
// result once it is handled, working through the queue meanwhile when
// fewer than maxInboundWorkers callers do.
func (s *Store) processInboundQueued(ctx context.Context, in panel.InboundSMS, decide panel.DecideFunc) (*panel.InboundResult, error) {
	q := s.inboundQ
	req := &inboundReq{ctx: ctx, store: s, in: in, decide: decide, done: make(chan struct{})}
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
		s.runInboundBatch(ctx, batch)
	}
	<-req.done
	return req.res, req.err
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

// runInboundBatch handles batch and finishes every request in it, also
// when something panics.
func (s *Store) runInboundBatch(ctx context.Context, batch []*inboundReq) {
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
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.finish(nil, unavailable(err)) // nothing was stored
			continue
		}
		live = append(live, r)
	}
	if len(live) == 1 {
		r := live[0]
		r.finish(r.store.processInboundPG(r.ctx, r.in, r.decide))
		return
	}
	if len(live) == 0 {
		return
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), inboundBatchTime)
	defer cancel()
	later, err := s.inboundBatchTx(bctx, live)
	if err != nil {
		s.logger.WarnContext(ctx, "inbound batch rolled back; handling its messages one by one",
			slog.Int("messages", len(live)), slog.String("error", err.Error()))
		later = live
	}
	for _, r := range later {
		r.finish(r.store.processInboundPG(r.ctx, r.in, r.decide))
	}
}

// pgBatchSenders is pgSenderQuery for several numbers, locking their rows
// in one order (number, then id) so that concurrent batches cannot
// deadlock on them.
var pgBatchSenders = pgSenderQueryFor("r.phone = ANY($1)", "r.phone, r.id")

// pgBatchLookup returns the stored messages among the provider ids.
const pgBatchLookup = `SELECT id, provider_id, from_number, to_number, body, recipient_id, campaign_id, received_at,
	state, handled_at, error, reply, inbox, resolved_at, resolution FROM inbound_messages WHERE provider_id = ANY($1)`

// pgNewInboundIDs returns $1 new message ids.
const pgNewInboundIDs = `SELECT nextval(pg_get_serial_sequence('inbound_messages', 'id')) FROM generate_series(1, $1)`

// inboundBatchTx handles the messages of batch (distinct senders, distinct
// provider ids) in one transaction and finishes the requests it handled.
// It returns the requests left for the single-message path: those whose
// outcome is rare, to run once this transaction has committed. On error
// nothing is committed or finished.
func (s *Store) inboundBatchTx(ctx context.Context, batch []*inboundReq) (later []*inboundReq, err error) {
	phones, pids := make([]string, len(batch)), make([]string, len(batch))
	for i, r := range batch {
		phones[i], pids[i] = string(r.in.From), r.in.ProviderID
	}
	var (
		senders = map[string][]pgSender{}
		stored  = map[string]*inboundRow{}
		ids     []int64
	)
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return nil, translate(err, "inbound messages")
	}
	defer conn.Close()
	committed := false
	defer func() {
		if !committed {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			defer cancel()
			_, _ = conn.ExecContext(rctx, "ROLLBACK")
		}
	}()

	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(pgBatchSenders, phones, panel.RecipientPending, panel.CampaignSending, panel.CampaignPaused, panel.DrawSeeded).
		Query(func(rows pgx.Rows) error {
			all, err := scanSenders(rows)
			for _, p := range all {
				phone := deref(p.Phone)
				senders[phone] = append(senders[phone], p)
			}
			return err
		})
	b.Queue(pgBatchLookup, pids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var m inboundRow
			if err := rows.Scan(&m.ID, &m.ProviderID, &m.FromNumber, &m.ToNumber, &m.Body, &m.RecipientID, &m.CampaignID,
				&m.ReceivedAt, &m.State, &m.HandledAt, &m.Error, &m.Reply, &m.Inbox, &m.ResolvedAt, &m.Resolution); err != nil {
				return err
			}
			stored[m.ProviderID] = &m
		}
		return rows.Err()
	})
	b.Queue(pgNewInboundIDs, len(batch)).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err := sendBatch(ctx, conn, b); err != nil {
		return nil, translatePG(err, "inbound messages")
	}
	if len(ids) != len(batch) {
		return nil, fmt.Errorf("store: inbound batch: got %d new ids for %d messages", len(ids), len(batch))
	}

	type handled struct {
		req *inboundReq
		res *panel.InboundResult
		err error
		row inboundRow
		out *panel.DialogueOutcome
		snp *panel.DialogueSnapshot
	}
	var done []handled
	for i, r := range batch {
		if m, ok := stored[r.in.ProviderID]; ok {
			msg := m.toPanel()
			done = append(done, handled{req: r, res: &panel.InboundResult{Message: msg, Duplicate: true, Reply: msg.Reply}})
			continue
		}
		now := r.store.clock()
		row := inboundRow{
			ID: ids[i], ProviderID: r.in.ProviderID, FromNumber: strPtr(string(r.in.From)), ToNumber: strPtr(string(r.in.To)),
			Body: &r.in.Body, ReceivedAt: now, State: panel.InboundReceived,
		}
		if !r.in.ReceivedAt.IsZero() {
			row.ReceivedAt = r.in.ReceivedAt.UTC().Truncate(time.Microsecond)
		}
		ss := senders[string(r.in.From)]
		var sr *senderRow
		var member *panel.MemberRef
		if j := bestSender(len(ss), func(j int) string { return ss[j].CampaignState }); j >= 0 {
			sr, member = &ss[j].senderRow, ss[j].member
		}
		snap, err := senderSnapshot(row.toPanel(), sr)
		if err != nil {
			return nil, err
		}
		if snap.Volunteer != nil {
			snap.Member = member
		}
		out, err := r.decide(snap)
		switch {
		case err != nil:
			done = append(done, handled{req: r, err: err}) // nothing written for it
		case out == nil:
			done = append(done, handled{req: r, err: fmt.Errorf("store: inbound message %d: decide returned no outcome", row.ID)})
		case rareOutcome(snap, out):
			later = append(later, r)
		default:
			done = append(done, handled{req: r, row: row, out: out, snp: snap, res: finishInbound(snap, out, now)})
		}
	}

	// Messages first, in provider id order (so that two batches racing
	// with the same ids wait for each other in one order), then what the
	// dialogue decided for each.
	b = &pgx.Batch{}
	var writes []handled
	for _, h := range done {
		if h.out != nil {
			writes = append(writes, h)
		}
	}
	slices.SortFunc(writes, func(a, b handled) int { return cmp.Compare(a.row.ProviderID, b.row.ProviderID) })
	for _, h := range writes {
		m := h.res.Message
		b.Queue(pgInsertInbound, m.ID, m.ProviderID, h.row.FromNumber, h.row.ToNumber, h.row.Body, h.row.ReceivedAt, m.State,
			*m.HandledAt, strPtr(m.Reply), idPtr(m.RecipientID), idPtr(m.CampaignID), strPtr(m.Inbox))
	}
	for _, h := range writes {
		if err := queueOutcome(b, h.snp, h.out, *h.res.Message.HandledAt); err != nil {
			return nil, err
		}
	}
	b.Queue("COMMIT")
	if err := sendBatch(ctx, conn, b); err != nil {
		// A duplicate that raced this batch is among the causes; the
		// messages are retried one by one, which answers it as one.
		return nil, translatePG(err, "inbound messages")
	}
	committed = true
	for _, h := range done {
		h.req.finish(h.res, h.err)
	}
	return later, nil
}
