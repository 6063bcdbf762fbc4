package store

import (
	"context"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns provider_deletions: the provider copies of purged
// messages, queued by a purge (purge.go) until the provider has deleted
// them.

var _ panel.ProviderDeletionQueue = (*Store)(nil)

// providerDeletionRow is a row of the provider_deletions table.
type providerDeletionRow struct {
	ID            int64 `gorm:"primaryKey"`
	CampaignID    *int64
	ProviderID    string
	Attempts      int
	NextAttemptAt time.Time
	LastError     *string
	CreatedAt     time.Time
}

func (providerDeletionRow) TableName() string { return "provider_deletions" }

// ClaimProviderDeletions returns due deletions, oldest first, and moves
// their next attempt lease ahead so another worker does not take them
// meanwhile; see panel.ProviderDeletionQueue.
func (s *Store) ClaimProviderDeletions(ctx context.Context, limit int, lease time.Duration) ([]panel.ProviderDeletion, error) {
	if limit <= 0 {
		return nil, panel.Errorf(panel.EINVALID, "limit must be positive, got %d", limit)
	}
	var out []panel.ProviderDeletion
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		var rows []providerDeletionRow
		err := tx.drv.lockingRead(tx.conn(ctx)).Where("next_attempt_at <= ?", now).
			Order("next_attempt_at, id").Limit(limit).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return translate(err, "provider deletions")
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			out = append(out, panel.ProviderDeletion{ID: r.ID, ProviderID: r.ProviderID, Attempts: r.Attempts})
		}
		err = tx.conn(ctx).Model(&providerDeletionRow{}).Where("id IN ?", ids).
			Update("next_attempt_at", now.Add(lease)).Error
		return translate(err, "provider deletions")
	})
	return out, err
}

// ProviderDeletionDone deletes the row, and with it the provider id.
func (s *Store) ProviderDeletionDone(ctx context.Context, id int64) error {
	err := s.conn(ctx).Where("id = ?", id).Delete(&providerDeletionRow{}).Error
	return translate(err, "provider deletion")
}

// ProviderDeletionFailed counts the attempt and keeps its reason.
func (s *Store) ProviderDeletionFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	res := s.conn(ctx).Exec(`UPDATE provider_deletions SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
		reason, next.UTC(), id)
	if res.Error != nil {
		return translate(res.Error, "provider deletion")
	}
	if res.RowsAffected == 0 {
		return panel.Errorf(panel.ENOTFOUND, "provider deletion %d not found", id)
	}
	return nil
}
