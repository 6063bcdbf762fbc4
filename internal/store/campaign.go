package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns campaigns: their rows, creation and look-up, locking one
// for a change, their dialogue and reminder policy, and audit events about
// them.

// Campaign list limits.
const (
	defaultListLimit = 100
	maxListLimit     = 1000
)

// campaignRow is a row of the campaigns table.
type campaignRow struct {
	ID             int64 `gorm:"primaryKey"`
	Name           string
	InvitationText string
	Templates      string // JSON object
	SendRate       float64
	QuietHours     string
	ReplyBy        string // "YYYY-MM-DD" or ""
	AgeBands       string // JSON array of band labels; "" means the default bands
	Dialogue       string // JSON object; the SMS dialogue configuration
	State          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	PurgedAt       *time.Time
}

func (campaignRow) TableName() string { return "campaigns" }

func (r *campaignRow) toPanel() (*panel.Campaign, error) {
	c := &panel.Campaign{
		ID:             r.ID,
		Name:           r.Name,
		InvitationText: r.InvitationText,
		Templates:      map[string]string{},
		SendRate:       r.SendRate,
		QuietHours:     r.QuietHours,
		ReplyBy:        r.ReplyBy,
		State:          r.State,
		CreatedAt:      r.CreatedAt.UTC(),
		UpdatedAt:      r.UpdatedAt.UTC(),
	}
	if r.PurgedAt != nil {
		at := r.PurgedAt.UTC()
		c.PurgedAt, c.State = &at, panel.CampaignPurged
	}
	var err error
	if c.AgeBands, err = decodeAgeBands(r.ID, r.AgeBands); err != nil {
		return nil, err
	}
	if r.Templates != "" {
		if err := json.Unmarshal([]byte(r.Templates), &c.Templates); err != nil {
			return nil, fmt.Errorf("store: campaign %d: decode templates: %w", r.ID, err)
		}
	}
	return c, nil
}

// CreateCampaign validates c, stores it as a draft and sets c.ID, c.State,
// c.CreatedAt and c.UpdatedAt. The "campaign.created" audit event is written
// in the same transaction, under the actor carried by ctx (panel.WithActor). A nil Templates map is stored as empty; the
// other settings are stored as given, so start from panel.NewCampaign to get
// the defaults. Returns EINVALID naming the bad field and ECONFLICT when a
// campaign with that name exists.
func (s *Store) CreateCampaign(ctx context.Context, c *panel.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	templates := c.Templates
	if templates == nil {
		templates = map[string]string{}
	}
	tj, err := json.Marshal(templates)
	if err != nil {
		return fmt.Errorf("store: encode campaign templates: %w", err)
	}
	bands, err := encodeAgeBands(c)
	if err != nil {
		return err
	}
	now := s.clock()
	row := campaignRow{
		AgeBands:       bands,
		Name:           c.Name,
		InvitationText: c.InvitationText,
		Templates:      string(tj),
		SendRate:       c.SendRate,
		QuietHours:     c.QuietHours,
		ReplyBy:        c.ReplyBy,
		Dialogue:       "{}",
		State:          panel.CampaignDraft,
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	err = s.InTx(ctx, func(tx *Store) error {
		if err := tx.conn(ctx).Create(&row).Error; err != nil {
			return translate(err, "campaign")
		}
		return tx.auditCampaign(ctx, row.ID, "campaign.created",
			map[string]any{"name": c.Name, "send_rate": c.SendRate, "quiet_hours": c.QuietHours, "reply_by": c.ReplyBy, "age_bands": c.AgeBands})
	})
	if err != nil {
		return err
	}
	c.ID, c.State, c.CreatedAt, c.UpdatedAt = row.ID, row.State, now, now
	c.Templates = templates
	c.AgeBands, err = decodeAgeBands(row.ID, bands)
	return err
}

// FindCampaignByID returns the campaign, or ENOTFOUND.
func (s *Store) FindCampaignByID(ctx context.Context, id int64) (*panel.Campaign, error) {
	var row campaignRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "campaign")
	}
	return row.toPanel()
}

