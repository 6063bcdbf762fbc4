package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// The inbound hot path on PostgreSQL. ProcessInbound costs two round trips
// to the database there instead of about ten: the first pipelines BEGIN, the
// locking read of everything the dialogue needs, a look-up of the provider
// id and a new message id; the second pipelines the message, inserted with
// its final state, the writes the dialogue decided, and COMMIT. The queries
// go to pgx directly (its statement cache prepares each once per
// connection), without GORM's reflection. The outcomes that are rare and
// touch more tables (an opt-out, a draw member's answer) are applied by the
// same code as on SQLite, through GORM on the same connection and inside
// the same transaction.
//
// Duplicates: a provider id already committed is found by the look-up,
// which runs after the sender's rows are locked, so a retry from the same
// number waits for the first delivery to commit and then finds it. A
// duplicate that races past the look-up (possible only from a number
// without recipients, whose rows lock nothing) fails on the unique index
// when it inserts; its transaction is rolled back, so only the first
// outcome is applied, and it answers as a duplicate.

// pgLookupInbound returns a new message id and the stored message with
// the provider id, if any.
const pgLookupInbound = `SELECT nextval(pg_get_serial_sequence('inbound_messages', 'id')), m.id, m.provider_id,
	m.from_number, m.to_number, m.body, m.recipient_id, m.campaign_id, m.received_at, m.state, m.handled_at, m.error,
	m.reply, m.inbox, m.resolved_at, m.resolution
	FROM (SELECT 1) AS one LEFT JOIN inbound_messages m ON m.provider_id = $1`

