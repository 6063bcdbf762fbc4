package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file holds the members list and the confirmation calls (table
// member_calls, migration 00011). It uses only the Store's InTx, conn,
// clock, audit, FindDraw and SetMemberState.

var _ panel.CallStore = (*Store)(nil)

// callRow is a row of the member_calls table.
type callRow struct {
	ID           int64 `gorm:"primaryKey"`
	DrawID       int64
	MemberID     int64
	Outcome      string
	SupportNeeds string
	SupportTags  string // comma-separated
	RecordedBy   string
	RecordedRole string
	CreatedAt    time.Time
}

func (callRow) TableName() string { return "member_calls" }

func (r *callRow) toPanel(pseudoID string) *panel.Call {
	tags := []string{}
	if r.SupportTags != "" {
		tags = strings.Split(r.SupportTags, ",")
	}
	return &panel.Call{
		ID: r.ID, DrawID: r.DrawID, MemberID: r.MemberID, PseudoID: pseudoID, Outcome: r.Outcome,
		SupportNeeds: r.SupportNeeds, SupportTags: tags, RecordedBy: r.RecordedBy, RecordedRole: r.RecordedRole,
		CreatedAt: r.CreatedAt.UTC(),
	}
}

// CampaignDraw returns the campaign's seeded draw; see panel.CallStore.
func (s *Store) CampaignDraw(ctx context.Context, campaignID int64) (*panel.Draw, error) {
	var ids []int64
	err := s.conn(ctx).Raw(`SELECT id FROM campaigns WHERE id = ?`, campaignID).Scan(&ids).Error
	if err != nil {
		return nil, translate(err, "campaign")
	}
	if len(ids) == 0 {
		return nil, panel.Errorf(panel.ENOTFOUND, "campaign not found")
	}
	var drawIDs []int64
	err = s.conn(ctx).Raw(`SELECT id FROM draws WHERE campaign_id = ? AND state = ? ORDER BY id DESC LIMIT 1`,
		campaignID, panel.DrawSeeded).Scan(&drawIDs).Error
	if err != nil {
		return nil, translate(err, "draw")
	}
	if len(drawIDs) == 0 {
		return nil, panel.Errorf(panel.ECONFLICT, "campaign %d has no seeded draw yet: members exist once the seed is in", campaignID)
	}
	return s.FindDraw(ctx, drawIDs[0])
}

// rosterScan is one row of the roster query.
type rosterScan struct {
	MemberID    int64
	RecipientID int64
	PseudoID    string
	Role        string
	Rank        int
	State       string
	ReplacedBy  string
	Replaces    string
	ConfirmBy   *time.Time
	OptedOut    int
	Phone       string
	ValuesJSON  string
	Absences    int
	Calls       int
}

// Roster returns a draw's members for the members list; see
// panel.CallStore.
func (s *Store) Roster(ctx context.Context, drawID int64) ([]*panel.RosterEntry, error) {
	d, err := s.FindDraw(ctx, drawID)
	if err != nil {
		return nil, err
	}
	var rows []rosterScan
	err = s.conn(ctx).Raw(`SELECT pm.id AS member_id, COALESCE(v.recipient_id, 0) AS recipient_id,
	pm.pseudonym AS pseudo_id, pm.role, pm.rank, pm.state, COALESCE(rb.pseudonym, '') AS replaced_by,
	COALESCE((SELECT o.pseudonym FROM panel_members o WHERE o.replaced_by = pm.id ORDER BY o.id LIMIT 1), '') AS replaces,
	pm.confirm_by, CASE WHEN r.state = 'opted_out' THEN 1 ELSE 0 END AS opted_out,
	COALESCE(r.phone, '') AS phone, v.category_values AS values_json,
	(SELECT COUNT(*) FROM absences a WHERE a.member_id = pm.id) AS absences,
	(SELECT COUNT(*) FROM member_calls c WHERE c.member_id = pm.id) AS calls
	FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id
	LEFT JOIN recipients r ON r.id = v.recipient_id
	LEFT JOIN panel_members rb ON rb.id = pm.replaced_by
	WHERE pm.draw_id = ?
	ORDER BY CASE WHEN pm.role = 'selected' THEN 0 ELSE 1 END, pm.rank`, drawID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "panel members")
	}
	last, err := s.lastCalls(ctx, drawID)
	if err != nil {
		return nil, err
	}
	out := make([]*panel.RosterEntry, len(rows))
	for i, r := range rows {
		e := &panel.RosterEntry{
			MemberID: r.MemberID, RecipientID: r.RecipientID, PseudoID: r.PseudoID, Role: r.Role, Rank: r.Rank,
			State: r.State, ReplacedBy: r.ReplacedBy, Replaces: r.Replaces, ConfirmBy: utcPtr(r.ConfirmBy),
			OptedOut: r.OptedOut == 1, Phone: panel.Phone(r.Phone), Values: map[string]string{},
			Absences: r.Absences, Calls: r.Calls,
		}
		if r.ValuesJSON != "" {
			if err := json.Unmarshal([]byte(r.ValuesJSON), &e.Values); err != nil {
				return nil, fmt.Errorf("store: panel member %d: decode category values: %w", r.MemberID, err)
			}
		}
		e.Status = memberStatus(e, d.NotifiedAt != nil)
		if c := last[r.MemberID]; c != nil {
			e.LastCall = c.toPanel(r.PseudoID)
		}
		out[i] = e
	}
	return out, nil
}

