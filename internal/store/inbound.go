package store

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns storing inbound SMS and applying what the dialogue
// decides about them. There is one way through, on both databases: a
// message joins a queue (inbound_queue.go) and is handled in a batch, one
// transaction for the messages that arrived together; a single message is
// a batch of one. A batch costs two pipelined round trips (see pipeline):
// the first begins the transaction, reads and locks the senders' state,
// looks up the provider ids and takes new message ids; the second inserts
// the messages with their final state, writes what the dialogue decided
// and commits. An answer from a draw member takes one more, for its audit
// event.
//
// Order: the messages of one number are handled one after the other,
// each reading what the earlier ones wrote: never two in one batch (see
// inboundQueue.next), and on PostgreSQL a batch first takes an advisory
// lock per sender number (senderLockClass), so batches of two workers or
// two replicas wait for each other. On SQLite a transaction holds the
// write lock from its start.
//
// Duplicates: a provider id already committed is found by the look-up,
// which runs after the senders' rows are locked, so a retry from the same
// number waits for the first delivery to commit and then finds it. A
// duplicate that races past the look-up (possible only on PostgreSQL, from
// a number without recipients, whose rows lock nothing) fails on the
// unique index when it inserts; the batch is rolled back, its messages are
// handled again one by one, and the message then answers as a duplicate.

var _ panel.InboundStore = (*Store)(nil)

// senderLockClass is the first key of the PostgreSQL advisory locks on
// the numbers of inbound senders ("IN" in ASCII); the second is
// hashtext(number). Locking the recipient rows is not enough: a second
// message from a number would wait for them, then read the volunteer row
// as it was before the first message's transaction committed (PostgreSQL
// re-reads only the locked rows), and act on a state that no longer
// holds, e.g. decline a person the first message had just made a
// volunteer. Locking the number before anything is read serialises the
// messages of one sender, in one process or across replicas.
const senderLockClass = 0x494e

// inboundRow is a row of the inbound_messages table.
type inboundRow struct {
	ID          int64 `gorm:"primaryKey"`
	ProviderID  string
	FromNumber  *string
	ToNumber    *string
	Body        *string
	RecipientID *int64
	CampaignID  *int64
	ReceivedAt  time.Time
	State       string
	HandledAt   *time.Time
	Error       *string
	Reply       *string
	Inbox       *string
	ResolvedAt  *time.Time
	Resolution  *string
}

func (inboundRow) TableName() string { return "inbound_messages" }

func (r *inboundRow) toPanel() *panel.InboundMessage {
	return &panel.InboundMessage{
		ID:          r.ID,
		ProviderID:  r.ProviderID,
		From:        panel.Phone(deref(r.FromNumber)),
		To:          panel.Phone(deref(r.ToNumber)),
		Body:        deref(r.Body),
		CampaignID:  derefInt(r.CampaignID),
		RecipientID: derefInt(r.RecipientID),
		State:       r.State,
		Reply:       deref(r.Reply),
		Inbox:       deref(r.Inbox),
		Resolution:  deref(r.Resolution),
		ReceivedAt:  r.ReceivedAt.UTC(),
		HandledAt:   utcPtr(r.HandledAt),
		ResolvedAt:  utcPtr(r.ResolvedAt),
	}
}

// newInboundRow is in as stored on arrival: state received, received at
// in.ReceivedAt or else now.
func newInboundRow(in panel.InboundSMS, now time.Time) inboundRow {
	received := now
	if !in.ReceivedAt.IsZero() {
		received = in.ReceivedAt.UTC().Truncate(time.Microsecond)
	}
	return inboundRow{
		ProviderID: in.ProviderID, FromNumber: strPtr(string(in.From)), ToNumber: strPtr(string(in.To)),
		Body: &in.Body, ReceivedAt: received, State: panel.InboundReceived,
	}
}

