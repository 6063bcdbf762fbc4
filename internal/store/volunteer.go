package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.VolunteerService = (*Store)(nil)

// volunteerRow is a row of the volunteers table.
type volunteerRow struct {
	ID             int64 `gorm:"primaryKey"`
	CampaignID     int64
	RecipientID    *int64
	ExternalID     string
	CategoryValues string // JSON object
	HouseholdKey   *string
	DialogueStep   int
	DialogueState  string
	Complete       bool
	Source         string
	Language       string
	Reprompts      int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (volunteerRow) TableName() string { return "volunteers" }

func (r *volunteerRow) toPanel() (*panel.Volunteer, error) {
	v := &panel.Volunteer{
		ID: r.ID, CampaignID: r.CampaignID, RecipientID: derefInt(r.RecipientID), ExternalID: r.ExternalID,
		Values: map[string]string{}, HouseholdKey: deref(r.HouseholdKey), Step: r.DialogueStep,
		DialogueState: r.DialogueState, Complete: r.Complete, Source: r.Source, Language: r.Language,
		Reprompts: r.Reprompts, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.CategoryValues != "" {
		if err := json.Unmarshal([]byte(r.CategoryValues), &v.Values); err != nil {
			return nil, fmt.Errorf("store: volunteer %d: decode category values: %w", r.ID, err)
		}
	}
	return v, nil
}

// answerRow is a row of the volunteer_answers table.
type answerRow struct {
	ID               int64 `gorm:"primaryKey"`
	VolunteerID      int64
	Question         string
	Answer           string
	InboundMessageID *int64
	CreatedAt        time.Time
}

func (answerRow) TableName() string { return "volunteer_answers" }

// volunteerColumns returns how v's category values and language are
// stored: a JSON object ({} for none) and the language (Norwegian when
// unset).
func volunteerColumns(v *panel.Volunteer) (values, lang string, err error) {
	m := v.Values
	if m == nil {
		m = map[string]string{}
	}
	values, err = encodeJSON(m, "volunteer category values")
	if err != nil {
		return "", "", err
	}
	lang = v.Language
	if lang == "" {
		lang = panel.LangNorwegian
	}
	return values, lang, nil
}

// saveVolunteer creates v (ID 0) or updates its dialogue fields and
// values, and sets v.ID, v.CreatedAt and v.UpdatedAt.
func (s *Store) saveVolunteer(ctx context.Context, v *panel.Volunteer, now time.Time) error {
	vj, lang, err := volunteerColumns(v)
	if err != nil {
		return err
	}
	if v.ID != 0 {
		err := s.conn(ctx).Model(&volunteerRow{}).Where("id = ?", v.ID).Updates(map[string]any{
			"category_values": vj, "dialogue_step": v.Step, "dialogue_state": v.DialogueState,
			"complete": v.Complete, "language": lang, "reprompts": v.Reprompts, "updated_at": now,
		}).Error
		if err != nil {
			return translate(err, "volunteer")
		}
		v.UpdatedAt = now
		return nil
	}
	row := volunteerRow{
		CampaignID: v.CampaignID, RecipientID: idPtr(v.RecipientID), ExternalID: v.ExternalID,
		CategoryValues: vj, HouseholdKey: strPtr(v.HouseholdKey), DialogueStep: v.Step,
		DialogueState: v.DialogueState, Complete: v.Complete, Source: v.Source, Language: lang,
		Reprompts: v.Reprompts, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return translate(err, "volunteer")
	}
	v.ID, v.CreatedAt, v.UpdatedAt = row.ID, now, now
	return nil
}

// saveAnswers stores answers, each replacing an earlier answer to the same
// question.
func (s *Store) saveAnswers(ctx context.Context, volunteerID, messageID int64, answers []panel.Answer, now time.Time) error {
	if len(answers) == 0 {
		return nil
	}
	rows := make([]answerRow, len(answers))
	for i, a := range answers {
		rows[i] = answerRow{VolunteerID: volunteerID, Question: a.Question, Answer: a.Answer,
			InboundMessageID: idPtr(messageID), CreatedAt: now}
	}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "volunteer_id"}, {Name: "question"}},
		DoUpdates: clause.AssignmentColumns([]string{"answer", "inbound_message_id", "created_at"}),
	}).Create(&rows).Error
	return translate(err, "volunteer answer")
}

// ListPool returns the campaign's complete volunteers in id order.
func (s *Store) ListPool(ctx context.Context, campaignID int64) ([]*panel.Volunteer, error) {
	var rows []volunteerRow
	err := s.conn(ctx).Where("campaign_id = ? AND complete = ?", campaignID, true).Order("id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "volunteers")
	}
	out := make([]*panel.Volunteer, len(rows))
	for i := range rows {
		v, err := rows[i].toPanel()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// FindVolunteerByRecipient returns the recipient's volunteer row, or ENOTFOUND.
func (s *Store) FindVolunteerByRecipient(ctx context.Context, recipientID int64) (*panel.Volunteer, error) {
	var row volunteerRow
	if err := s.conn(ctx).Where("recipient_id = ?", recipientID).Take(&row).Error; err != nil {
		return nil, translate(err, "volunteer")
	}
	return row.toPanel()
}

// ListAnswers returns a volunteer's answers in the order they were first stored.
func (s *Store) ListAnswers(ctx context.Context, volunteerID int64) ([]panel.Answer, error) {
	var rows []answerRow
	if err := s.conn(ctx).Where("volunteer_id = ?", volunteerID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "volunteer answers")
	}
	out := make([]panel.Answer, len(rows))
	for i, r := range rows {
		out[i] = panel.Answer{Question: r.Question, Answer: r.Answer, InboundMessageID: derefInt(r.InboundMessageID), CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// CampaignDialogue returns the campaign's dialogue, the default when the
// stored one is empty.
func (s *Store) CampaignDialogue(ctx context.Context, campaignID int64) (panel.DialogueConfig, error) {
	var raw []string
	err := s.conn(ctx).Model(&campaignRow{}).Where("id = ?", campaignID).Pluck("dialogue", &raw).Error
	if err != nil {
		return panel.DialogueConfig{}, translate(err, "campaign")
	}
	if len(raw) == 0 {
		return panel.DialogueConfig{}, panel.Errorf(panel.ENOTFOUND, "campaign not found")
	}
	return decodeDialogue(campaignID, raw[0])
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
