package store

import (
	"context"
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns meetings of a campaign's panel: creation, changes and
// cancellation.

var (
	_ panel.MeetingService        = (*Store)(nil)
	_ panel.ReminderPolicyService = (*Store)(nil)
)

// meetingRow is a row of the meetings table.
type meetingRow struct {
	ID          int64 `gorm:"primaryKey"`
	CampaignID  int64
	Title       string
	StartsAt    time.Time
	Place       string
	CancelledAt *time.Time
	Revision    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (meetingRow) TableName() string { return "meetings" }

func (r *meetingRow) toPanel() *panel.Meeting {
	m := &panel.Meeting{
		ID:         r.ID,
		CampaignID: r.CampaignID,
		Title:      r.Title,
		StartsAt:   r.StartsAt.UTC(),
		Place:      r.Place,
		Revision:   r.Revision,
		CreatedAt:  r.CreatedAt.UTC(),
		UpdatedAt:  r.UpdatedAt.UTC(),
	}
	if r.CancelledAt != nil {
		c := r.CancelledAt.UTC()
		m.CancelledAt = &c
	}
	return m
}

// CreateMeeting validates m against the store's clock and stores it; see
// panel.MeetingService. The "meeting.created" audit event is written in the
// same transaction, under the actor carried by ctx.
func (s *Store) CreateMeeting(ctx context.Context, m *panel.Meeting) error {
	now := s.clock()
	if err := m.Validate(now); err != nil {
		return err
	}
	row := meetingRow{
		CampaignID: m.CampaignID,
		Title:      m.Title,
		StartsAt:   m.StartsAt.UTC().Truncate(time.Microsecond),
		Place:      m.Place,
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.campaignExists(ctx, m.CampaignID); err != nil {
			return err
		}
		if err := tx.conn(ctx).Create(&row).Error; err != nil {
			return translate(err, "meeting")
		}
		return tx.auditMeeting(ctx, "meeting.created", row.ID, map[string]any{
			"campaign_id": row.CampaignID, "title": row.Title, "starts_at": row.StartsAt.Format(time.RFC3339), "place": row.Place,
		})
	})
	if err != nil {
		return err
	}
	m.ID, m.StartsAt, m.Revision, m.CancelledAt, m.CreatedAt, m.UpdatedAt = row.ID, row.StartsAt, 0, nil, now, now
	return nil
}

// campaignExists returns ENOTFOUND unless the campaign exists.
func (s *Store) campaignExists(ctx context.Context, id int64) error {
	var n int64
	if err := s.conn(ctx).Model(&campaignRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return translate(err, "campaign")
	}
	if n == 0 {
		return panel.Errorf(panel.ENOTFOUND, "campaign not found")
	}
	return nil
}

// FindMeeting returns the meeting, or ENOTFOUND.
func (s *Store) FindMeeting(ctx context.Context, id int64) (*panel.Meeting, error) {
	var row meetingRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "meeting")
	}
	return row.toPanel(), nil
}

// ListMeetings returns the campaign's meetings by start; see
// panel.MeetingService.
func (s *Store) ListMeetings(ctx context.Context, campaignID int64) ([]*panel.Meeting, error) {
	if err := s.campaignExists(ctx, campaignID); err != nil {
		return nil, err
	}
	var rows []meetingRow
	if err := s.conn(ctx).Where("campaign_id = ?", campaignID).Order("starts_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err, "meetings")
	}
	out := make([]*panel.Meeting, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
	}
	return out, nil
}

// UpdateMeeting changes a meeting that has not started; see
// panel.MeetingService. A change writes the "meeting.updated" audit event
// in the same transaction; an update that changes nothing writes none.
func (s *Store) UpdateMeeting(ctx context.Context, id int64, u panel.MeetingUpdate) (*panel.Meeting, error) {
	var out *panel.Meeting
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		cur, err := tx.lockMeeting(ctx, id, now)
		if err != nil {
			return err
		}
		if cur.Cancelled() {
			return panel.Errorf(panel.ECONFLICT, "meeting %d is cancelled and cannot be changed", id)
		}
		next, changed := u.Apply(cur)
		if !changed {
			out = cur
			return nil
		}
		if err := next.Validate(now); err != nil {
			return err
		}
		next.StartsAt = next.StartsAt.UTC().Truncate(time.Microsecond)
		next.Revision, next.UpdatedAt = cur.Revision+1, now
		err = tx.conn(ctx).Model(&meetingRow{}).Where("id = ?", id).Updates(map[string]any{
			"title": next.Title, "starts_at": next.StartsAt, "place": next.Place,
			"revision": next.Revision, "updated_at": now,
		}).Error
		if err != nil {
			return translate(err, "meeting")
		}
		out = next
		return tx.auditMeeting(ctx, "meeting.updated", id, map[string]any{
			"campaign_id": next.CampaignID, "revision": next.Revision, "title": next.Title,
			"starts_at": next.StartsAt.Format(time.RFC3339), "place": next.Place,
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CancelMeeting cancels a meeting that has not started; see
// panel.MeetingService. The "meeting.cancelled" audit event is written in
// the same transaction, once.
func (s *Store) CancelMeeting(ctx context.Context, id int64) (*panel.Meeting, error) {
	var out *panel.Meeting
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		cur, err := tx.lockMeeting(ctx, id, now)
		if err != nil {
			return err
		}
		out = cur
		if cur.Cancelled() {
			return nil
		}
		cur.CancelledAt, cur.Revision, cur.UpdatedAt = &now, cur.Revision+1, now
		err = tx.conn(ctx).Model(&meetingRow{}).Where("id = ?", id).Updates(map[string]any{
			"cancelled_at": now, "revision": cur.Revision, "updated_at": now,
		}).Error
		if err != nil {
			return translate(err, "meeting")
		}
		return tx.auditMeeting(ctx, "meeting.cancelled", id, map[string]any{"campaign_id": cur.CampaignID, "revision": cur.Revision})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockMeeting reads a meeting for a change inside a transaction (locking
// its row on PostgreSQL; SQLite transactions hold the write lock) and
// returns ECONFLICT when it has started.
func (s *Store) lockMeeting(ctx context.Context, id int64, now time.Time) (*panel.Meeting, error) {
	q := s.drv.lockingRead(s.conn(ctx))
	var row meetingRow
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "meeting")
	}
	m := row.toPanel()
	if !m.StartsAt.After(now) {
		return nil, panel.Errorf(panel.ECONFLICT, "meeting %d has started and cannot be changed", id)
	}
	return m, nil
}

// auditMeeting appends a meeting's audit event (subject "meeting/<id>")
// under the actor carried by ctx; call it inside the change's transaction.
func (s *Store) auditMeeting(ctx context.Context, action string, id int64, details map[string]any) error {
	return s.audit(ctx, action, fmt.Sprintf("meeting/%d", id), details)
}
