package store

import (
	"context"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// memberOf returns the volunteer's membership in the newest seeded draw of
// its campaign, or nil when the volunteer is in none.
func (s *Store) memberOf(ctx context.Context, volunteerID int64) (*panel.MemberRef, error) {
	var rows []struct {
		ID       int64
		DrawID   int64
		PseudoID string
		Role     string
		State    string
	}
	err := s.conn(ctx).Raw(`SELECT pm.id, pm.draw_id, pm.pseudonym AS pseudo_id, pm.role, pm.state
		FROM panel_members pm JOIN draws d ON d.id = pm.draw_id AND d.state = ?
		WHERE pm.volunteer_id = ? ORDER BY pm.draw_id DESC LIMIT 1`, panel.DrawSeeded, volunteerID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "panel member")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	return &panel.MemberRef{ID: r.ID, DrawID: r.DrawID, PseudoID: r.PseudoID, Role: r.Role, State: r.State}, nil
}

// applyMemberState changes the sender's member state as the dialogue
// decided, only from the state the snapshot saw, with an audit event.
func (s *Store) applyMemberState(ctx context.Context, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome, now time.Time) error {
	m := snap.Member
	if out.MemberState == "" || m == nil || out.MemberState == m.State {
		return nil
	}
	res := s.conn(ctx).Model(&memberRow{}).Where("id = ? AND state = ?", m.ID, m.State).
		Updates(map[string]any{"state": out.MemberState, "answered_at": now, "updated_at": now})
	if res.Error != nil {
		return translate(res.Error, "panel member")
	}
	if res.RowsAffected == 0 {
		return nil
	}
	action := "draw.member_" + out.MemberState
	return s.audit(panel.WithActor(ctx, panel.Actor{Name: "sms", Role: "system"}), action, drawSubject(m.DrawID),
		map[string]any{"member": m.PseudoID, "from": m.State, "to": out.MemberState, "inbound_message_id": snap.Message.ID})
}
