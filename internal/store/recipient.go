package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns recipients: importing them with pseudonyms, and reading
// them.

// importBatch is how many recipients one INSERT carries on PostgreSQL (8
// columns each, well under its limit on bound parameters), and how many
// numbers one duplicate check asks about.
const importBatch = 1000

// pseudonymBytes is the randomness in a recipient's pseudonym.
const pseudonymBytes = 10

var _ panel.RecipientService = (*Store)(nil)

// e164 is the shape of a normalised phone number.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{5,14}$`)

// recipientRow is a row of the recipients table.
type recipientRow struct {
	ID         int64 `gorm:"primaryKey"`
	CampaignID int64
	Phone      *string
	Attributes string // JSON object
	Pseudonym  string
	State      string
	OptedOutAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (recipientRow) TableName() string { return "recipients" }

func (r *recipientRow) toPanel() (*panel.Recipient, error) {
	p := &panel.Recipient{
		ID:         r.ID,
		CampaignID: r.CampaignID,
		Attributes: map[string]string{},
		PseudoID:   r.Pseudonym,
		State:      r.State,
		OptedOutAt: utcPtr(r.OptedOutAt),
		CreatedAt:  r.CreatedAt.UTC(),
		UpdatedAt:  r.UpdatedAt.UTC(),
	}
	if r.Phone != nil {
		p.Phone = panel.Phone(*r.Phone)
	}
	if r.Attributes != "" {
		if err := json.Unmarshal([]byte(r.Attributes), &p.Attributes); err != nil {
			return nil, fmt.Errorf("store: recipient %d: decode attributes: %w", r.ID, err)
		}
	}
	return p, nil
}

// ImportRecipients stores rows for the campaign in one transaction, all or
// nothing; see panel.RecipientService. Rows are inserted in batches of
// insertBatch. Each recipient gets a random pseudonym from the store's
// random source.
func (s *Store) ImportRecipients(ctx context.Context, campaignID int64, rows []panel.RecipientInput) (int, error) {
	if rejected := checkRecipientRows(rows); len(rejected) > 0 {
		return 0, panel.NewImportError(true, rejected)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	if rejected := duplicateRows(rows); len(rejected) > 0 {
		return 0, panel.NewImportError(false, rejected)
	}
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.FindCampaignByID(ctx, campaignID); err != nil {
			return err
		}
		rejected, err := tx.existingRows(ctx, campaignID, rows)
		if err != nil {
			return err
		}
		if len(rejected) > 0 {
			return panel.NewImportError(false, rejected)
		}
		now := tx.clock()
		size := tx.drv.insertBatch()
		batch := make([]recipientRow, 0, min(size, len(rows)))
		for start := 0; start < len(rows); start += size {
			batch = batch[:0]
			for _, in := range rows[start:min(start+size, len(rows))] {
				row, err := tx.newRecipientRow(campaignID, in, now)
				if err != nil {
					return err
				}
				batch = append(batch, row)
			}
			if err := tx.conn(ctx).Create(&batch).Error; err != nil {
				return translate(err, "recipient")
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// checkRecipientRows returns the rows whose phone number is missing or not
// E.164. Messages never repeat the number.
func checkRecipientRows(rows []panel.RecipientInput) []panel.RowError {
	var rejected []panel.RowError
	for _, in := range rows {
		switch {
		case in.Phone == "":
			rejected = append(rejected, panel.RowError{Row: in.Row, Error: "phone is required"})
		case !e164.MatchString(string(in.Phone)):
			rejected = append(rejected, panel.RowError{Row: in.Row, Error: "phone is not in E.164 form (+ and country code)"})
		}
	}
	return rejected
}

// duplicateRows returns the rows whose number appeared on an earlier row.
func duplicateRows(rows []panel.RecipientInput) []panel.RowError {
	first := make(map[panel.Phone]int, len(rows))
	var rejected []panel.RowError
	for _, in := range rows {
		if row, seen := first[in.Phone]; seen {
			rejected = append(rejected, panel.RowError{Row: in.Row, Error: fmt.Sprintf("phone number repeats row %d", row)})
			continue
		}
		first[in.Phone] = in.Row
	}
	return rejected
}

// existingRows returns the rows whose number the campaign already has.
func (s *Store) existingRows(ctx context.Context, campaignID int64, rows []panel.RecipientInput) ([]panel.RowError, error) {
	var rejected []panel.RowError
	for start := 0; start < len(rows); start += importBatch {
		chunk := rows[start:min(start+importBatch, len(rows))]
		phones := make([]string, len(chunk))
		for i, in := range chunk {
			phones[i] = string(in.Phone)
		}
		var found []string
		err := s.conn(ctx).Model(&recipientRow{}).Where("campaign_id = ? AND phone IN ?", campaignID, phones).
			Pluck("phone", &found).Error
		if err != nil {
			return nil, translate(err, "recipients")
		}
		have := make(map[string]bool, len(found))
		for _, p := range found {
			have[p] = true
		}
		for _, in := range chunk {
			if have[string(in.Phone)] {
				rejected = append(rejected, panel.RowError{Row: in.Row, Error: "phone number is already imported in this campaign"})
			}
		}
	}
	return rejected, nil
}

// newRecipientRow builds the row for one import row.
func (s *Store) newRecipientRow(campaignID int64, in panel.RecipientInput, now time.Time) (recipientRow, error) {
	attrs := in.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	aj, err := json.Marshal(attrs)
	if err != nil {
		return recipientRow{}, fmt.Errorf("store: encode recipient attributes: %w", err)
	}
	pseudonym, err := s.newPseudonym()
	if err != nil {
		return recipientRow{}, err
	}
	phone := string(in.Phone)
	return recipientRow{
		CampaignID: campaignID,
		Phone:      &phone,
		Attributes: string(aj),
		Pseudonym:  pseudonym,
		State:      panel.RecipientPending,
		CreatedAt:  now,
		UpdatedAt:  now,
	}, nil
}

// newPseudonym returns "r" and 16 lowercase base32 characters of fresh
// randomness: opaque, and unique in practice (the column is UNIQUE too).
func (s *Store) newPseudonym() (string, error) {
	raw := make([]byte, pseudonymBytes)
	if _, err := io.ReadFull(s.random, raw); err != nil {
		return "", fmt.Errorf("store: read random pseudonym bytes: %w", err)
	}
	return "r" + tokenEncoding().EncodeToString(raw), nil
}

// FindRecipient returns the recipient, or ENOTFOUND.
func (s *Store) FindRecipient(ctx context.Context, id int64) (*panel.Recipient, error) {
	var row recipientRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "recipient")
	}
	return row.toPanel()
}

// CountRecipientsByState counts the campaign's recipients per state.
func (s *Store) CountRecipientsByState(ctx context.Context, campaignID int64) (map[string]int, error) {
	var rows []struct {
		State string
		N     int
	}
	err := s.conn(ctx).Model(&recipientRow{}).Select("state, COUNT(*) AS n").
		Where("campaign_id = ?", campaignID).Group("state").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "recipients")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}
