package store

import (
	"context"
	"slices"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns a campaign's invitations: importing its recipients,
// starting and changing its sending state, and counting its messages.

// Audit actions of the invitation round.
const (
	AuditRecipientsImported = "recipients.imported"
	AuditSendingStarted     = "campaign.sending_started"
	AuditCampaignPaused     = "campaign.paused"
	AuditCampaignResumed    = "campaign.resumed"
)

// ImportCampaignRecipients stores rows like ImportRecipients, all or
// nothing, but only while the campaign takes imports (draft, sending or
// paused; ECONFLICT otherwise), and writes the "recipients.imported" audit
// event in the same transaction: how many rows were imported and, for a
// partial import, how many the caller rejected before (never a number).
// Nothing is recorded when no row is imported.
func (s *Store) ImportCampaignRecipients(ctx context.Context, campaignID int64, rows []panel.RecipientInput, rejected int) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx *Store) error {
		c, err := tx.lockCampaign(ctx, campaignID)
		if err != nil {
			return err
		}
		if !panel.ImportsAllowed(c.State) {
			return panel.Errorf(panel.ECONFLICT, "campaign %d is %s; recipients can only be imported while it is a draft, sending or paused", campaignID, c.State)
		}
		if n, err = tx.ImportRecipients(ctx, campaignID, rows); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return tx.auditCampaign(ctx, campaignID, AuditRecipientsImported, map[string]any{
			"imported": n, "rejected": rejected, "columns": attributeNames(rows),
		})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// attributeNames lists the register columns the rows carry, sorted.
func attributeNames(rows []panel.RecipientInput) []string {
	seen := map[string]bool{}
	names := []string{}
	for _, r := range rows {
		for k := range r.Attributes {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	return names
}

// StartSending moves the campaign to sending (see panel.CampaignTransition)
// and enqueues one invitation with body for every recipient still pending
// that has none, with dedup key "invitation/<campaign>/<recipient>", so
// repeated calls never make a second invitation for anyone. Opted-out,
// unreachable and purged recipients get nothing. The
// "campaign.sending_started" audit event (state before, invitations
// enqueued) is written in the same transaction when anything changed.
// ENOTFOUND, ECONFLICT for a paused or closed campaign, EINVALID for an
// empty body.
func (s *Store) StartSending(ctx context.Context, campaignID int64, body string) (panel.SendResult, error) {
	if strings.TrimSpace(body) == "" {
		return panel.SendResult{}, panel.Errorf(panel.EINVALID, "the invitation text is empty")
	}
	var res panel.SendResult
	err := s.InTx(ctx, func(tx *Store) error {
		c, err := tx.lockCampaign(ctx, campaignID)
		if err != nil {
			return err
		}
		to, err := panel.CampaignTransition(c.State, panel.ActionSend)
		if err != nil {
			return err
		}
		now := tx.clock()
		if to != c.State {
			err := tx.conn(ctx).Model(&campaignRow{}).Where("id = ?", campaignID).
				Updates(map[string]any{"state": to, "updated_at": now}).Error
			if err != nil {
				return translate(err, "campaign")
			}
		}
		ins := tx.conn(ctx).Exec(`INSERT INTO outbound_messages
			(campaign_id, recipient_id, kind, body, state, dedup_key, attempts, next_attempt_at, created_at, updated_at)
			SELECT r.campaign_id, r.id, ?, ?, ?, ? || r.campaign_id || '/' || r.id, 0, ?, ?, ?
			FROM recipients r
			WHERE r.campaign_id = ? AND r.state = ? AND r.phone IS NOT NULL
			ORDER BY r.id
			ON CONFLICT (dedup_key) DO NOTHING`,
			panel.KindInvitation, body, panel.MessageQueued, panel.KindInvitation+"/", now, now, now,
			campaignID, panel.RecipientPending)
		if ins.Error != nil {
			return translate(ins.Error, "invitations")
		}
		res = panel.SendResult{CampaignID: campaignID, State: to, Enqueued: int(ins.RowsAffected)}
		if to == c.State && res.Enqueued == 0 {
			return nil
		}
		return tx.auditCampaign(ctx, campaignID, AuditSendingStarted, map[string]any{
			"from": c.State, "enqueued": res.Enqueued,
		})
	})
	if err != nil {
		return panel.SendResult{}, err
	}
	return res, nil
}

// ChangeCampaignState applies panel.ActionPause or panel.ActionResume to
// the campaign and writes "campaign.paused" or "campaign.resumed" in the
// same transaction. ENOTFOUND, or ECONFLICT saying why the transition is
// impossible. Use StartSending for panel.ActionSend.
func (s *Store) ChangeCampaignState(ctx context.Context, campaignID int64, action string) (*panel.Campaign, error) {
	var audit string
	switch action {
	case panel.ActionPause:
		audit = AuditCampaignPaused
	case panel.ActionResume:
		audit = AuditCampaignResumed
	default:
		return nil, panel.Errorf(panel.EINVALID, "campaign action must be %q or %q, got %q", panel.ActionPause, panel.ActionResume, action)
	}
	var out *panel.Campaign
	err := s.InTx(ctx, func(tx *Store) error {
		c, err := tx.lockCampaign(ctx, campaignID)
		if err != nil {
			return err
		}
		to, err := panel.CampaignTransition(c.State, action)
		if err != nil {
			return panel.Errorf(panel.ECONFLICT, "campaign %d: %s", campaignID, panel.ErrorMessage(err))
		}
		now := tx.clock()
		err = tx.conn(ctx).Model(&campaignRow{}).Where("id = ?", campaignID).
			Updates(map[string]any{"state": to, "updated_at": now}).Error
		if err != nil {
			return translate(err, "campaign")
		}
		if err := tx.auditCampaign(ctx, campaignID, audit, map[string]any{"from": c.State, "to": to}); err != nil {
			return err
		}
		c.State, c.UpdatedAt = to, now
		out = c
		return nil
	})
	return out, err
}

// CountMessagesByState counts the campaign's outbound messages of one kind
// per state; states without messages are absent.
func (s *Store) CountMessagesByState(ctx context.Context, campaignID int64, kind string) (map[string]int, error) {
	var rows []struct {
		State string
		N     int
	}
	err := s.conn(ctx).Model(&outboxRow{}).Select("state, COUNT(*) AS n").
		Where("campaign_id = ? AND kind = ?", campaignID, kind).Group("state").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "outbound messages")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}