// ListCampaigns returns campaigns in ID order and how many match f in all.
// Limit defaults to 100 and is capped at 1000; a negative Offset or Limit
// or an unknown State is EINVALID.
func (s *Store) ListCampaigns(ctx context.Context, f panel.CampaignFilter) ([]*panel.Campaign, int, error) {
	limit, err := listLimit(f.Limit)
	if err != nil {
		return nil, 0, err
	}
	if f.Offset < 0 {
		return nil, 0, panel.Errorf(panel.EINVALID, "offset must not be negative, got %d", f.Offset)
	}
	q := s.conn(ctx).Model(&campaignRow{})
	if f.State != "" {
		switch f.State {
		case panel.CampaignDraft, panel.CampaignSending, panel.CampaignPaused, panel.CampaignClosed:
			q = q.Where("state = ? AND purged_at IS NULL", f.State)
		case panel.CampaignPurged:
			q = q.Where("purged_at IS NOT NULL")
		default:
			return nil, 0, panel.Errorf(panel.EINVALID, "state must be one of draft, sending, paused, closed, purged, got %q", f.State)
		}
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "campaigns")
	}
	var rows []campaignRow
	if err := q.Order("id").Offset(f.Offset).Limit(limit).Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "campaigns")
	}
	out := make([]*panel.Campaign, 0, len(rows))
	for i := range rows {
		c, err := rows[i].toPanel()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, int(total), nil
}

// listLimit applies the default and cap shared by list calls.
func listLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, panel.Errorf(panel.EINVALID, "limit must not be negative, got %d", limit)
	case limit == 0:
		return defaultListLimit, nil
	case limit > maxListLimit:
		return maxListLimit, nil
	}
	return limit, nil
}

// CampaignDialogue returns the campaign's dialogue, the default when the
// stored one is empty.
func (s *Store) CampaignDialogue(ctx context.Context, campaignID int64) (panel.DialogueConfig, error) {
	var rows []struct {
		Dialogue string
		AgeBands string
	}
	err := s.conn(ctx).Model(&campaignRow{}).Select("dialogue", "age_bands").Where("id = ?", campaignID).Scan(&rows).Error
	if err != nil {
		return panel.DialogueConfig{}, translate(err, "campaign")
	}
	if len(rows) == 0 {
		return panel.DialogueConfig{}, panel.Errorf(panel.ENOTFOUND, "campaign not found")
	}
	return decodeDialogue(campaignID, rows[0].Dialogue, rows[0].AgeBands)
}

// SetCampaignDialogue validates and stores the campaign's dialogue.
func (s *Store) SetCampaignDialogue(ctx context.Context, campaignID int64, cfg panel.DialogueConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	raw, err := encodeJSON(cfg, "campaign dialogue")
	if err != nil {
		return err
	}
	res := s.conn(ctx).Model(&campaignRow{}).Where("id = ?", campaignID).
		Updates(map[string]any{"dialogue": raw, "updated_at": s.clock()})
	if res.Error != nil {
		return translate(res.Error, "campaign")
	}
	if res.RowsAffected == 0 {
		return panel.Errorf(panel.ENOTFOUND, "campaign not found")
	}
	return nil
}

