package panel

import (
	"context"
	"strings"
)

// Purge scopes, as reported in PurgeResult.Scope.
const (
	PurgeScopeCampaign = "campaign" // everyone in the campaign, once the panel has ended
	PurgeScopePerson   = "person"   // one person, on request, at any time
)

// PurgeTarget names the one person whose personal data is to be purged:
// exactly one of RecipientID (the recipients table's id), PseudoID (the
// recipient's or panel member's pseudonym, as in draw records) or
// ExternalID (a volunteer's id in the pool, e.g. from an import) is set.
type PurgeTarget struct {
	RecipientID int64  `json:"recipient"`
	PseudoID    string `json:"pseudonym"`
	ExternalID  string `json:"external_id"`
}

// Validate returns an EINVALID error unless exactly one field is set.
func (t PurgeTarget) Validate() error {
	n := 0
	if t.RecipientID != 0 {
		n++
		if t.RecipientID < 0 {
			return Errorf(EINVALID, "recipient must be a positive id, got %d", t.RecipientID)
		}
	}
	if strings.TrimSpace(t.PseudoID) != "" {
		n++
	}
	if strings.TrimSpace(t.ExternalID) != "" {
		n++
	}
	if n != 1 {
		return Errorf(EINVALID, "give exactly one of recipient, pseudonym or external_id, got %d", n)
	}
	return nil
}

// PurgeResult counts what one purge removed. Every count is of rows that
// still held personal data, so purging twice gives zero counts the second
// time.
type PurgeResult struct {
	Scope             string `json:"scope"`              // PurgeScopeCampaign or PurgeScopePerson
	Recipients        int    `json:"recipients"`         // recipients whose phone number and register attributes were deleted
	OutboundBodies    int    `json:"outbound_messages"`  // outgoing SMS whose text (and provider error text) was deleted
	CancelledMessages int    `json:"cancelled_messages"` // queued SMS cancelled, never to be sent
	InboundMessages   int    `json:"inbound_messages"`   // incoming SMS whose sender number, text, reply and notes were deleted
	Answers           int    `json:"answers"`            // dialogue answers deleted
	Volunteers        int    `json:"volunteers"`         // volunteers whose household key was deleted
	Absences          int    `json:"absences"`           // absences whose reason (the member's reply) was deleted
	CallNotes         int    `json:"call_notes"`         // confirmation calls whose support needs (free text) were deleted
}

// Changed reports whether the purge removed anything.
func (r PurgeResult) Changed() bool {
	return r.Recipients+r.OutboundBodies+r.CancelledMessages+r.InboundMessages+r.Answers+r.Volunteers+r.Absences+r.CallNotes > 0
}

// PurgeService deletes personal data: phone numbers, register attributes,
// message texts (outgoing and incoming), dialogue answers, household keys
// and absence reasons. It keeps pseudonyms, category values, panel
// members, draw records and the audit log, so draws and the audit chain
// still verify. Each purge is one transaction with one audit event
// (counts only) when it removed anything; purged recipients are never
// messaged again.
type PurgeService interface {
	// PurgeCampaign purges everyone in the campaign once its panel has
	// ended: every meeting not cancelled has started and there is at least
	// one, or the campaign is closed and no meeting is to come. ENOTFOUND;
	// ECONFLICT naming why the panel has not ended.
	PurgeCampaign(ctx context.Context, campaignID int64) (PurgeResult, error)
	// PurgePerson purges one person of the campaign, at any time.
	// EINVALID when t is not valid; ENOTFOUND when the campaign or the
	// person does not exist.
	PurgePerson(ctx context.Context, campaignID int64, t PurgeTarget) (PurgeResult, error)
}
