package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file reads the rows of the exports (pool, failed numbers,
// absences). It uses only the Store's conn and campaignExists.

var _ panel.ExportStore = (*Store)(nil)

// ExportPool returns the campaign's pool; see panel.ExportStore.
func (s *Store) ExportPool(ctx context.Context, campaignID int64) ([]panel.PoolRow, error) {
	if err := s.campaignExists(ctx, campaignID); err != nil {
		return nil, err
	}
	var rows []struct {
		ID         int64
		ExternalID string
		Phone      string
		Source     string
		ValuesJSON string
		CreatedAt  time.Time
	}
	err := s.conn(ctx).Raw(`SELECT v.id, v.external_id, COALESCE(r.phone, '') AS phone, v.source,
	v.category_values AS values_json, v.created_at
	FROM volunteers v LEFT JOIN recipients r ON r.id = v.recipient_id
	WHERE v.campaign_id = ? AND v.complete ORDER BY v.id`, campaignID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "volunteers")
	}
	out := make([]panel.PoolRow, len(rows))
	for i, r := range rows {
		out[i] = panel.PoolRow{ExternalID: r.ExternalID, Phone: panel.Phone(r.Phone), Source: r.Source,
			Values: map[string]string{}, CreatedAt: r.CreatedAt.UTC()}
		if r.ValuesJSON != "" {
			if err := json.Unmarshal([]byte(r.ValuesJSON), &out[i].Values); err != nil {
				return nil, fmt.Errorf("store: volunteer %d: decode category values: %w", r.ID, err)
			}
		}
	}
	return out, nil
}

// ExportFailed returns the campaign's failed numbers; see
// panel.ExportStore.
func (s *Store) ExportFailed(ctx context.Context, campaignID int64) ([]panel.FailedRow, error) {
	if err := s.campaignExists(ctx, campaignID); err != nil {
		return nil, err
	}
	var rows []struct {
		Pseudonym    string
		Phone        string
		State        string
		MessageKind  string
		MessageState string
		ErrorCode    int
		Error        string
		MessageAt    *time.Time
		RecipientAt  time.Time
	}
	err := s.conn(ctx).Raw(`SELECT r.pseudonym, COALESCE(r.phone, '') AS phone, r.state,
	COALESCE(o.kind, '') AS message_kind, COALESCE(o.state, '') AS message_state,
	COALESCE(o.last_error_code, 0) AS error_code, COALESCE(o.last_error, '') AS error,
	o.updated_at AS message_at, r.updated_at AS recipient_at
	FROM recipients r
	LEFT JOIN outbound_messages o ON o.id = (SELECT MAX(x.id) FROM outbound_messages x
		WHERE x.recipient_id = r.id AND x.state IN ('failed', 'undelivered'))
	WHERE r.campaign_id = ? AND (r.state = 'unreachable' OR o.id IS NOT NULL)
	ORDER BY r.id`, campaignID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "failed numbers")
	}
	out := make([]panel.FailedRow, len(rows))
	for i, r := range rows {
		at := r.RecipientAt
		if r.MessageAt != nil {
			at = *r.MessageAt
		}
		out[i] = panel.FailedRow{PseudoID: r.Pseudonym, Phone: panel.Phone(r.Phone), State: r.State,
			MessageKind: r.MessageKind, MessageState: r.MessageState, ErrorCode: r.ErrorCode, Error: r.Error, At: at.UTC()}
	}
	return out, nil
}

// ExportAbsences returns the absences of the campaign's meetings; see
// panel.ExportStore.
func (s *Store) ExportAbsences(ctx context.Context, campaignID int64) ([]panel.AbsenceRow, error) {
	if err := s.campaignExists(ctx, campaignID); err != nil {
		return nil, err
	}
	var rows []struct {
		MeetingID    int64
		MeetingTitle string
		StartsAt     time.Time
		Pseudonym    string
		Phone        string
		Reason       string
		ReportedBy   string
		CreatedAt    time.Time
	}
	err := s.conn(ctx).Raw(`SELECT mt.id AS meeting_id, mt.title AS meeting_title, mt.starts_at, pm.pseudonym,
	COALESCE(r.phone, '') AS phone, a.reason, a.reported_by, a.created_at
	FROM absences a JOIN meetings mt ON mt.id = a.meeting_id
	JOIN panel_members pm ON pm.id = a.member_id
	JOIN volunteers v ON v.id = pm.volunteer_id
	LEFT JOIN recipients r ON r.id = v.recipient_id
	WHERE mt.campaign_id = ?
	ORDER BY mt.starts_at, mt.id, a.created_at, a.id`, campaignID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "absences")
	}
	out := make([]panel.AbsenceRow, len(rows))
	for i, r := range rows {
		out[i] = panel.AbsenceRow{MeetingID: r.MeetingID, MeetingTitle: r.MeetingTitle, StartsAt: r.StartsAt.UTC(),
			PseudoID: r.Pseudonym, Phone: panel.Phone(r.Phone), Reason: r.Reason, ReportedBy: r.ReportedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
