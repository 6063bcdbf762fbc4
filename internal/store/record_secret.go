package store

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
)

// RecordSecret returns the campaign's never-published secret (migration
// 00009) that keys household keys and imported volunteers' pseudonyms.
// ENOTFOUND for an unknown campaign.
func (s *Store) RecordSecret(ctx context.Context, campaignID int64) ([]byte, error) {
	var secrets []string
	if err := s.conn(ctx).Raw("SELECT COALESCE(record_secret, '') FROM campaigns WHERE id = ?", campaignID).Scan(&secrets).Error; err != nil {
		return nil, translate(err, "campaign")
	}
	if len(secrets) == 0 {
		return nil, panel.Errorf(panel.ENOTFOUND, "campaign %d not found", campaignID)
	}
	b, err := hex.DecodeString(secrets[0])
	if err != nil || len(b) < 16 {
		return nil, fmt.Errorf("store: campaign %d has no usable record secret", campaignID)
	}
	return b, nil
}
