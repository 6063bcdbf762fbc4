package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.InboundStore = (*Store)(nil)

// maxResolution bounds an organiser's note on a resolved inbox message.
const maxResolution = 2000

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

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func idPtr(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
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

// ProcessInbound stores a message and applies decide's outcome in one
// transaction; see panel.InboundStore. The insert uses ON CONFLICT DO
// NOTHING on provider_id: on PostgreSQL a concurrent duplicate waits on the
// unique index until the first transaction ends and then finds its row (and
// its reply); on SQLite the transaction holds the write lock throughout.
// On PostgreSQL, outside a transaction, the work takes two pipelined round
// trips (see processInboundPG), and messages that arrive together share
// them and one commit (see processInboundQueued); decide may then be called
// a second time for a message whose outcome opts out or answers a draw
// (only the last outcome counts). Inside a transaction, and on SQLite, the
// work goes through GORM statement by statement. A panic in decide is
// returned as an error, with nothing stored.
func (s *Store) ProcessInbound(ctx context.Context, in panel.InboundSMS, decide panel.DecideFunc) (*panel.InboundResult, error) {
	in, err := in.Normalize()
	if err != nil {
		return nil, err
	}
	decide = recovering(decide)
	if s.dialect == DialectPostgres && !s.inTx {
		if s.inboundQ != nil {
			return s.processInboundQueued(ctx, in, decide)
		}
		return s.processInboundPG(ctx, in, decide)
	}
	var res *panel.InboundResult
	err = s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		row := newInboundRow(in, now)
		ins := tx.conn(ctx).Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "provider_id"}}, DoNothing: true,
		}).Create(&row)
		if ins.Error != nil {
			return translate(ins.Error, "inbound message")
		}
		if ins.RowsAffected == 0 {
			m, err := tx.FindInboundByProviderID(ctx, in.ProviderID)
			if err != nil {
				return err
			}
			res = &panel.InboundResult{Message: m, Duplicate: true, Reply: m.Reply}
			return nil
		}
		snap, err := tx.snapshot(ctx, row.toPanel())
		if err != nil {
			return err
		}
		out, err := decide(snap)
		if err != nil {
			return err
		}
		if out == nil {
			return fmt.Errorf("store: inbound message %d: decide returned no outcome", row.ID)
		}
		if err := tx.applyOutcome(ctx, snap, out, now); err != nil {
			return err
		}
		res = finishInbound(snap, out, now)
		m := res.Message
		set := map[string]any{"state": m.State, "handled_at": now, "reply": strPtr(m.Reply),
			"recipient_id": idPtr(m.RecipientID), "campaign_id": idPtr(m.CampaignID), "inbox": strPtr(m.Inbox)}
		if err := tx.conn(ctx).Model(&inboundRow{}).Where("id = ?", row.ID).Updates(set).Error; err != nil {
			return translate(err, "inbound message")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// applyOutcome writes what the dialogue decided.
func (s *Store) applyOutcome(ctx context.Context, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome, now time.Time) error {
	r := snap.Recipient
	if r == nil {
		if out.OptOut || out.RecipientState != "" || out.Volunteer != nil || len(out.Answers) > 0 {
			return fmt.Errorf("store: inbound message %d: outcome changes a recipient, but the sender is none", snap.Message.ID)
		}
		return nil
	}
	if out.OptOut {
		if err := s.optOutNumber(ctx, r.Phone, now); err != nil {
			return err
		}
	}
	set := map[string]any{}
	if !out.OptOut && out.RecipientState != "" && out.RecipientState != r.State {
		set["state"], set["updated_at"] = out.RecipientState, now
	}
	if out.Reprompts != snap.Reprompts {
		set["reprompts"] = out.Reprompts
	}
	if len(set) > 0 {
		if err := s.conn(ctx).Model(&recipientRow{}).Where("id = ?", r.ID).Updates(set).Error; err != nil {
			return translate(err, "recipient")
		}
	}
	if err := s.applyMemberState(ctx, snap, out, now); err != nil {
		return err
	}
	if out.Volunteer != nil {
		if err := s.saveVolunteer(ctx, out.Volunteer, now); err != nil {
			return err
		}
		if err := s.saveAnswers(ctx, out.Volunteer.ID, snap.Message.ID, out.Answers, now); err != nil {
			return err
		}
	}
	return nil
}

// optOutNumber opts out every recipient with the number, in every
// campaign, withdraws their volunteer rows and cancels their queued
// messages.
func (s *Store) optOutNumber(ctx context.Context, phone panel.Phone, now time.Time) error {
	var ids []int64
	if err := s.conn(ctx).Model(&recipientRow{}).Where("phone = ?", string(phone)).Pluck("id", &ids).Error; err != nil {
		return translate(err, "recipients")
	}
	if len(ids) == 0 {
		return nil
	}
	err := s.conn(ctx).Model(&recipientRow{}).Where("id IN ? AND state <> ?", ids, panel.RecipientOptedOut).
		Updates(map[string]any{"state": panel.RecipientOptedOut, "opted_out_at": now, "updated_at": now}).Error
	if err != nil {
		return translate(err, "recipients")
	}
	err = s.conn(ctx).Model(&volunteerRow{}).Where("recipient_id IN ?", ids).
		Updates(map[string]any{"dialogue_state": panel.DialogueWithdrawn, "complete": false, "updated_at": now}).Error
	if err != nil {
		return translate(err, "volunteers")
	}
	for _, id := range ids {
		if _, err := s.CancelQueuedForRecipient(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// CancelQueuedForRecipient cancels the recipient's queued outbound
// messages; see panel.InboundStore.
func (s *Store) CancelQueuedForRecipient(ctx context.Context, recipientID int64) (int, error) {
	res := s.conn(ctx).Table("outbound_messages").Where("recipient_id = ? AND state = ?", recipientID, panel.MessageQueued).
		Updates(map[string]any{"state": panel.MessageCancelled, "updated_at": s.clock()})
	if res.Error != nil {
		return 0, translate(res.Error, "outbound messages")
	}
	return int(res.RowsAffected), nil
}

// FindInboundByProviderID returns a stored message, or ENOTFOUND.
func (s *Store) FindInboundByProviderID(ctx context.Context, providerID string) (*panel.InboundMessage, error) {
	var row inboundRow
	if err := s.conn(ctx).Where("provider_id = ?", providerID).Take(&row).Error; err != nil {
		return nil, translate(err, "inbound message")
	}
	return row.toPanel(), nil
}

// ListInbox lists the campaign's inbox messages; see panel.InboundStore.
func (s *Store) ListInbox(ctx context.Context, campaignID int64, f panel.InboxFilter) ([]*panel.InboundMessage, int, error) {
	limit, err := listLimit(f.Limit)
	if err != nil {
		return nil, 0, err
	}
	if f.Offset < 0 {
		return nil, 0, panel.Errorf(panel.EINVALID, "offset must not be negative, got %d", f.Offset)
	}
	q := s.conn(ctx).Table("inbound_messages m").Where("m.campaign_id = ?", campaignID)
	switch f.State {
	case "":
		q = q.Where("m.inbox IS NOT NULL")
	case panel.InboxOpen, panel.InboxResolved:
		q = q.Where("m.inbox = ?", f.State)
	default:
		return nil, 0, panel.Errorf(panel.EINVALID, "state must be open or resolved, got %q", f.State)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "inbox")
	}
	var rows []inboundRow
	if err := q.Select("m.*").Order("m.received_at, m.id").Offset(f.Offset).Limit(limit).Scan(&rows).Error; err != nil {
		return nil, 0, translate(err, "inbox")
	}
	pseudonyms, err := s.pseudonyms(ctx, rows)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*panel.InboundMessage, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
		out[i].RecipientPseudoID = pseudonyms[out[i].RecipientID]
	}
	return out, int(total), nil
}

// pseudonyms returns the pseudonyms of the messages' recipients by id.
func (s *Store) pseudonyms(ctx context.Context, rows []inboundRow) (map[int64]string, error) {
	var ids []int64
	for _, r := range rows {
		if r.RecipientID != nil {
			ids = append(ids, *r.RecipientID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []recipientRow
	if err := s.conn(ctx).Select("id, pseudonym").Where("id IN ?", ids).Find(&found).Error; err != nil {
		return nil, translate(err, "recipients")
	}
	for _, r := range found {
		out[r.ID] = r.Pseudonym
	}
	return out, nil
}

// ResolveInbox marks an inbox message resolved; see panel.InboundStore.
// The "inbox.resolved" audit event, under the actor carried by ctx, is
// written in the same transaction.
func (s *Store) ResolveInbox(ctx context.Context, campaignID, messageID int64, resolution string) (*panel.InboundMessage, error) {
	resolution = strings.TrimSpace(panel.CleanText(resolution, maxResolution))
	var out *panel.InboundMessage
	err := s.InTx(ctx, func(tx *Store) error {
		var row inboundRow
		err := tx.conn(ctx).Where("id = ? AND campaign_id = ? AND inbox IS NOT NULL", messageID, campaignID).Take(&row).Error
		if err != nil {
			return translate(err, "inbox message")
		}
		if deref(row.Inbox) == panel.InboxResolved {
			return panel.Errorf(panel.ECONFLICT, "inbox message %d is resolved already", messageID)
		}
		now := tx.clock()
		err = tx.conn(ctx).Model(&inboundRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"inbox": panel.InboxResolved, "resolved_at": now, "resolution": resolution}).Error
		if err != nil {
			return translate(err, "inbox message")
		}
		// The note stays out of the audit log: it may name the person,
		// and the log outlives the purge of personal data.
		details, err := encodeJSON(map[string]any{"campaign_id": campaignID, "message_id": messageID}, "inbox audit details")
		if err != nil {
			return err
		}
		err = tx.AppendAudit(ctx, &panel.AuditEvent{
			Actor:   panel.ActorOrSystem(ctx).Name,
			Action:  "inbox.resolved",
			Subject: fmt.Sprintf("campaign/%d/inbox/%d", campaignID, messageID),
			Details: []byte(details),
		})
		if err != nil {
			return err
		}
		row.Inbox, row.ResolvedAt, row.Resolution = strPtr(panel.InboxResolved), &now, &resolution
		out = row.toPanel()
		return nil
	})
	return out, err
}

// encodeJSON marshals v for a JSON column.
func encodeJSON(v any, what string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encode %s: %w", what, err)
	}
	return string(b), nil
}
