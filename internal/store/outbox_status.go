package store

import (
	"context"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns delivery statuses of outbound messages: status callbacks,
// early statuses, and the poller's status checks.

// providerLockClass is the first key of the PostgreSQL advisory locks on
// provider ids ("SM" in ASCII); the second is hashtext(provider id).
const providerLockClass = 0x534d

// lockProviderIDs serialises MarkSent and ApplyStatus for the same provider
// ids until the transaction ends. Without it, on PostgreSQL a status
// callback could commit its event after MarkSent looked for early events
// but before MarkSent's new provider id became visible to it, and the
// status would never be applied. SQLite transactions are serial already.
func (s *Store) lockProviderIDs(ctx context.Context, providerIDs []string) error {
	// Provider ids are letters and digits (Twilio SIDs, SIM...), never
	// a line feed.
	return translate(s.drv.xactLockStrings(s.conn(ctx), providerLockClass, providerIDs), "provider id lock")
}

// statusEventRow is a row of the message_status_events table.
type statusEventRow struct {
	ID                int64 `gorm:"primaryKey"`
	OutboundMessageID *int64
	ProviderID        string
	Status            string
	ErrorCode         *int
	ReceivedAt        time.Time
}

func (statusEventRow) TableName() string { return "message_status_events" }

// applyEarlyStatuses links status events that arrived before their
// provider id was stored and applies them in the order received.
func (s *Store) applyEarlyStatuses(ctx context.Context, providerIDs []string) error {
	var events []statusEventRow
	err := s.conn(ctx).Where("provider_id IN ? AND outbound_message_id IS NULL", providerIDs).
		Order("id").Find(&events).Error
	if err != nil {
		return translate(err, "message status events")
	}
	if len(events) == 0 {
		return nil
	}
	err = s.conn(ctx).Exec(`UPDATE message_status_events SET outbound_message_id =
		(SELECT m.id FROM outbound_messages m WHERE m.provider_id = message_status_events.provider_id)
		WHERE provider_id IN ? AND outbound_message_id IS NULL`, providerIDs).Error
	if err != nil {
		return translate(err, "message status events")
	}
	for _, e := range events {
		code := 0
		if e.ErrorCode != nil {
			code = *e.ErrorCode
		}
		if err := s.moveForward(ctx, e.ProviderID, e.Status, code); err != nil {
			return err
		}
	}
	return nil
}

// ApplyStatus records a delivery status and moves the message forward;
// see panel.Outbox. at is when the status was received.
func (s *Store) ApplyStatus(ctx context.Context, providerID, status string, errorCode int, at time.Time) error {
	providerID, status = strings.TrimSpace(providerID), strings.ToLower(strings.TrimSpace(status))
	if providerID == "" {
		return panel.Errorf(panel.EINVALID, "status callback needs a message id")
	}
	if status == "" {
		return panel.Errorf(panel.EINVALID, "status callback needs a status")
	}
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.lockProviderIDs(ctx, []string{providerID}); err != nil {
			return err
		}
		var ids []int64
		if err := tx.conn(ctx).Model(&outboxRow{}).Where("provider_id = ?", providerID).Pluck("id", &ids).Error; err != nil {
			return translate(err, "outbound message")
		}
		ev := statusEventRow{ProviderID: providerID, Status: status, ReceivedAt: at.UTC().Truncate(time.Microsecond)}
		if len(ids) == 1 {
			ev.OutboundMessageID = &ids[0]
		}
		if errorCode != 0 {
			ev.ErrorCode = &errorCode
		}
		if err := tx.conn(ctx).Create(&ev).Error; err != nil {
			return translate(err, "message status event")
		}
		if len(ids) == 0 {
			return nil // applied by MarkSent once the id is stored
		}
		return tx.moveForward(ctx, providerID, status, errorCode)
	})
}

// moveForward applies a provider status to the message with providerID
// if that moves it forward. A final failure also marks the recipient (see
// Fail); an unknown status changes nothing.
func (s *Store) moveForward(ctx context.Context, providerID, status string, errorCode int) error {
	state, ok := providerStates[status]
	if !ok || len(earlierStates[state]) == 0 {
		return nil
	}
	now := s.clock()
	set := map[string]any{"state": state, "updated_at": now}
	if errorCode != 0 {
		set["last_error_code"] = errorCode
	}
	res := s.conn(ctx).Model(&outboxRow{}).Where("provider_id = ? AND state IN ?", providerID, earlierStates[state]).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "outbound message")
	}
	if res.RowsAffected == 0 || (state != panel.MessageFailed && state != panel.MessageUndelivered) {
		return nil
	}
	if errorCode != panel.ProviderCodeUnsubscribed {
		return nil // a delivery failure may pass (phone off); only an unsubscribe changes the recipient
	}
	return s.markRecipientAfterFailure(ctx, "id = (SELECT recipient_id FROM outbound_messages WHERE provider_id = ?)", providerID, errorCode, now)
}

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
