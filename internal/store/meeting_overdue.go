package store

import (
	"context"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file creates meetings with a decision on their overdue reminders.
// It uses only the Store's InTx, conn, audit, CreateMeeting,
// MembersToRemind and RecordReminder.

var _ panel.MeetingScheduling = (*Store)(nil)

// CreateMeetingWithOverdue creates a meeting and settles its overdue
// reminders in one transaction; see panel.MeetingScheduling.
func (s *Store) CreateMeetingWithOverdue(ctx context.Context, m *panel.Meeting, overdue []string, send bool) (int, error) {
	skipped := 0
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.CreateMeeting(ctx, m); err != nil {
			return err
		}
		if len(overdue) == 0 {
			return nil
		}
		if !send {
			for _, kind := range overdue {
				members, err := tx.MembersToRemind(ctx, m.ID, kind)
				if err != nil {
					return err
				}
				for _, pm := range members {
					r := &panel.Reminder{MemberID: pm.ID, MeetingID: m.ID, Kind: kind, State: panel.ReminderSkipped, DueAt: m.CreatedAt}
					created, err := tx.RecordReminder(ctx, r, nil)
					if err != nil {
						return err
					}
					if created {
						skipped++
					}
				}
			}
		}
		return tx.auditMeeting(ctx, "meeting.overdue_reminders", m.ID, map[string]any{
			"kinds": overdue, "send": send, "skipped": skipped, "at": m.CreatedAt.Format(time.RFC3339),
		})
	})
	if err != nil {
		return 0, err
	}
	return skipped, nil
}

// RemindableMembers counts the members who get reminders; see
// panel.MeetingScheduling.
func (s *Store) RemindableMembers(ctx context.Context, campaignID int64) (int, int, error) {
	if err := s.campaignExists(ctx, campaignID); err != nil {
		return 0, 0, err
	}
	var row struct {
		Confirmed int
		Awaiting  int
	}
	err := s.conn(ctx).Raw(`SELECT
	COALESCE(SUM(CASE WHEN pm.state = 'confirmed' AND r.state <> 'opted_out' AND r.phone IS NOT NULL THEN 1 ELSE 0 END), 0) AS confirmed,
	COALESCE(SUM(CASE WHEN pm.state = 'selected' THEN 1 ELSE 0 END), 0) AS awaiting
	FROM draws d
	JOIN panel_members pm ON pm.draw_id = d.id
	JOIN volunteers v ON v.id = pm.volunteer_id
	LEFT JOIN recipients r ON r.id = v.recipient_id
	WHERE d.campaign_id = ? AND d.state <> 'failed'`, campaignID).Scan(&row).Error
	if err != nil {
		return 0, 0, translate(err, "panel members")
	}
	return row.Confirmed, row.Awaiting, nil
}
