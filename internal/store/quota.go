package store

import (
	"context"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns a campaign's quotas for the draw.

var _ panel.QuotaService = (*Store)(nil)

// quotaRow is a row of the quotas table.
type quotaRow struct {
	ID         int64 `gorm:"primaryKey"`
	CampaignID int64
	Category   string
	Value      string
	Min        int
	Max        int
	MinFlex    *int
	MaxFlex    *int
	Share      *float64
}

func (quotaRow) TableName() string { return "quotas" }

// SetQuotas replaces the campaign's quotas in one transaction, with the
// "quotas.set" audit event; see panel.QuotaService.
func (s *Store) SetQuotas(ctx context.Context, campaignID int64, qs []panel.Quota) error {
	if err := panel.ValidateQuotas(qs); err != nil {
		return err
	}
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.FindCampaignByID(ctx, campaignID); err != nil {
			return err
		}
		if err := tx.conn(ctx).Where("campaign_id = ?", campaignID).Delete(&quotaRow{}).Error; err != nil {
			return translate(err, "quotas")
		}
		if err := tx.audit(ctx, "quotas.set", fmt.Sprintf("campaign/%d", campaignID), map[string]any{"quotas": len(qs)}); err != nil {
			return err
		}
		if len(qs) == 0 {
			return nil
		}
		rows := make([]quotaRow, len(qs))
		for i, q := range qs {
			rows[i] = quotaRow{CampaignID: campaignID, Category: q.Category, Value: q.Value,
				Min: q.Min, Max: q.Max, MinFlex: q.MinFlex, MaxFlex: q.MaxFlex, Share: q.Share}
		}
		return translate(tx.conn(ctx).CreateInBatches(&rows, tx.drv.insertBatch()).Error, "quota")
	})
}

// ListQuotas returns the campaign's quotas in the order they were set.
func (s *Store) ListQuotas(ctx context.Context, campaignID int64) ([]panel.Quota, error) {
	var rows []quotaRow
	if err := s.conn(ctx).Where("campaign_id = ?", campaignID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "quotas")
	}
	out := make([]panel.Quota, len(rows))
	for i, r := range rows {
		out[i] = panel.Quota{Category: r.Category, Value: r.Value, Min: r.Min, Max: r.Max, MinFlex: r.MinFlex, MaxFlex: r.MaxFlex, Share: r.Share}
	}
	return out, nil
}
