package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.CampaignEditor = (*Store)(nil)

// UpdateDraftCampaign implements panel.CampaignEditor: one conditional
// UPDATE (state = 'draft') with its "campaign.updated" audit event in the
// same transaction, under the actor carried by ctx.
func (s *Store) UpdateDraftCampaign(ctx context.Context, c *panel.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	bands, err := encodeAgeBands(c)
	if err != nil {
		return err
	}
	details, err := json.Marshal(map[string]any{"name": c.Name, "send_rate": c.SendRate, "quiet_hours": c.QuietHours, "reply_by": c.ReplyBy, "age_bands": c.AgeBands})
	if err != nil {
		return fmt.Errorf("store: encode campaign audit details: %w", err)
	}
	now := s.clock()
	return s.InTx(ctx, func(tx *Store) error {
		set := map[string]any{
			"name": c.Name, "invitation_text": c.InvitationText, "send_rate": c.SendRate,
			"quiet_hours": c.QuietHours, "reply_by": c.ReplyBy, "updated_at": now,
		}
		if c.AgeBands != nil {
			set["age_bands"] = bands
		}
		res := tx.conn(ctx).Table("campaigns").Where("id = ? AND state = ?", c.ID, panel.CampaignDraft).Updates(set)
		if res.Error != nil {
			return translate(res.Error, "campaign")
		}
		if res.RowsAffected == 0 {
			cur, err := tx.FindCampaignByID(ctx, c.ID)
			if err != nil {
				return err
			}
			return panel.Errorf(panel.ECONFLICT, "campaign is %s; only a draft can be edited", cur.State)
		}
		c.UpdatedAt, c.State = now, panel.CampaignDraft
		var stored []string
		if err := tx.conn(ctx).Table("campaigns").Where("id = ?", c.ID).Pluck("age_bands", &stored).Error; err != nil || len(stored) != 1 {
			return fmt.Errorf("store: campaign %d: read age bands back: %v", c.ID, err)
		}
		if c.AgeBands, err = decodeAgeBands(c.ID, stored[0]); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &panel.AuditEvent{
			Actor: panel.ActorOrSystem(ctx).Name, Action: "campaign.updated",
			Subject: fmt.Sprintf("campaign/%d", c.ID), Details: details,
		})
	})
}