// pgInsertInbound stores a handled message. A provider id stored since
// the look-up is a unique violation.
const pgInsertInbound = `INSERT INTO inbound_messages (id, provider_id, from_number, to_number, body, received_at, state,
	handled_at, reply, recipient_id, campaign_id, inbox) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

// pgSenderQuery is senderQuery for pgx, with the sender's newest seeded
// draw membership (m, NULL without one), locking the recipient rows.
var pgSenderQuery = pgSenderQueryFor("r.phone = $1", "r.id")

// pgSenderQueryFor is pgSenderQuery for the recipients that match where
// (on $1), locked in order. $2 to $5 are the pending state, the sending
// and paused campaign states and the seeded draw state. The volunteer is
// joined laterally (recipient_id is unique: LIMIT 1 changes nothing but
// keeps the subquery from being flattened), so that it is read through
// its index for each recipient, never by scanning the volunteers.
func pgSenderQueryFor(where, order string) string {
	return `SELECT r.id, r.campaign_id, r.phone, r.attributes::text, r.pseudonym, r.state, r.opted_out_at,
	r.created_at, r.updated_at, r.reprompts, c.state, c.dialogue::text,
	v.id, v.external_id, v.category_values::text, v.household_key, v.dialogue_step, v.dialogue_state,
	v.complete, v.source, v.language, v.reprompts, v.created_at, v.updated_at,
	m.id, m.draw_id, m.pseudonym, m.role, m.state
	FROM recipients r JOIN campaigns c ON c.id = r.campaign_id
	LEFT JOIN LATERAL (SELECT * FROM volunteers WHERE recipient_id = r.id LIMIT 1) v ON true
	LEFT JOIN LATERAL (SELECT pm.id, pm.draw_id, pm.pseudonym, pm.role, pm.state
		FROM panel_members pm JOIN draws d ON d.id = pm.draw_id AND d.state = $5
		WHERE pm.volunteer_id = v.id ORDER BY pm.draw_id DESC LIMIT 1) m ON true
	WHERE ` + where + ` AND (r.state <> $2 OR c.state IN ($3, $4)) ORDER BY ` + order + ` FOR UPDATE OF r`
}

// Writes of the second round trip.
const (
	pgRecipientState = `UPDATE recipients SET state = $2, updated_at = $3, reprompts = $4 WHERE id = $1`
	pgReprompts      = `UPDATE recipients SET reprompts = $2 WHERE id = $1`
	pgUpdateVol      = `UPDATE volunteers SET category_values = $2::jsonb, dialogue_step = $3, dialogue_state = $4,
		complete = $5, language = $6, reprompts = $7, updated_at = $8 WHERE id = $1`
	pgInsertVol = `INSERT INTO volunteers (campaign_id, recipient_id, external_id, category_values, household_key,
		dialogue_step, dialogue_state, complete, source, language, reprompts, created_at, updated_at)
		VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`
	// pgAnswers takes the volunteer by recipient, so that it also finds
	// one inserted earlier in the same pipeline.
	pgAnswers = `INSERT INTO volunteer_answers (volunteer_id, question, answer, inbound_message_id, created_at)
		SELECT (SELECT id FROM volunteers WHERE recipient_id = $1), q, a, $4, $5 FROM unnest($2::text[], $3::text[]) AS t(q, a)
		ON CONFLICT (volunteer_id, question) DO UPDATE
		SET answer = excluded.answer, inbound_message_id = excluded.inbound_message_id, created_at = excluded.created_at`
)

// rollbackTimeout bounds the ROLLBACK after a failure; a connection whose
// transaction is still open afterwards is discarded by the pool.
const rollbackTimeout = 5 * time.Second

// errRaced reports that a duplicate of the message was stored while it
// was handled.
var errRaced = errors.New("store: inbound message stored concurrently")

// processInboundPG is ProcessInbound on PostgreSQL; in is normalised.
func (s *Store) processInboundPG(ctx context.Context, in panel.InboundSMS, decide panel.DecideFunc) (*panel.InboundResult, error) {
	var res *panel.InboundResult
	err := s.db.WithContext(ctx).Connection(func(gdb *gorm.DB) error {
		conn, ok := gdb.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("store: inbound: connection is %T, not *sql.Conn", gdb.Statement.ConnPool)
		}
		var err error
		res, err = s.inboundOnConn(ctx, conn, s.bind(gdb), in, decide)
		if err != nil || res.Duplicate {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			defer cancel()
			// A failed ROLLBACK leaves the transaction open, and the
			// driver then refuses to reuse the connection.
			_, _ = conn.ExecContext(rctx, "ROLLBACK")
		}
		return err
	})
	if errors.Is(err, errRaced) {
		m, err := s.FindInboundByProviderID(ctx, in.ProviderID)
		if err != nil {
			return nil, err
		}
		return &panel.InboundResult{Message: m, Duplicate: true, Reply: m.Reply}, nil
	}
	// A connection that could not be had (the database hangs) is
	// EUNAVAILABLE like any other outage.
	return res, translate(err, "inbound message")
}

// inboundOnConn runs ProcessInbound's transaction on conn and commits it,
// unless the message is a duplicate; tx is a Store on the same connection.
// On error, and for a duplicate, the caller rolls back.
func (s *Store) inboundOnConn(ctx context.Context, conn *sql.Conn, tx *Store, in panel.InboundSMS, decide panel.DecideFunc) (*panel.InboundResult, error) {
	now := s.clock()
	row := newInboundRow(in, now)
	var (
		senders    []pgSender
		stored     inboundRow
		storedID   *int64
		storedPID  *string
		storedTime *time.Time
		storedSt   *string
	)
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	if in.From != "" {
		b.Queue(pgSenderQuery, string(in.From), panel.RecipientPending, panel.CampaignSending, panel.CampaignPaused, panel.DrawSeeded).
			Query(func(rows pgx.Rows) error {
				var err error
				senders, err = scanSenders(rows)
				return err
			})
	}
	b.Queue(pgLookupInbound, in.ProviderID).QueryRow(func(r pgx.Row) error {
		return r.Scan(&row.ID, &storedID, &storedPID, &stored.FromNumber, &stored.ToNumber, &stored.Body,
			&stored.RecipientID, &stored.CampaignID, &storedTime, &storedSt, &stored.HandledAt, &stored.Error,
			&stored.Reply, &stored.Inbox, &stored.ResolvedAt, &stored.Resolution)
	})
	if err := sendBatch(ctx, conn, b); err != nil {
		return nil, translatePG(err, "inbound message")
	}
	if storedID != nil {
		stored.ID, stored.ProviderID, stored.State = *storedID, deref(storedPID), deref(storedSt)
		if storedTime != nil {
			stored.ReceivedAt = *storedTime
		}
		m := stored.toPanel()
		return &panel.InboundResult{Message: m, Duplicate: true, Reply: m.Reply}, nil
	}

	var (
		sender *pgSender
		sr     *senderRow
	)
	if i := bestSender(len(senders), func(i int) string { return senders[i].CampaignState }); i >= 0 {
		sender, sr = &senders[i], &senders[i].senderRow
	}
	snap, err := senderSnapshot(row.toPanel(), sr)
	if err != nil {
		return nil, err
	}
	if snap.Volunteer != nil {
		snap.Member = sender.member
	}
	out, err := decide(snap)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("store: inbound message %d: decide returned no outcome", row.ID)
	}

	res := finishInbound(snap, out, now)
	m := res.Message
	b = &pgx.Batch{}
	b.Queue(pgInsertInbound, m.ID, m.ProviderID, row.FromNumber, row.ToNumber, row.Body, row.ReceivedAt, m.State, now,
		strPtr(m.Reply), idPtr(m.RecipientID), idPtr(m.CampaignID), strPtr(m.Inbox))
	if rareOutcome(snap, out) {
		// Written by the code SQLite uses, on this connection, once the
		// message is stored.
		if err := sendBatch(ctx, conn, b); err != nil {
			return nil, inboundInsertError(err)
		}
		if err := tx.applyOutcome(ctx, snap, out, now); err != nil {
			return nil, err
		}
		b = &pgx.Batch{}
	} else if err := queueOutcome(b, snap, out, now); err != nil {
		return nil, err
	}
	b.Queue("COMMIT")
	if err := sendBatch(ctx, conn, b); err != nil {
		return nil, inboundInsertError(err)
	}
	return res, nil
}

// inboundInsertError is errRaced for a unique violation on
// inbound_messages (the provider id), and translatePG's error otherwise.
func inboundInsertError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == pgUniqueViolation && pe.TableName == "inbound_messages" {
		return errRaced
	}
	return translatePG(err, "inbound message")
}

// rareOutcome reports whether out opts out or changes a draw member, which
// the GORM code applies.
func rareOutcome(snap *panel.DialogueSnapshot, out *panel.DialogueOutcome) bool {
	return out.OptOut || (out.MemberState != "" && snap.Member != nil && out.MemberState != snap.Member.State)
}

// queueOutcome queues on b the writes applyOutcome makes for an outcome
// that is not rare: the recipient's state and re-prompts, the volunteer
// and its answers.
func queueOutcome(b *pgx.Batch, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome, now time.Time) error {
	r := snap.Recipient
	if r == nil {
		if out.RecipientState != "" || out.Volunteer != nil || len(out.Answers) > 0 {
			return fmt.Errorf("store: inbound message %d: outcome changes a recipient, but the sender is none", snap.Message.ID)
		}
		return nil
	}
	switch {
	case out.RecipientState != "" && out.RecipientState != r.State:
		b.Queue(pgRecipientState, r.ID, out.RecipientState, now, out.Reprompts)
	case out.Reprompts != snap.Reprompts:
		b.Queue(pgReprompts, r.ID, out.Reprompts)
	}
	v := out.Volunteer
	if v == nil {
		return nil
	}
	vj, lang, err := volunteerColumns(v)
	if err != nil {
		return err
	}
	if v.ID != 0 {
		b.Queue(pgUpdateVol, v.ID, vj, v.Step, v.DialogueState, v.Complete, lang, v.Reprompts, now)
		v.UpdatedAt = now
	} else {
		if v.RecipientID != r.ID {
			return fmt.Errorf("store: inbound message %d: new volunteer is not the sender's", snap.Message.ID)
		}
		b.Queue(pgInsertVol, v.CampaignID, r.ID, v.ExternalID, vj, strPtr(v.HouseholdKey), v.Step, v.DialogueState,
			v.Complete, v.Source, lang, v.Reprompts, now).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(&v.ID); err != nil {
				return err
			}
			v.CreatedAt, v.UpdatedAt = now, now
			return nil
		})
	}
	if len(out.Answers) > 0 {
		qs, as := make([]string, len(out.Answers)), make([]string, len(out.Answers))
		for i, a := range out.Answers {
			qs[i], as[i] = a.Question, a.Answer
		}
		b.Queue(pgAnswers, r.ID, qs, as, snap.Message.ID, now)
	}
	return nil
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

// pgSender is a row of pgSenderQuery.
type pgSender struct {
	senderRow
	member *panel.MemberRef
}

// scanSenders reads the rows of pgSenderQuery.
func scanSenders(rows pgx.Rows) ([]pgSender, error) {
	var out []pgSender
	for rows.Next() {
		var (
			p                          pgSender
			mID, mDraw                 *int64
			mPseudo, mRole, mState     *string
			r                          = &p.senderRow
			campaignState, dialogueRaw string
		)
		err := rows.Scan(&r.ID, &r.CampaignID, &r.Phone, &r.Attributes, &r.Pseudonym, &r.State, &r.OptedOutAt,
			&r.CreatedAt, &r.UpdatedAt, &r.Reprompts, &campaignState, &dialogueRaw,
			&r.VID, &r.VExternalID, &r.VCategoryValues, &r.VHouseholdKey, &r.VDialogueStep, &r.VDialogueState,
			&r.VComplete, &r.VSource, &r.VLanguage, &r.VReprompts, &r.VCreatedAt, &r.VUpdatedAt,
			&mID, &mDraw, &mPseudo, &mRole, &mState)
		if err != nil {
			return nil, err
		}
		r.CampaignState, r.CampaignDialogue = campaignState, dialogueRaw
		if mID != nil {
			p.member = &panel.MemberRef{ID: *mID, DrawID: derefInt(mDraw), PseudoID: deref(mPseudo), Role: deref(mRole), State: deref(mState)}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// sendBatch sends b on conn's pgx connection in one round trip and runs
// the callbacks of its queries in order; the first error stops them.
func sendBatch(ctx context.Context, conn *sql.Conn, b *pgx.Batch) error {
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: driver connection is %T, not pgx", dc)
		}
		return sc.Conn().SendBatch(ctx, b).Close()
	})
}

// PostgreSQL error codes that translate maps through GORM's errors.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

// translatePG is translate for errors from pgx used directly, which GORM's
// error translation never saw.
func translatePG(err error, what string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			err = errors.Join(gorm.ErrDuplicatedKey, err)
		case pgForeignKeyViolation:
			err = errors.Join(gorm.ErrForeignKeyViolated, err)
		}
	}
	return translate(err, what)
}
