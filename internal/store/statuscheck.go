package store

import (
	"context"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.StatusChecks = (*Store)(nil)

// statusCheckRow is a message chosen by ClaimStatusChecks.
type statusCheckRow struct {
	ID           int64
	CampaignID   int64
	ProviderID   string
	SentAt       time.Time
	StatusChecks int
}

// ClaimStatusChecks leases sent messages due for a status check; see
// panel.StatusChecks. Neither it nor FinishStatusCheck touches updated_at:
// a check changes nothing about the message itself. On PostgreSQL the candidates are selected FOR UPDATE
// SKIP LOCKED inside the claiming transaction, so concurrent pollers skip
// each other's rows; on SQLite the transaction holds the write lock.
func (s *Store) ClaimStatusChecks(ctx context.Context, now, firstBefore time.Time, limit int, lease time.Duration) ([]panel.StatusCheck, error) {
	switch {
	case limit <= 0:
		return nil, panel.Errorf(panel.EINVALID, "status check limit must be positive, got %d", limit)
	case lease <= 0:
		return nil, panel.Errorf(panel.EINVALID, "status check lease must be positive, got %s", lease)
	}
	now = now.UTC().Truncate(time.Microsecond)
	firstBefore = firstBefore.UTC().Truncate(time.Microsecond)
	var out []panel.StatusCheck
	err := s.InTx(ctx, func(tx *Store) error {
		q := `SELECT id, campaign_id, provider_id, sent_at, status_checks FROM outbound_messages
			WHERE state = ? AND provider_id IS NOT NULL AND sent_at IS NOT NULL
			AND ((status_check_at IS NULL AND status_checks = 0 AND sent_at <= ?) OR status_check_at <= ?)
			ORDER BY sent_at, id LIMIT ?` + tx.drv.forUpdate(true)
		var rows []statusCheckRow
		if err := tx.conn(ctx).Raw(q, panel.MessageSent, firstBefore, now, limit).Scan(&rows).Error; err != nil {
			return translate(err, "outbound messages")
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		out = make([]panel.StatusCheck, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			out[i] = panel.StatusCheck{ID: r.ID, CampaignID: r.CampaignID, ProviderID: r.ProviderID, SentAt: r.SentAt.UTC(), Checks: r.StatusChecks}
		}
		err := tx.conn(ctx).Model(&outboxRow{}).Where("id IN ?", ids).
			UpdateColumn("status_check_at", now.Add(lease)).Error
		return translate(err, "outbound messages")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FinishStatusCheck records a status check; see panel.StatusChecks.
func (s *Store) FinishStatusCheck(ctx context.Context, id int64, checks int, counted bool, next time.Time) (bool, error) {
	if !counted && next.IsZero() {
		return false, panel.Errorf(panel.EINVALID, "a status check that is not counted needs a next check time")
	}
	set := map[string]any{"status_check_at": nil}
	if !next.IsZero() {
		set["status_check_at"] = next.UTC().Truncate(time.Microsecond)
	}
	if counted {
		set["status_checks"] = checks + 1
	}
	res := s.conn(ctx).Model(&outboxRow{}).Where("id = ? AND status_checks = ?", id, checks).UpdateColumns(set)
	if res.Error != nil {
		return false, translate(res.Error, "outbound message")
	}
	return res.RowsAffected > 0, nil
}
