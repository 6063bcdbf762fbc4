package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns importing volunteers who did not come by SMS.

var _ panel.VolunteerImporter = (*Store)(nil)

// ImportVolunteers stores complete volunteers recruited another way; see
// panel.VolunteerImporter. Rows must be checked for form (ids, phones,
// values) and for repeats within the file by the caller; this checks them
// against what the campaign has already, in the same transaction as the
// inserts.
func (s *Store) ImportVolunteers(ctx context.Context, campaignID int64, rows []panel.VolunteerInput, partial bool) (int, []panel.RowError, error) {
	var (
		imported int
		rejected []panel.RowError
	)
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.FindCampaignByID(ctx, campaignID); err != nil {
			return err
		}
		bad, err := tx.existingVolunteers(ctx, campaignID, rows)
		if err != nil {
			return err
		}
		if len(bad) > 0 && !partial {
			return panel.NewImportError(false, bad)
		}
		rejected = bad
		skip := map[int]bool{}
		for _, r := range bad {
			skip[r.Row] = true
		}
		now := tx.clock()
		for _, in := range rows {
			if skip[in.Row] {
				continue
			}
			v := &panel.Volunteer{
				CampaignID: campaignID, ExternalID: in.ExternalID, Values: in.Values, HouseholdKey: in.HouseholdKey,
				DialogueState: panel.DialogueFinished, Complete: true, Source: panel.SourceImport, Language: panel.LangNorwegian,
			}
			if in.Phone != "" {
				rr, err := tx.newRecipientRow(campaignID, panel.RecipientInput{Row: in.Row, Phone: in.Phone}, now)
				if err != nil {
					return err
				}
				rr.State = panel.RecipientVolunteered
				if err := tx.conn(ctx).Create(&rr).Error; err != nil {
					return translate(err, "recipient")
				}
				v.RecipientID = rr.ID
			}
			if err := tx.saveVolunteer(ctx, v, now); err != nil {
				return err
			}
			imported++
		}
		if imported == 0 {
			return nil
		}
		return tx.audit(ctx, "volunteers.imported", fmt.Sprintf("campaign/%d", campaignID),
			map[string]any{"imported": imported, "rejected": len(rejected)})
	})
	if err != nil {
		return 0, nil, err
	}
	return imported, rejected, nil
}

// existingVolunteers returns the rows whose id is a volunteer of the
// campaign already, or whose phone is a recipient of it.
func (s *Store) existingVolunteers(ctx context.Context, campaignID int64, rows []panel.VolunteerInput) ([]panel.RowError, error) {
	var out []panel.RowError
	for start := 0; start < len(rows); start += importBatch {
		chunk := rows[start:min(start+importBatch, len(rows))]
		var ids, phones []string
		for _, in := range chunk {
			ids = append(ids, in.ExternalID)
			if in.Phone != "" {
				phones = append(phones, string(in.Phone))
			}
		}
		var haveIDs, havePhones []string
		err := s.conn(ctx).Model(&volunteerRow{}).Where("campaign_id = ? AND external_id IN ?", campaignID, ids).Pluck("external_id", &haveIDs).Error
		if err != nil {
			return nil, translate(err, "volunteers")
		}
		if len(phones) > 0 {
			err = s.conn(ctx).Model(&recipientRow{}).Where("campaign_id = ? AND phone IN ?", campaignID, phones).Pluck("phone", &havePhones).Error
			if err != nil {
				return nil, translate(err, "recipients")
			}
		}
		for _, in := range chunk {
			switch {
			case slices.Contains(haveIDs, in.ExternalID):
				out = append(out, panel.RowError{Row: in.Row, Error: fmt.Sprintf("id %q is already a volunteer of this campaign", in.ExternalID)})
			case in.Phone != "" && slices.Contains(havePhones, string(in.Phone)):
				out = append(out, panel.RowError{Row: in.Row, Error: "phone number is already in this campaign"})
			}
		}
	}
	return out, nil
}