// inboundColumns is the projection of inboundRow: every column of
// inbound_messages.
var inboundColumns = projection[inboundRow]()

// ProcessInbound stores a message and applies decide's outcome in one
// transaction; see panel.InboundStore. Messages that arrive together share
// a transaction (see inbound_queue.go); inside InTx the message is handled
// at once, in the caller's transaction. decide may be called a second time
// for a message when its batch fails and is retried one by one (only the
// last outcome counts). A panic in decide is returned as an error, with
// nothing stored.
func (s *Store) ProcessInbound(ctx context.Context, in panel.InboundSMS, decide panel.DecideFunc) (*panel.InboundResult, error) {
	in, err := in.Normalize()
	if err != nil {
		return nil, err
	}
	req := &inboundReq{ctx: ctx, store: s, in: in, decide: recovering(decide), done: make(chan struct{})}
	if s.inTx {
		s.runInboundBatch(ctx, []*inboundReq{req})
	} else {
		s.inboundQ.process(ctx, req)
	}
	<-req.done
	return req.res, req.err
}

// runInboundBatch handles batch and finishes every request in it. A batch
// of several that fails is handled again one message at a time.
func (s *Store) runInboundBatch(ctx context.Context, batch []*inboundReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.finish(nil, unavailable(err)) // nothing was stored
			continue
		}
		live = append(live, r)
	}
	switch len(live) {
	case 0:
		return
	case 1:
		r := live[0]
		if err := s.inboundTx(r.ctx, live); err != nil {
			r.finish(r.store.afterFailure(r.ctx, r.in, err))
		}
		return
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), inboundBatchTime)
	defer cancel()
	if err := s.inboundTx(bctx, live); err != nil {
		s.logger.WarnContext(ctx, "inbound batch rolled back; handling its messages one by one",
			slog.Int("messages", len(live)), slog.String("error", err.Error()))
		for _, r := range live {
			s.runInboundBatch(r.ctx, []*inboundReq{r})
		}
	}
}

// afterFailure is the result of a message whose batch of one failed with
// err: a duplicate when the provider id was stored meanwhile (it raced
// this one), err otherwise.
func (s *Store) afterFailure(ctx context.Context, in panel.InboundSMS, err error) (*panel.InboundResult, error) {
	if m, ferr := s.FindInboundByProviderID(ctx, in.ProviderID); ferr == nil {
		return &panel.InboundResult{Message: m, Duplicate: true, Reply: m.Reply}, nil
	}
	// A connection that could not be had (the database hangs) is
	// EUNAVAILABLE like any other outage.
	return nil, translate(err, "inbound message")
}

// inboundWrite is a message of a batch to store, with what the dialogue
// decided.
type inboundWrite struct {
	req  *inboundReq
	row  inboundRow
	snap *panel.DialogueSnapshot
	out  *panel.DialogueOutcome
	res  *panel.InboundResult
	now  time.Time
}

