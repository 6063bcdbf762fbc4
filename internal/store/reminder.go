package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm/clause"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns meeting reminders and absences of panel members.

var _ panel.ReminderStore = (*Store)(nil)

// maxAbsenceReason bounds the stored reason of an absence.
const maxAbsenceReason = 500

// reminderRow is a row of the reminders table.
type reminderRow struct {
	ID                int64 `gorm:"primaryKey"`
	MemberID          int64
	MeetingID         int64
	Kind              string
	State             string
	DueAt             *time.Time
	OutboundMessageID *int64
	CreatedAt         time.Time
}

func (reminderRow) TableName() string { return "reminders" }

// absenceRow is a row of the absences table.
type absenceRow struct {
	ID        int64 `gorm:"primaryKey"`
	MemberID  int64
	MeetingID int64
	Reason    string
	CreatedAt time.Time
}

func (absenceRow) TableName() string { return "absences" }

func (r *absenceRow) toPanel() *panel.Absence {
	return &panel.Absence{ID: r.ID, MemberID: r.MemberID, MeetingID: r.MeetingID, Reason: r.Reason, CreatedAt: r.CreatedAt.UTC()}
}

// UpcomingMeetings returns meetings starting after now; see
// panel.ReminderStore.
func (s *Store) UpcomingMeetings(ctx context.Context, now time.Time) ([]*panel.Meeting, error) {
	var rows []meetingRow
	err := s.conn(ctx).Where("starts_at > ?", now.UTC()).Order("starts_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "meetings")
	}
	out := make([]*panel.Meeting, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
	}
	return out, nil
}

// ReminderSettings returns a campaign's reminder settings; see
// panel.ReminderStore.
func (s *Store) ReminderSettings(ctx context.Context, campaignID int64) (panel.ReminderSettings, error) {
	var row struct {
		Templates      string
		QuietHours     string
		ReminderPolicy string
	}
	err := s.conn(ctx).Table("campaigns").Select("templates", "quiet_hours", "reminder_policy").
		Where("id = ?", campaignID).Take(&row).Error
	if err != nil {
		return panel.ReminderSettings{}, translate(err, "campaign")
	}
	var out panel.ReminderSettings
	if out.Policy, err = panel.ParseReminderPolicy(row.ReminderPolicy); err != nil {
		return panel.ReminderSettings{}, err
	}
	if out.QuietHours, err = panel.ParseQuietHours(row.QuietHours); err != nil {
		return panel.ReminderSettings{}, err
	}
	out.Templates = map[string]string{}
	if row.Templates != "" {
		if err := json.Unmarshal([]byte(row.Templates), &out.Templates); err != nil {
			return panel.ReminderSettings{}, fmt.Errorf("store: campaign %d: decode templates: %w", campaignID, err)
		}
	}
	return out, nil
}

// membersOfMeeting selects the confirmed, reachable members of a meeting's
// campaign: panel_members of the campaign's live draw whose volunteer has a
// recipient that did not opt out and was not purged. The caller adds
// conditions on pm.
const membersOfMeeting = `
SELECT pm.id AS id, v.recipient_id AS recipient_id, pm.pseudonym AS pseudo_id, v.language AS language
FROM meetings mt
JOIN draws d ON d.campaign_id = mt.campaign_id AND d.state <> 'failed'
JOIN panel_members pm ON pm.draw_id = d.id AND pm.state = 'confirmed'
JOIN volunteers v ON v.id = pm.volunteer_id
JOIN recipients r ON r.id = v.recipient_id AND r.state <> 'opted_out' AND r.phone IS NOT NULL
WHERE mt.id = ?`

// MembersToRemind returns who is still to get a reminder; see
// panel.ReminderStore.
func (s *Store) MembersToRemind(ctx context.Context, meetingID int64, kind string) ([]panel.PanelMember, error) {
	q := membersOfMeeting + `
AND NOT EXISTS (SELECT 1 FROM reminders x WHERE x.member_id = pm.id AND x.meeting_id = mt.id AND x.kind = ?)
AND NOT EXISTS (SELECT 1 FROM absences a WHERE a.member_id = pm.id AND a.meeting_id = mt.id)
ORDER BY pm.id`
	var out []panel.PanelMember
	if err := s.conn(ctx).Raw(q, meetingID, kind).Scan(&out).Error; err != nil {
		return nil, translate(err, "panel members")
	}
	return out, nil
}

