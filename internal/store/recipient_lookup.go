package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file finds recipients for organisers (panel.RecipientFinder): by
// phone number in one campaign or all, a campaign's list, and one
// recipient with every message in both directions. It reads recipients,
// campaigns, volunteers, outbound_messages and inbound_messages and
// writes nothing.

var _ panel.RecipientFinder = (*Store)(nil)

// recipientDetailRow is a recipient as the queries of this file select it.
type recipientDetailRow struct {
	ID           int64
	CampaignID   int64
	CampaignName string
	Phone        string
	Pseudonym    string
	State        string
	Attributes   string
	Volunteer    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const recipientDetailSelect = `SELECT r.id, r.campaign_id, c.name AS campaign_name, COALESCE(r.phone, '') AS phone,
	r.pseudonym, r.state, r.attributes, COALESCE(v.dialogue_state, '') AS volunteer, r.created_at, r.updated_at
	FROM recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN volunteers v ON v.recipient_id = r.id`

// FindRecipientsByPhone implements panel.RecipientFinder.
func (s *Store) FindRecipientsByPhone(ctx context.Context, campaignID int64, p panel.Phone) ([]panel.RecipientDetail, error) {
	q := recipientDetailSelect + ` WHERE r.phone = ?`
	args := []any{string(p)}
	if campaignID != 0 {
		if err := s.campaignExists(ctx, campaignID); err != nil {
			return nil, err
		}
		q += ` AND r.campaign_id = ?`
		args = append(args, campaignID)
	}
	var rows []recipientDetailRow
	if err := s.conn(ctx).Raw(q+` ORDER BY r.campaign_id, r.id`, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err, "recipients")
	}
	return s.withMessages(ctx, rows)
}

