package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns volunteers (the pool) and their answers.

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

// volunteerColumns is the projection of volunteerRow: every column of
// volunteers, the id first.
var volunteerColumns = projection[volunteerRow]()

// Volunteer writes.
var (
	insertVolunteer = volunteerColumns.from(1).insert("volunteers") + " RETURNING id"
	updateVolunteer = `UPDATE volunteers SET category_values = ?, dialogue_step = ?, dialogue_state = ?,
		complete = ?, language = ?, reprompts = ?, updated_at = ? WHERE id = ?`
	// upsertAnswer takes the volunteer by recipient, so that it also
	// finds one inserted earlier in the same pipeline.
	upsertAnswer = `INSERT INTO volunteer_answers (volunteer_id, question, answer, inbound_message_id, created_at)
		VALUES ((SELECT id FROM volunteers WHERE recipient_id = ?), ?, ?, ?, ?)
		ON CONFLICT (volunteer_id, question) DO UPDATE
		SET answer = excluded.answer, inbound_message_id = excluded.inbound_message_id, created_at = excluded.created_at`
)

// queueSaveVolunteer queues on p the creation of v (ID 0) or the update
// of its dialogue fields and values; v.ID, v.CreatedAt and v.UpdatedAt
// are set once p is flushed. Category values are stored as a JSON object
// ({} for none), the language as Norwegian when unset.
func queueSaveVolunteer(p pipeline, v *panel.Volunteer, now time.Time) error {
	m := v.Values
	if m == nil {
		m = map[string]string{}
	}
	values, err := encodeJSON(m, "volunteer category values")
	if err != nil {
		return err
	}
	lang := v.Language
	if lang == "" {
		lang = panel.LangNorwegian
	}
	if v.ID != 0 {
		p.queue(nil, updateVolunteer, values, v.Step, v.DialogueState, v.Complete, lang, v.Reprompts, now, v.ID)
		v.UpdatedAt = now
		return nil
	}
	row := volunteerRow{
		CampaignID: v.CampaignID, RecipientID: idPtr(v.RecipientID), ExternalID: v.ExternalID,
		CategoryValues: values, HouseholdKey: strPtr(v.HouseholdKey), DialogueStep: v.Step,
		DialogueState: v.DialogueState, Complete: v.Complete, Source: v.Source, Language: lang,
		Reprompts: v.Reprompts, CreatedAt: now, UpdatedAt: now,
	}
	p.queue(func(r rows) error {
		if !r.Next() {
			return fmt.Errorf("store: volunteer insert returned no id: %w", r.Err())
		}
		if err := r.Scan(&v.ID); err != nil {
			return err
		}
		v.CreatedAt, v.UpdatedAt = now, now
		return r.Err()
	}, insertVolunteer, volunteerColumns.from(1).values(&row)...)
	return nil
}

// queueAnswers queues on p the answers of the recipient's volunteer to an
// inbound message, each replacing an earlier answer to the same question.
func queueAnswers(p pipeline, recipientID, messageID int64, answers []panel.Answer, now time.Time) {
	for _, a := range answers {
		p.queue(nil, upsertAnswer, recipientID, a.Question, a.Answer, idPtr(messageID), now)
	}
}

// saveVolunteer is queueSaveVolunteer run at once on s.
func (s *Store) saveVolunteer(ctx context.Context, v *panel.Volunteer, now time.Time) error {
	p := s.seqPipeline(s.conn(ctx))
	if err := queueSaveVolunteer(p, v, now); err != nil {
		return err
	}
	return translate(s.drv.classify(p.flush(ctx)), "volunteer")
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

// PoolAttributes returns the register attributes of the recipients behind
// the campaign's complete SMS volunteers, by recipient id: the columns of
// the recipients import, address columns included.
func (s *Store) PoolAttributes(ctx context.Context, campaignID int64) (map[int64]map[string]string, error) {
	var rows []recipientRow
	err := s.conn(ctx).Where("id IN (SELECT recipient_id FROM volunteers WHERE campaign_id = ? AND complete = ? AND recipient_id IS NOT NULL)",
		campaignID, true).Order("id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "recipients")
	}
	out := make(map[int64]map[string]string, len(rows))
	for i := range rows {
		r, err := rows[i].toPanel()
		if err != nil {
			return nil, err
		}
		out[r.ID] = r.Attributes
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