// SetReminderPolicy stores a campaign's reminder policy (see
// panel.ParseReminderPolicy; "" restores the default). EINVALID naming
// reminder_policy; ENOTFOUND when there is no such campaign. The
// "campaign.reminder_policy_set" audit event is written in the same
// transaction.
func (s *Store) SetReminderPolicy(ctx context.Context, campaignID int64, policy string) error {
	p, err := panel.ParseReminderPolicy(policy)
	if err != nil {
		return err
	}
	stored := p.String()
	switch {
	case policy == "":
		stored = ""
	case len(p) == 0:
		stored = "none"
	}
	return s.InTx(ctx, func(tx *Store) error {
		res := tx.conn(ctx).Table("campaigns").Where("id = ?", campaignID).
			Updates(map[string]any{"reminder_policy": stored, "updated_at": tx.clock()})
		if res.Error != nil {
			return translate(res.Error, "campaign")
		}
		if res.RowsAffected == 0 {
			return panel.Errorf(panel.ENOTFOUND, "campaign not found")
		}
		shown := p.String()
		if len(p) == 0 {
			shown = "none"
		}
		return tx.auditCampaign(ctx, campaignID, "campaign.reminder_policy_set",
			map[string]any{"reminder_policy": shown, "default": stored == ""})
	})
}

// lockCampaignRow reads a campaign row for a change (its row locked on
// PostgreSQL; SQLite transactions hold the write lock). ENOTFOUND.
func (s *Store) lockCampaignRow(ctx context.Context, id int64) (*campaignRow, error) {
	q := s.drv.lockingRead(s.conn(ctx))
	var row campaignRow
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "campaign")
	}
	return &row, nil
}

// lockCampaign reads a campaign for a change inside a transaction, locking
// its row on PostgreSQL (SQLite transactions hold the write lock), so that
// state changes and imports of one campaign are serialised.
func (s *Store) lockCampaign(ctx context.Context, id int64) (*panel.Campaign, error) {
	row, err := s.lockCampaignRow(ctx, id)
	if err != nil {
		return nil, err
	}
	return row.toPanel()
}

// audit appends an event about campaign id with details, in s's
// transaction, under the actor carried by ctx.
func (s *Store) auditCampaign(ctx context.Context, id int64, action string, details map[string]any) error {
	return s.audit(ctx, action, fmt.Sprintf("campaign/%d", id), details)
}

// decodeDialogue reads a campaign's dialogue column (empty means the
// default) with its age bands (the age_bands column) in the rules that put
// an age or a birth year into a band.
func decodeDialogue(campaignID int64, raw, ageBands string) (panel.DialogueConfig, error) {
	var cfg panel.DialogueConfig
	if raw != "" && raw != "{}" {
		if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
			return panel.DialogueConfig{}, fmt.Errorf("store: campaign %d: decode dialogue: %w", campaignID, err)
		}
	}
	if cfg.IsZero() {
		cfg = panel.DefaultDialogue()
	}
	if ageBands == "" {
		return cfg, nil
	}
	labels, err := decodeAgeBands(campaignID, ageBands)
	if err != nil {
		return panel.DialogueConfig{}, err
	}
	bands, err := panel.ParseAgeBands(labels)
	if err != nil {
		return panel.DialogueConfig{}, fmt.Errorf("store: campaign %d: stored age bands: %w", campaignID, err)
	}
	return cfg.WithAgeBands(bands), nil
}

// encodeAgeBands returns what the age_bands column stores for c: "" for
// the default bands, else the JSON array of its labels as ParseAgeBands
// writes them. EINVALID naming age_bands.
func encodeAgeBands(c *panel.Campaign) (string, error) {
	if len(c.AgeBands) == 0 {
		return "", nil
	}
	bands, err := panel.ParseAgeBands(c.AgeBands)
	if err != nil {
		return "", err
	}
	return encodeJSON(panel.AgeBandLabels(bands), "campaign age bands")
}

// decodeAgeBands reads the age_bands column: "" is the default bands.
func decodeAgeBands(campaignID int64, raw string) ([]string, error) {
	if raw == "" {
		return panel.DefaultAgeBandLabels(), nil
	}
	var labels []string
	if err := json.Unmarshal([]byte(raw), &labels); err != nil {
		return nil, fmt.Errorf("store: campaign %d: decode age bands: %w", campaignID, err)
	}
	return labels, nil
}

