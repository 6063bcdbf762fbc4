package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// senderRow is a recipient with the number of an inbound message, its
// campaign's state and dialogue, and its volunteer row if any (the V
// fields, NULL without one): everything the dialogue reads, in one query.
type senderRow struct {
	ID               int64
	CampaignID       int64
	Phone            *string
	Attributes       string
	Pseudonym        string
	State            string
	OptedOutAt       *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Reprompts        int
	CampaignState    string
	CampaignDialogue string
	VID              *int64
	VExternalID      *string
	VCategoryValues  *string
	VHouseholdKey    *string
	VDialogueStep    *int
	VDialogueState   *string
	VComplete        *bool
	VSource          *string
	VLanguage        *string
	VReprompts       *int
	VCreatedAt       *time.Time
	VUpdatedAt       *time.Time
}

// senderQuery selects the senderRow columns for a phone number.
const senderQuery = `SELECT r.id, r.campaign_id, r.phone, r.attributes, r.pseudonym, r.state, r.opted_out_at,
	r.created_at, r.updated_at, r.reprompts, c.state AS campaign_state, c.dialogue AS campaign_dialogue,
	v.id AS v_id, v.external_id AS v_external_id, v.category_values AS v_category_values,
	v.household_key AS v_household_key, v.dialogue_step AS v_dialogue_step, v.dialogue_state AS v_dialogue_state,
	v.complete AS v_complete, v.source AS v_source, v.language AS v_language, v.reprompts AS v_reprompts,
	v.created_at AS v_created_at, v.updated_at AS v_updated_at
	FROM recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN volunteers v ON v.recipient_id = r.id
	WHERE r.phone = ? AND (r.state <> ? OR c.state IN (?, ?)) ORDER BY r.id`

// snapshot reads, and on PostgreSQL locks, what the dialogue needs.
func (s *Store) snapshot(ctx context.Context, m *panel.InboundMessage) (*panel.DialogueSnapshot, error) {
	sender, err := s.lockSender(ctx, m.From)
	if err != nil {
		return nil, err
	}
	snap, err := senderSnapshot(m, sender)
	if err != nil || snap.Volunteer == nil {
		return snap, err
	}
	if snap.Member, err = s.memberOf(ctx, snap.Volunteer.ID); err != nil {
		return nil, err
	}
	return snap, nil
}

// senderSnapshot is the snapshot of message m from sender (nil for an
// unknown number), without its Member.
func senderSnapshot(m *panel.InboundMessage, sender *senderRow) (*panel.DialogueSnapshot, error) {
	snap := &panel.DialogueSnapshot{Message: m}
	if sender == nil {
		return snap, nil
	}
	rr := recipientRow{ID: sender.ID, CampaignID: sender.CampaignID, Phone: sender.Phone, Attributes: sender.Attributes,
		Pseudonym: sender.Pseudonym, State: sender.State, OptedOutAt: sender.OptedOutAt,
		CreatedAt: sender.CreatedAt, UpdatedAt: sender.UpdatedAt}
	var err error
	if snap.Recipient, err = rr.toPanel(); err != nil {
		return nil, err
	}
	snap.CampaignState, snap.Reprompts = sender.CampaignState, sender.Reprompts
	if snap.Dialogue, err = decodeDialogue(sender.CampaignID, sender.CampaignDialogue); err != nil {
		return nil, err
	}
	if sender.VID != nil {
		vr := volunteerRow{
			ID: *sender.VID, CampaignID: sender.CampaignID, RecipientID: &sender.ID, ExternalID: deref(sender.VExternalID),
			CategoryValues: deref(sender.VCategoryValues), HouseholdKey: sender.VHouseholdKey,
			DialogueStep: derefOr(sender.VDialogueStep), DialogueState: deref(sender.VDialogueState),
			Complete: sender.VComplete != nil && *sender.VComplete, Source: deref(sender.VSource),
			Language: deref(sender.VLanguage), Reprompts: derefOr(sender.VReprompts),
		}
		if sender.VCreatedAt != nil {
			vr.CreatedAt = *sender.VCreatedAt
		}
		if sender.VUpdatedAt != nil {
			vr.UpdatedAt = *sender.VUpdatedAt
		}
		if snap.Volunteer, err = vr.toPanel(); err != nil {
			return nil, err
		}
	}
	return snap, nil
}

func derefOr(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// lockSender returns the recipient an inbound message from phone belongs
// to: one that was invited (state not pending) or whose campaign is
// sending, preferring campaigns that are not closed, then the newest. On
// PostgreSQL every such recipient row with the number is locked, in id
// order, so two messages from one person wait for each other instead of
// deadlocking. nil when there is none.
func (s *Store) lockSender(ctx context.Context, phone panel.Phone) (*senderRow, error) {
	if phone == "" {
		return nil, nil
	}
	q := senderQuery
	if s.dialect == DialectPostgres {
		q += " FOR UPDATE OF r"
	}
	var rows []senderRow
	err := s.conn(ctx).Raw(q, string(phone), panel.RecipientPending, panel.CampaignSending, panel.CampaignPaused).
		Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "recipient")
	}
	if i := bestSender(len(rows), func(i int) string { return rows[i].CampaignState }); i >= 0 {
		return &rows[i], nil
	}
	return nil, nil
}

// bestSender picks the sender among n rows of senderQuery, given in id
// order with their campaign states: a newer row wins unless it would
// replace a recruiting campaign's row by one that no longer recruits. -1
// when there is none.
func bestSender(n int, campaignState func(i int) string) int {
	best := -1
	for i := range n {
		if best < 0 || recruiting(campaignState(i)) || !recruiting(campaignState(best)) {
			best = i
		}
	}
	return best
}

// recruiting reports whether a campaign in state still takes volunteers.
func recruiting(state string) bool { return state != panel.CampaignClosed }

// decodeDialogue reads a campaign's dialogue column; empty means the
// default.
func decodeDialogue(campaignID int64, raw string) (panel.DialogueConfig, error) {
	var cfg panel.DialogueConfig
	if raw != "" && raw != "{}" {
		if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
			return panel.DialogueConfig{}, fmt.Errorf("store: campaign %d: decode dialogue: %w", campaignID, err)
		}
	}
	if cfg.IsZero() {
		return panel.DefaultDialogue(), nil
	}
	return cfg, nil
}
