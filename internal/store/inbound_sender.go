package store

import (
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns reading an inbound message's sender: the recipient,
// campaign, volunteer and membership the dialogue sees.

// senderRow is a recipient with the number of an inbound message, its
// campaign's state and dialogue, its volunteer row (the V fields) and the
// volunteer's membership in the newest seeded draw (the M fields), NULL
// when there is none: everything the dialogue reads, in one query.
type senderRow struct {
	ID               int64      `col:"r.id"`
	CampaignID       int64      `col:"r.campaign_id"`
	Phone            *string    `col:"r.phone"`
	Attributes       string     `col:"CAST(r.attributes AS TEXT)"`
	Pseudonym        string     `col:"r.pseudonym"`
	State            string     `col:"r.state"`
	OptedOutAt       *time.Time `col:"r.opted_out_at"`
	CreatedAt        time.Time  `col:"r.created_at"`
	UpdatedAt        time.Time  `col:"r.updated_at"`
	Reprompts        int        `col:"r.reprompts"`
	CampaignState    string     `col:"c.state"`
	CampaignDialogue string     `col:"CAST(c.dialogue AS TEXT)"`
	CampaignAgeBands string     `col:"c.age_bands"`
	VID              *int64     `col:"v.id"`
	VExternalID      *string    `col:"v.external_id"`
	VCategoryValues  *string    `col:"CAST(v.category_values AS TEXT)"`
	VHouseholdKey    *string    `col:"v.household_key"`
	VDialogueStep    *int       `col:"v.dialogue_step"`
	VDialogueState   *string    `col:"v.dialogue_state"`
	VComplete        *bool      `col:"v.complete"`
	VSource          *string    `col:"v.source"`
	VLanguage        *string    `col:"v.language"`
	VReprompts       *int       `col:"v.reprompts"`
	VCreatedAt       *time.Time `col:"v.created_at"`
	VUpdatedAt       *time.Time `col:"v.updated_at"`
	MID              *int64     `col:"m.id"`
	MDrawID          *int64     `col:"m.draw_id"`
	MPseudonym       *string    `col:"m.pseudonym"`
	MRole            *string    `col:"m.role"`
	MState           *string    `col:"m.state"`
}

// senderColumns is the projection of senderRow from the driver's
// senderFrom (r: recipients, c: campaigns, v: volunteers, m: the
// membership).
var senderColumns = projection[senderRow]()

// sendersQuery selects, and on PostgreSQL locks, the recipients with the
// numbers of an inbound batch that an inbound message may belong to: those
// that were invited (state not pending) or whose campaign is sending. The
// rows are locked in one order (number, then id), so that two messages
// from one person, or two batches, wait for each other instead of
// deadlocking. Parameters: the seeded draw state, the numbers (listParam),
// the pending state, the sending and paused campaign states.
func sendersQuery(d driver) string {
	return "SELECT " + senderColumns.list() + " FROM " + d.senderFrom() +
		" WHERE " + d.inList("r.phone") + " AND (r.state <> ? OR c.state IN (?, ?)) ORDER BY r.phone, r.id" +
		d.forUpdate(false, "r")
}

// snapshot is the snapshot of message m from sender (nil for an unknown
// number).
func (sender *senderRow) snapshot(m *panel.InboundMessage) (*panel.DialogueSnapshot, error) {
	snap := &panel.DialogueSnapshot{Message: m}
	if sender == nil {
		return snap, nil
	}
	rr := recipientRow{ID: sender.ID, CampaignID: sender.CampaignID, Phone: sender.Phone, Attributes: sender.Attributes,
		Pseudonym: sender.Pseudonym, State: sender.State, OptedOutAt: sender.OptedOutAt,
		CreatedAt: sender.CreatedAt, UpdatedAt: sender.UpdatedAt}
	var err error
	if snap.Recipient, err = rr.toPanel(); err != nil {
		return nil, err
	}
	snap.CampaignState, snap.Reprompts = sender.CampaignState, sender.Reprompts
	if snap.Dialogue, err = decodeDialogue(sender.CampaignID, sender.CampaignDialogue, sender.CampaignAgeBands); err != nil {
		return nil, err
	}
	if sender.VID == nil {
		return snap, nil
	}
	vr := volunteerRow{
		ID: *sender.VID, CampaignID: sender.CampaignID, RecipientID: &sender.ID, ExternalID: deref(sender.VExternalID),
		CategoryValues: deref(sender.VCategoryValues), HouseholdKey: sender.VHouseholdKey,
		DialogueStep: derefOr(sender.VDialogueStep), DialogueState: deref(sender.VDialogueState),
		Complete: sender.VComplete != nil && *sender.VComplete, Source: deref(sender.VSource),
		Language: deref(sender.VLanguage), Reprompts: derefOr(sender.VReprompts),
	}
	if sender.VCreatedAt != nil {
		vr.CreatedAt = *sender.VCreatedAt
	}
	if sender.VUpdatedAt != nil {
		vr.UpdatedAt = *sender.VUpdatedAt
	}
	if snap.Volunteer, err = vr.toPanel(); err != nil {
		return nil, err
	}
	if sender.MID != nil {
		snap.Member = &panel.MemberRef{ID: *sender.MID, DrawID: derefInt(sender.MDrawID), PseudoID: deref(sender.MPseudonym),
			Role: deref(sender.MRole), State: deref(sender.MState)}
	}
	return snap, nil
}

// bestSender picks the sender of a message among the rows of sendersQuery
// for its number, given in id order: a newer row wins unless it would
// replace a recruiting campaign's row by one that no longer recruits. nil
// when there is none.
func bestSender(rows []*senderRow) *senderRow {
	var best *senderRow
	for _, r := range rows {
		if best == nil || recruiting(r.CampaignState) || !recruiting(best.CampaignState) {
			best = r
		}
	}
	return best
}