// MembersToNotify returns who is to get a change notice; see
// panel.ReminderStore. Only reminders recorded before the meeting's last
// change count, so a member reminded after the change is not told again.
func (s *Store) MembersToNotify(ctx context.Context, meetingID int64, kind string) ([]panel.PanelMember, error) {
	q := membersOfMeeting + `
AND EXISTS (SELECT 1 FROM reminders x WHERE x.member_id = pm.id AND x.meeting_id = mt.id
            AND x.state = 'sent' AND x.kind NOT LIKE 'notice-%' AND x.created_at < mt.updated_at)
AND NOT EXISTS (SELECT 1 FROM reminders x WHERE x.member_id = pm.id AND x.meeting_id = mt.id AND x.kind = ?)
ORDER BY pm.id`
	var out []panel.PanelMember
	if err := s.conn(ctx).Raw(q, meetingID, kind).Scan(&out).Error; err != nil {
		return nil, translate(err, "panel members")
	}
	return out, nil
}

// RecordReminder records a reminder and enqueues its SMS in one
// transaction; see panel.ReminderStore.
func (s *Store) RecordReminder(ctx context.Context, r *panel.Reminder, msg *panel.OutboundMessage) (bool, error) {
	if r.State != panel.ReminderSent && r.State != panel.ReminderSkipped {
		return false, panel.Errorf(panel.EINVALID, "reminder state must be sent or skipped, got %q", r.State)
	}
	if (msg == nil) != (r.State == panel.ReminderSkipped) {
		return false, panel.Errorf(panel.EINVALID, "a sent reminder needs a message and a skipped one none")
	}
	created := false
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		due := r.DueAt.UTC().Truncate(time.Microsecond)
		row := reminderRow{MemberID: r.MemberID, MeetingID: r.MeetingID, Kind: r.Kind, State: r.State, DueAt: &due, CreatedAt: now}
		res := tx.conn(ctx).Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "member_id"}, {Name: "meeting_id"}, {Name: "kind"}}, DoNothing: true,
		}).Create(&row)
		if res.Error != nil {
			return translate(res.Error, "reminder")
		}
		if res.RowsAffected == 0 {
			return nil
		}
		created = true
		r.ID, r.State, r.DueAt, r.CreatedAt, r.MessageID = row.ID, row.State, due, now, 0
		if msg == nil {
			return nil
		}
		n, err := tx.Enqueue(ctx, []*panel.OutboundMessage{msg})
		if err != nil {
			return err
		}
		set := map[string]any{"state": panel.ReminderSkipped}
		if n == 1 {
			var id int64
			if err := tx.conn(ctx).Model(&outboxRow{}).Where("dedup_key = ?", msg.DedupKey).Pluck("id", &id).Error; err != nil {
				return translate(err, "outbound message")
			}
			set = map[string]any{"outbound_message_id": id}
			r.MessageID = id
		} else {
			r.State = panel.ReminderSkipped // the recipient opted out, or the key was used
		}
		return translate(tx.conn(ctx).Model(&reminderRow{}).Where("id = ?", row.ID).Updates(set).Error, "reminder")
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// ListReminders returns a meeting's reminders with their message states;
// see panel.ReminderStore.
func (s *Store) ListReminders(ctx context.Context, meetingID int64) ([]*panel.Reminder, error) {
	var rows []struct {
		ID                int64
		MemberID          int64
		MeetingID         int64
		Kind              string
		State             string
		DueAt             *time.Time
		OutboundMessageID *int64
		CreatedAt         time.Time
		MessageState      *string
	}
	err := s.conn(ctx).Table("reminders x").
		Select("x.*, o.state AS message_state").
		Joins("LEFT JOIN outbound_messages o ON o.id = x.outbound_message_id").
		Where("x.meeting_id = ?", meetingID).Order("x.member_id, x.created_at, x.id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "reminders")
	}
	out := make([]*panel.Reminder, len(rows))
	for i, row := range rows {
		out[i] = &panel.Reminder{
			ID: row.ID, MemberID: row.MemberID, MeetingID: row.MeetingID, Kind: row.Kind,
			State: row.State, CreatedAt: row.CreatedAt.UTC(), DueAt: utcOrZero(row.DueAt),
			MessageID: derefInt(row.OutboundMessageID), Message: deref(row.MessageState),
		}
	}
	return out, nil
}