// inboundTx handles the messages of batch (distinct senders, distinct
// provider ids) in one transaction and, once it has committed, finishes
// them. On error nothing is stored and no request is finished.
func (s *Store) inboundTx(ctx context.Context, batch []*inboundReq) error {
	d := s.drv
	phones, pids := make([]string, len(batch)), make([]string, len(batch))
	for i, r := range batch {
		phones[i], pids[i] = string(r.in.From), r.in.ProviderID
	}
	var (
		senders = map[string][]*senderRow{}
		stored  = map[string]*inboundRow{}
		ids     []int64
		results = make([]struct {
			res *panel.InboundResult
			err error
		}, len(batch))
	)
	err := s.pipelineTx(ctx, func(p pipeline, gdb *gorm.DB, commit func() error) error {
		d.queueSenderLocks(p, senderLockClass, phones)
		p.queue(func(r rows) error {
			return scanAll(r, senderColumns, func(sr *senderRow) { senders[deref(sr.Phone)] = append(senders[deref(sr.Phone)], sr) })
		}, sendersQuery(d), panel.DrawSeeded, d.listParam(phones), panel.RecipientPending, panel.CampaignSending, panel.CampaignPaused)
		p.queue(func(r rows) error {
			return scanAll(r, inboundColumns, func(m *inboundRow) { stored[m.ProviderID] = m })
		}, "SELECT "+inboundColumns.list()+" FROM inbound_messages WHERE "+d.inList("provider_id"), d.listParam(pids))
		p.queue(func(r rows) error {
			for r.Next() {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return r.Err()
		}, d.newIDs("inbound_messages"), len(batch))
		if err := p.flush(ctx); err != nil {
			return err
		}
		if len(ids) != len(batch) {
			return fmt.Errorf("store: inbound batch: got %d new ids for %d messages", len(ids), len(batch))
		}

		var writes []*inboundWrite
		for i, r := range batch {
			if m, ok := stored[r.in.ProviderID]; ok {
				msg := m.toPanel()
				results[i].res = &panel.InboundResult{Message: msg, Duplicate: true, Reply: msg.Reply}
				continue
			}
			now := r.store.clock()
			row := newInboundRow(r.in, now)
			row.ID = ids[i]
			snap, err := bestSender(senders[string(r.in.From)]).snapshot(row.toPanel())
			if err != nil {
				return err
			}
			out, err := r.decide(snap)
			switch {
			case err != nil:
				results[i].err = err // nothing written for it
			case out == nil:
				results[i].err = fmt.Errorf("store: inbound message %d: decide returned no outcome", row.ID)
			default:
				w := &inboundWrite{req: r, row: row, snap: snap, out: out, res: finishInbound(snap, out, now), now: now}
				writes = append(writes, w)
				results[i].res = w.res
			}
		}

		// Messages first, in provider id order (so that two batches
		// racing with the same ids wait for each other in one order),
		// then what the dialogue decided for each.
		slices.SortFunc(writes, func(a, b *inboundWrite) int { return cmp.Compare(a.row.ProviderID, b.row.ProviderID) })
		for _, w := range writes {
			row := w.stored()
			p.queue(nil, inboundColumns.insert("inbound_messages"), inboundColumns.values(&row)...)
		}
		var audits []func() error
		for _, w := range writes {
			audit, err := queueOutcome(ctx, p, w.snap, w.out, w.now)
			if err != nil {
				return err
			}
			if audit != nil {
				tx := w.req.store.bind(gdb)
				audits = append(audits, func() error { return audit(tx) })
			}
		}
		if len(audits) > 0 {
			if err := p.flush(ctx); err != nil {
				return err
			}
			for _, audit := range audits {
				if err := audit(); err != nil {
					return err
				}
			}
		}
		return commit()
	})
	if err != nil {
		return translate(d.classify(err), "inbound messages")
	}
	for i, r := range batch {
		r.finish(results[i].res, results[i].err)
	}
	return nil
}

// stored is the message's row as it is inserted: handled, with its reply
// and sender.
func (w *inboundWrite) stored() inboundRow {
	m := w.res.Message
	row := w.row
	row.State, row.HandledAt, row.Reply = m.State, &w.now, strPtr(m.Reply)
	row.RecipientID, row.CampaignID, row.Inbox = idPtr(m.RecipientID), idPtr(m.CampaignID), strPtr(m.Inbox)
	return row
}

// finishInbound is the result of a new message once out is applied: the
// message as it is stored at the end.
func finishInbound(snap *panel.DialogueSnapshot, out *panel.DialogueOutcome, now time.Time) *panel.InboundResult {
	m := snap.Message
	m.State, m.Reply, m.HandledAt = out.MessageState, out.Reply, &now
	if m.State == "" {
		m.State = panel.InboundHandled
	}
	if out.ToInbox {
		m.Inbox = panel.InboxOpen
	}
	if snap.Recipient != nil {
		m.RecipientID, m.CampaignID, m.RecipientPseudoID = snap.Recipient.ID, snap.Recipient.CampaignID, snap.Recipient.PseudoID
	}
	return &panel.InboundResult{Message: m, Reply: out.Reply}
}

// Writes of an outcome.
const (
	optOutRecipients = `UPDATE recipients SET state = ?, opted_out_at = ?, updated_at = ? WHERE phone = ? AND state <> ?`
	optOutVolunteers = `UPDATE volunteers SET dialogue_state = ?, complete = ?, updated_at = ?
		WHERE recipient_id IN (SELECT id FROM recipients WHERE phone = ?)`
	optOutQueued = `UPDATE outbound_messages SET state = ?, updated_at = ?
		WHERE state = ? AND recipient_id IN (SELECT id FROM recipients WHERE phone = ?)`
	setRecipientState = `UPDATE recipients SET state = ?, updated_at = ?, reprompts = ? WHERE id = ?`
	setReprompts      = `UPDATE recipients SET reprompts = ? WHERE id = ?`
	setMemberState    = `UPDATE panel_members SET state = ?, answered_at = ?, updated_at = ? WHERE id = ? AND state = ? RETURNING id`
)

// queueOutcome queues on p the writes of what the dialogue decided: an
// opt-out of the number (every recipient with it, in every campaign, their
// volunteer rows withdrawn and their queued messages cancelled), the
// recipient's state and re-prompts, a draw member's answer, the volunteer
// and its answers. A member's answer also needs an audit event once p is
// flushed: audit writes it on a Store bound to the same transaction.
func queueOutcome(ctx context.Context, p pipeline, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome, now time.Time) (audit func(tx *Store) error, err error) {
	r := snap.Recipient
	if r == nil {
		if out.OptOut || out.RecipientState != "" || out.Volunteer != nil || len(out.Answers) > 0 {
			return nil, fmt.Errorf("store: inbound message %d: outcome changes a recipient, but the sender is none", snap.Message.ID)
		}
		return nil, nil
	}
	if out.OptOut {
		phone := string(r.Phone)
		p.queue(nil, optOutRecipients, panel.RecipientOptedOut, now, now, phone, panel.RecipientOptedOut)
		p.queue(nil, optOutVolunteers, panel.DialogueWithdrawn, false, now, phone)
		p.queue(nil, optOutQueued, panel.MessageCancelled, now, panel.MessageQueued, phone)
	}
	switch {
	case !out.OptOut && out.RecipientState != "" && out.RecipientState != r.State:
		p.queue(nil, setRecipientState, out.RecipientState, now, out.Reprompts, r.ID)
	case out.Reprompts != snap.Reprompts:
		p.queue(nil, setReprompts, out.Reprompts, r.ID)
	}
	if m := snap.Member; m != nil && out.MemberState != "" && out.MemberState != m.State {
		changed := false
		p.queue(func(rs rows) error {
			for rs.Next() {
				changed = true
			}
			return rs.Err()
		}, setMemberState, out.MemberState, now, now, m.ID, m.State)
		audit = func(tx *Store) error {
			if !changed {
				return nil
			}
			return tx.audit(panel.WithActor(ctx, smsActor), "draw.member_"+out.MemberState,
				drawSubject(m.DrawID), map[string]any{"member": m.PseudoID, "from": m.State, "to": out.MemberState,
					"inbound_message_id": snap.Message.ID})
		}
	}
	if v := out.Volunteer; v != nil {
		if v.ID == 0 && v.RecipientID != r.ID {
			return nil, fmt.Errorf("store: inbound message %d: new volunteer is not the sender's", snap.Message.ID)
		}
		if err := queueSaveVolunteer(p, v, now); err != nil {
			return nil, err
		}
		queueAnswers(p, r.ID, snap.Message.ID, out.Answers, now)
	}
	return audit, nil
}