// recruiting reports whether a campaign in state still takes volunteers.
func recruiting(state string) bool {
	return state != panel.CampaignClosed && state != panel.CampaignPurged
}

// UpdateCampaign applies ch under the campaign's row lock; see
// panel.CampaignService. The "campaign.updated" audit event names the
// fields changed and their new settings, never the texts.
func (s *Store) UpdateCampaign(ctx context.Context, id int64, ch panel.CampaignChange) (*panel.Campaign, error) {
	var out *panel.Campaign
	err := s.InTx(ctx, func(tx *Store) error {
		c, err := tx.lockCampaign(ctx, id)
		if err != nil {
			return err
		}
		next, err := ch.Apply(c)
		if err != nil {
			return err
		}
		tj, err := json.Marshal(next.Templates)
		if err != nil {
			return fmt.Errorf("store: encode campaign templates: %w", err)
		}
		now := tx.clock()
		set := map[string]any{
			"name": next.Name, "invitation_text": next.InvitationText, "templates": string(tj), "reply_by": next.ReplyBy,
			"send_rate": next.SendRate, "quiet_hours": next.QuietHours, "updated_at": now,
		}
		if ch.AgeBands != nil {
			bands := ""
			if len(*ch.AgeBands) > 0 {
				if bands, err = encodeAgeBands(next); err != nil {
					return err
				}
			}
			set["age_bands"] = bands
		}
		err = tx.conn(ctx).Model(&campaignRow{}).Where("id = ?", id).Updates(set).Error
		if err != nil {
			return translate(err, "campaign")
		}
		details := map[string]any{"fields": ch.Fields()}
		if ch.SendRate != nil {
			details["send_rate"] = next.SendRate
		}
		if ch.QuietHours != nil {
			details["quiet_hours"] = next.QuietHours
		}
		if ch.ReplyBy != nil {
			details["reply_by"] = next.ReplyBy
		}
		if ch.Name != nil {
			details["name"] = next.Name
		}
		if ch.AgeBands != nil {
			details["age_bands"] = next.AgeBands
		}
		if err := tx.auditCampaign(ctx, id, "campaign.updated", details); err != nil {
			return err
		}
		next.UpdatedAt = now
		out = next
		return nil
	})
	return out, err
}

// CloseCampaign ends recruitment and cancels the campaign's queued
// invitations; see panel.CampaignService.
func (s *Store) CloseCampaign(ctx context.Context, id int64) (*panel.Campaign, error) {
	var out *panel.Campaign
	err := s.InTx(ctx, func(tx *Store) error {
		c, err := tx.lockCampaign(ctx, id)
		if err != nil {
			return err
		}
		switch c.State {
		case panel.CampaignClosed:
			return panel.Errorf(panel.ECONFLICT, "campaign %d is closed already", id)
		case panel.CampaignPurged:
			return panel.Errorf(panel.ECONFLICT, "campaign %d is purged; it is closed for good", id)
		}
		now := tx.clock()
		err = tx.conn(ctx).Model(&campaignRow{}).Where("id = ?", id).
			Updates(map[string]any{"state": panel.CampaignClosed, "updated_at": now}).Error
		if err != nil {
			return translate(err, "campaign")
		}
		cancelled := tx.conn(ctx).Exec(`UPDATE outbound_messages SET state = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE campaign_id = ? AND kind = ? AND state = ?`, panel.MessageCancelled, now, id, panel.KindInvitation, panel.MessageQueued)
		if cancelled.Error != nil {
			return translate(cancelled.Error, "outbound messages")
		}
		if err := tx.auditCampaign(ctx, id, "campaign.closed", map[string]any{
			"from": c.State, "cancelled_invitations": cancelled.RowsAffected,
		}); err != nil {
			return err
		}
		c.State, c.UpdatedAt = panel.CampaignClosed, now
		out = c
		return nil
	})
	return out, err
}
