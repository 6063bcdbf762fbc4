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
	ID               int64
	CampaignID       int64
	Phone            *string
	Attributes       string
	Pseudonym        string
	State            string
	OptedOutAt       *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Reprompts        int
	CampaignState    string
	CampaignDialogue string
	VID              *int64
	VExternalID      *string
	VCategoryValues  *string
	VHouseholdKey    *string
	VDialogueStep    *int
	VDialogueState   *string
	VComplete        *bool
	VSource          *string
	VLanguage        *string
	VReprompts       *int
	VCreatedAt       *time.Time
	VUpdatedAt       *time.Time
	MID              *int64
	MDrawID          *int64
	MPseudonym       *string
	MRole            *string
	MState           *string
}

// senderColumns is the projection of senderRow from the driver's
// senderFrom (r: recipients, c: campaigns, v: volunteers, m: the
// membership).
var senderColumns = columns[senderRow]{
	{"r.id", func(r *senderRow) any { return &r.ID }},
	{"r.campaign_id", func(r *senderRow) any { return &r.CampaignID }},
	{"r.phone", func(r *senderRow) any { return &r.Phone }},
	{"CAST(r.attributes AS TEXT)", func(r *senderRow) any { return &r.Attributes }},
	{"r.pseudonym", func(r *senderRow) any { return &r.Pseudonym }},
	{"r.state", func(r *senderRow) any { return &r.State }},
	{"r.opted_out_at", func(r *senderRow) any { return &r.OptedOutAt }},
	{"r.created_at", func(r *senderRow) any { return &r.CreatedAt }},
	{"r.updated_at", func(r *senderRow) any { return &r.UpdatedAt }},
	{"r.reprompts", func(r *senderRow) any { return &r.Reprompts }},
	{"c.state", func(r *senderRow) any { return &r.CampaignState }},
	{"CAST(c.dialogue AS TEXT)", func(r *senderRow) any { return &r.CampaignDialogue }},
	{"v.id", func(r *senderRow) any { return &r.VID }},
	{"v.external_id", func(r *senderRow) any { return &r.VExternalID }},
	{"CAST(v.category_values AS TEXT)", func(r *senderRow) any { return &r.VCategoryValues }},
	{"v.household_key", func(r *senderRow) any { return &r.VHouseholdKey }},
	{"v.dialogue_step", func(r *senderRow) any { return &r.VDialogueStep }},
	{"v.dialogue_state", func(r *senderRow) any { return &r.VDialogueState }},
	{"v.complete", func(r *senderRow) any { return &r.VComplete }},
	{"v.source", func(r *senderRow) any { return &r.VSource }},
	{"v.language", func(r *senderRow) any { return &r.VLanguage }},
	{"v.reprompts", func(r *senderRow) any { return &r.VReprompts }},
	{"v.created_at", func(r *senderRow) any { return &r.VCreatedAt }},
	{"v.updated_at", func(r *senderRow) any { return &r.VUpdatedAt }},
	{"m.id", func(r *senderRow) any { return &r.MID }},
	{"m.draw_id", func(r *senderRow) any { return &r.MDrawID }},
	{"m.pseudonym", func(r *senderRow) any { return &r.MPseudonym }},
	{"m.role", func(r *senderRow) any { return &r.MRole }},
	{"m.state", func(r *senderRow) any { return &r.MState }},
}

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
	if snap.Dialogue, err = decodeDialogue(sender.CampaignID, sender.CampaignDialogue); err != nil {
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