// memberStatus derives the status the members list shows.
func memberStatus(e *panel.RosterEntry, notified bool) string {
	switch {
	case e.ReplacedBy != "":
		return panel.StatusReplaced
	case e.State == panel.MemberConfirmed:
		return panel.StatusConfirmed
	case e.State == panel.MemberSelected && (notified || e.ConfirmBy != nil):
		return panel.StatusNotified
	case e.State == panel.MemberSelected:
		return panel.StatusDrawn
	case e.State == panel.MemberDeclined:
		return panel.StatusDeclined
	case e.State == panel.MemberReserve:
		return panel.StatusReserve
	}
	return panel.StatusDropped
}

// lastCalls returns the newest call of each member of the draw.
func (s *Store) lastCalls(ctx context.Context, drawID int64) (map[int64]*callRow, error) {
	var rows []callRow
	err := s.conn(ctx).Raw(`SELECT c.* FROM member_calls c
	WHERE c.draw_id = ? AND c.id = (SELECT MAX(x.id) FROM member_calls x WHERE x.member_id = c.member_id)`, drawID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "member calls")
	}
	out := make(map[int64]*callRow, len(rows))
	for i := range rows {
		out[rows[i].MemberID] = &rows[i]
	}
	return out, nil
}

// RecordCall stores a call outcome and the state change it makes; see
// panel.CallStore.
func (s *Store) RecordCall(ctx context.Context, drawID int64, pseudoID string, in panel.CallInput, change *panel.MemberChange) (*panel.Call, error) {
	actor := panel.ActorOrSystem(ctx)
	var out *panel.Call
	err := s.InTx(ctx, func(tx *Store) error {
		var member memberRow
		if err := tx.conn(ctx).Where("draw_id = ? AND pseudonym = ?", drawID, pseudoID).Take(&member).Error; err != nil {
			return translate(err, "panel member")
		}
		// Support needs may be health data and the audit log is never
		// purged: it records only that some were given.
		details := map[string]any{"member": pseudoID, "outcome": in.Outcome,
			"support_given": in.SupportNeeds != "" || len(in.SupportTags) > 0, "role": actor.Role}
		if change != nil {
			m, err := tx.SetMemberState(ctx, drawID, pseudoID, change.From, change.To, change.Action)
			if err != nil {
				return err
			}
			details["from"], details["to"] = member.State, m.State
		}
		row := callRow{
			DrawID: drawID, MemberID: member.ID, Outcome: in.Outcome, SupportNeeds: in.SupportNeeds,
			SupportTags: strings.Join(in.SupportTags, ","), RecordedBy: actor.Name, RecordedRole: actor.Role,
			CreatedAt: tx.clock(),
		}
		if err := tx.conn(ctx).Create(&row).Error; err != nil {
			return translate(err, "member call")
		}
		out = row.toPanel(pseudoID)
		return tx.audit(ctx, "member.call_recorded", drawSubject(drawID), details)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListCalls returns a member's calls; see panel.CallStore.
func (s *Store) ListCalls(ctx context.Context, drawID int64, pseudoID string) ([]*panel.Call, error) {
	var member memberRow
	if err := s.conn(ctx).Where("draw_id = ? AND pseudonym = ?", drawID, pseudoID).Take(&member).Error; err != nil {
		return nil, translate(err, "panel member")
	}
	var rows []callRow
	if err := s.conn(ctx).Where("member_id = ?", member.ID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "member calls")
	}
	out := make([]*panel.Call, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel(pseudoID)
	}
	return out, nil
}

// ReportAbsence records an absence reported by an organiser or caller;
// see panel.CallStore.
func (s *Store) ReportAbsence(ctx context.Context, drawID int64, pseudoID string, meetingID int64, reason string, now time.Time) (*panel.Absence, bool, error) {
	actor := panel.ActorOrSystem(ctx)
	var (
		out     *panel.Absence
		created bool
	)
	err := s.InTx(ctx, func(tx *Store) error {
		var member memberRow
		if err := tx.conn(ctx).Where("draw_id = ? AND pseudonym = ?", drawID, pseudoID).Take(&member).Error; err != nil {
			return translate(err, "panel member")
		}
		if member.State != panel.MemberSelected && member.State != panel.MemberConfirmed {
			return panel.Errorf(panel.ECONFLICT, "member %s holds no seat (%s): only panel members are expected at meetings", pseudoID, member.State)
		}
		var meetings []meetingRow
		err := tx.conn(ctx).Raw(`SELECT mt.* FROM meetings mt JOIN draws d ON d.campaign_id = mt.campaign_id
		WHERE mt.id = ? AND d.id = ?`, meetingID, drawID).Scan(&meetings).Error
		if err != nil {
			return translate(err, "meeting")
		}
		if len(meetings) == 0 {
			return panel.Errorf(panel.ENOTFOUND, "meeting %d is not a meeting of this campaign", meetingID)
		}
		m := meetings[0].toPanel()
		if m.Cancelled() || !m.StartsAt.After(now) {
			return panel.Errorf(panel.ECONFLICT, "meeting %d was cancelled or has started: absences are reported before a meeting", meetingID)
		}
		var existing []absenceRow
		if err := tx.conn(ctx).Where("member_id = ? AND meeting_id = ?", member.ID, meetingID).Find(&existing).Error; err != nil {
			return translate(err, "absence")
		}
		if len(existing) > 0 {
			out = existing[0].toPanel()
			return nil
		}
		row := absenceRow{MemberID: member.ID, MeetingID: meetingID, Reason: clipText(strings.TrimSpace(reason), maxAbsenceReason), CreatedAt: tx.clock()}
		if err := tx.conn(ctx).Create(&row).Error; err != nil {
			return translate(err, "absence")
		}
		if err := tx.conn(ctx).Exec(`UPDATE absences SET reported_by = ? WHERE id = ?`, actor.Name, row.ID).Error; err != nil {
			return translate(err, "absence")
		}
		out, created = row.toPanel(), true
		return tx.auditMeeting(ctx, "meeting.absence_recorded", meetingID, map[string]any{
			"member_id": member.ID, "member": pseudoID, "meeting_id": meetingID, "role": actor.Role,
		})
	})
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}