// ListRecipients implements panel.RecipientFinder.
func (s *Store) ListRecipients(ctx context.Context, campaignID int64, f panel.RecipientFilter) ([]panel.RecipientDetail, int, error) {
	if err := s.campaignExists(ctx, campaignID); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	where, args := ` WHERE r.campaign_id = ?`, []any{campaignID}
	if f.State != "" {
		where += ` AND r.state = ?`
		args = append(args, f.State)
	}
	var total int64
	if err := s.conn(ctx).Raw(`SELECT COUNT(*) FROM recipients r`+where, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(err, "recipients")
	}
	var rows []recipientDetailRow
	err := s.conn(ctx).Raw(recipientDetailSelect+where+` ORDER BY r.id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...).Scan(&rows).Error
	if err != nil {
		return nil, 0, translate(err, "recipients")
	}
	out := make([]panel.RecipientDetail, len(rows))
	for i, r := range rows {
		d, err := r.detail()
		if err != nil {
			return nil, 0, err
		}
		out[i] = d
	}
	return out, int(total), nil
}

// RecipientDetail implements panel.RecipientFinder.
func (s *Store) RecipientDetail(ctx context.Context, campaignID, recipientID int64) (*panel.RecipientDetail, error) {
	var rows []recipientDetailRow
	err := s.conn(ctx).Raw(recipientDetailSelect+` WHERE r.campaign_id = ? AND r.id = ?`, campaignID, recipientID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "recipient")
	}
	if len(rows) == 0 {
		return nil, panel.Errorf(panel.ENOTFOUND, "campaign %d has no recipient %d", campaignID, recipientID)
	}
	out, err := s.withMessages(ctx, rows)
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// detail turns a row into a RecipientDetail without messages.
func (r recipientDetailRow) detail() (panel.RecipientDetail, error) {
	d := panel.RecipientDetail{ID: r.ID, CampaignID: r.CampaignID, CampaignName: r.CampaignName, Phone: panel.Phone(r.Phone),
		PseudoID: r.Pseudonym, State: r.State, Volunteer: r.Volunteer, Attributes: map[string]string{},
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Messages: []panel.RecipientMessage{}}
	if r.Attributes != "" {
		if err := json.Unmarshal([]byte(r.Attributes), &d.Attributes); err != nil {
			return d, fmt.Errorf("store: recipient %d: decode attributes: %w", r.ID, err)
		}
	}
	return d, nil
}

// withMessages turns rows into details with every message of each, in
// both directions, oldest first.
func (s *Store) withMessages(ctx context.Context, rows []recipientDetailRow) ([]panel.RecipientDetail, error) {
	out := make([]panel.RecipientDetail, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		d, err := r.detail()
		if err != nil {
			return nil, err
		}
		out[i], ids[i], at[r.ID] = d, r.ID, i
	}
	var outbound []struct {
		ID          int64
		RecipientID int64
		Kind        string
		Body        string
		State       string
		ErrorCode   int
		Error       string
		CreatedAt   time.Time
		SentAt      *time.Time
	}
	err := s.conn(ctx).Raw(`SELECT id, recipient_id, kind, body, state, COALESCE(last_error_code, 0) AS error_code,
	COALESCE(last_error, '') AS error, created_at, sent_at
	FROM outbound_messages WHERE recipient_id IN ? ORDER BY id`, ids).Scan(&outbound).Error
	if err != nil {
		return nil, translate(err, "outbound messages")
	}
	for _, m := range outbound {
		msg := panel.RecipientMessage{ID: m.ID, Direction: panel.DirectionOut, Kind: m.Kind, Body: m.Body, State: m.State,
			ErrorCode: m.ErrorCode, Error: m.Error, At: m.CreatedAt.UTC()}
		if m.SentAt != nil {
			t := m.SentAt.UTC()
			msg.SentAt = &t
		}
		d := &out[at[m.RecipientID]]
		d.Messages = append(d.Messages, msg)
	}
	var inbound []struct {
		ID          int64
		RecipientID int64
		Body        string
		State       string
		Error       string
		Reply       *string
		ReceivedAt  time.Time
		HandledAt   *time.Time
	}
	err = s.conn(ctx).Raw(`SELECT id, recipient_id, COALESCE(body, '') AS body, state, COALESCE(error, '') AS error, reply,
	received_at, handled_at FROM inbound_messages WHERE recipient_id IN ? ORDER BY id`, ids).Scan(&inbound).Error
	if err != nil {
		return nil, translate(err, "inbound messages")
	}
	for _, m := range inbound {
		d := &out[at[m.RecipientID]]
		d.Messages = append(d.Messages, panel.RecipientMessage{ID: m.ID, Direction: panel.DirectionIn, Body: m.Body,
			State: m.State, Error: m.Error, At: m.ReceivedAt.UTC()})
		if m.Reply != nil && *m.Reply != "" {
			at := m.ReceivedAt
			if m.HandledAt != nil {
				at = *m.HandledAt
			}
			d.Messages = append(d.Messages, panel.RecipientMessage{ID: m.ID, Direction: panel.DirectionOut, Kind: panel.KindReply,
				Body: *m.Reply, State: panel.MessageSent, At: at.UTC(), InReplyTo: m.ID})
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Messages, func(a, b panel.RecipientMessage) int { return a.At.Compare(b.At) })
	}
	return out, nil
}

// UnmatchedInbound implements panel.RecipientFinder.
func (s *Store) UnmatchedInbound(ctx context.Context, p panel.Phone) ([]panel.RecipientMessage, error) {
	var rows []struct {
		ID         int64
		Body       string
		State      string
		Error      string
		ReceivedAt time.Time
	}
	err := s.conn(ctx).Raw(`SELECT id, COALESCE(body, '') AS body, state, COALESCE(error, '') AS error, received_at
	FROM inbound_messages WHERE from_number = ? AND recipient_id IS NULL ORDER BY received_at, id`, string(p)).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "inbound messages")
	}
	out := make([]panel.RecipientMessage, len(rows))
	for i, m := range rows {
		out[i] = panel.RecipientMessage{ID: m.ID, Direction: panel.DirectionIn, Body: m.Body, State: m.State, Error: m.Error, At: m.ReceivedAt.UTC()}
	}
	return out, nil
}