// RecordAbsence records that a member cannot attend their next meeting;
// see panel.ReminderStore.
func (s *Store) RecordAbsence(ctx context.Context, recipientID int64, reason string, now time.Time) (*panel.Absence, *panel.Meeting, bool, error) {
	var (
		abs     *panel.Absence
		meeting *panel.Meeting
		created bool
	)
	err := s.InTx(ctx, func(tx *Store) error {
		var member panel.PanelMember
		err := tx.conn(ctx).Raw(`
SELECT pm.id AS id, v.recipient_id AS recipient_id, pm.pseudonym AS pseudo_id
FROM panel_members pm
JOIN draws d ON d.id = pm.draw_id AND d.state <> 'failed'
JOIN volunteers v ON v.id = pm.volunteer_id
WHERE v.recipient_id = ? AND pm.state = 'confirmed'
ORDER BY pm.id DESC LIMIT 1`, recipientID).Scan(&member).Error
		if err != nil {
			return translate(err, "panel member")
		}
		if member.ID == 0 {
			return panel.Errorf(panel.ENOTFOUND, "no confirmed panel member has recipient %d", recipientID)
		}
		var mrow meetingRow
		err = tx.conn(ctx).Raw(`
SELECT mt.* FROM meetings mt
JOIN draws d ON d.campaign_id = mt.campaign_id
JOIN panel_members pm ON pm.draw_id = d.id
WHERE pm.id = ? AND mt.cancelled_at IS NULL AND mt.starts_at > ?
ORDER BY mt.starts_at, mt.id LIMIT 1`, member.ID, now.UTC()).Scan(&mrow).Error
		if err != nil {
			return translate(err, "meeting")
		}
		if mrow.ID == 0 {
			return panel.Errorf(panel.ENOTFOUND, "panel member %d has no upcoming meeting", member.ID)
		}
		meeting = mrow.toPanel()
		row := absenceRow{MemberID: member.ID, MeetingID: mrow.ID, Reason: clipText(reason, maxAbsenceReason), CreatedAt: tx.clock()}
		res := tx.conn(ctx).Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "member_id"}, {Name: "meeting_id"}}, DoNothing: true,
		}).Create(&row)
		if res.Error != nil {
			return translate(res.Error, "absence")
		}
		if res.RowsAffected == 0 {
			var existing absenceRow
			if err := tx.conn(ctx).Where("member_id = ? AND meeting_id = ?", member.ID, mrow.ID).Take(&existing).Error; err != nil {
				return translate(err, "absence")
			}
			abs = existing.toPanel()
			return nil
		}
		created, abs = true, row.toPanel()
		return tx.audit(panel.WithActor(ctx, smsActor), "meeting.absence_recorded", "meeting/"+strconv.FormatInt(mrow.ID, 10),
			map[string]any{"member_id": member.ID, "member": member.PseudoID, "meeting_id": mrow.ID})
	})
	if err != nil {
		return nil, nil, false, err
	}
	return abs, meeting, created, nil
}

// ListAbsences returns a meeting's absences; see panel.ReminderStore.
func (s *Store) ListAbsences(ctx context.Context, meetingID int64) ([]*panel.Absence, error) {
	var rows []absenceRow
	if err := s.conn(ctx).Where("meeting_id = ?", meetingID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err, "absences")
	}
	out := make([]*panel.Absence, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
	}
	return out, nil
}

// MeetingMembers returns the confirmed members of the meeting's campaign;
// see panel.ReminderStore.
func (s *Store) MeetingMembers(ctx context.Context, meetingID int64) ([]panel.PanelMember, error) {
	if _, err := s.FindMeeting(ctx, meetingID); err != nil {
		return nil, err
	}
	var out []panel.PanelMember
	err := s.conn(ctx).Raw(`
SELECT pm.id AS id, COALESCE(v.recipient_id, 0) AS recipient_id, pm.pseudonym AS pseudo_id,
       COALESCE(r.state = 'opted_out', false) AS opted_out
FROM meetings mt
JOIN draws d ON d.campaign_id = mt.campaign_id AND d.state <> 'failed'
JOIN panel_members pm ON pm.draw_id = d.id AND pm.state = 'confirmed'
JOIN volunteers v ON v.id = pm.volunteer_id
LEFT JOIN recipients r ON r.id = v.recipient_id
WHERE mt.id = ?
ORDER BY pm.id`, meetingID).Scan(&out).Error
	if err != nil {
		return nil, translate(err, "panel members")
	}
	return out, nil
}

// clipText cuts s to at most n characters.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
