package panel

import (
	"context"
	"strings"
	"time"
)

// Purge scopes, as reported in PurgeResult.Scope.
const (
	PurgeScopeCampaign = "campaign" // everyone in the campaign, once the panel has ended
	PurgeScopePerson   = "person"   // one person, on request, at any time
	PurgeScopePhone    = "phone"    // one phone number in every campaign, and its messages from no campaign
)

// DefaultUnknownInboundRetention is how long an SMS from a number in no
// campaign is kept (for an organiser to read in the inbox) before the
// retention worker purges it: 30 days.
const DefaultUnknownInboundRetention = 30 * 24 * time.Hour

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
	ExternalIDs       int    `json:"external_ids"`       // imported volunteers whose id as uploaded was replaced by "purged-<n>"
	DrawSnapshots     int    `json:"draw_snapshots"`     // draws whose frozen pool (every volunteer's categories) was deleted; the record stays
	ProviderMessages  int    `json:"provider_messages"`  // messages whose provider id was removed and whose copy at the provider is queued for deletion there
}

// Changed reports whether the purge removed anything.
func (r PurgeResult) Changed() bool {
	return r.Recipients+r.OutboundBodies+r.CancelledMessages+r.InboundMessages+r.Answers+r.Volunteers+r.Absences+
		r.ExternalIDs+r.DrawSnapshots+r.ProviderMessages+r.CallNotes > 0
}

// Add adds o's counts to r's.
func (r *PurgeResult) Add(o PurgeResult) {
	r.Recipients += o.Recipients
	r.OutboundBodies += o.OutboundBodies
	r.CancelledMessages += o.CancelledMessages
	r.InboundMessages += o.InboundMessages
	r.Answers += o.Answers
	r.Volunteers += o.Volunteers
	r.Absences += o.Absences
	r.ExternalIDs += o.ExternalIDs
	r.DrawSnapshots += o.DrawSnapshots
	r.ProviderMessages += o.ProviderMessages
	r.CallNotes += o.CallNotes
}

// PurgeService deletes personal data: phone numbers, register attributes,
// message texts (outgoing and incoming), dialogue answers, household keys,
// absence reasons, imported ids as uploaded, frozen pools and the
// provider's message ids (the messages themselves are queued for deletion
// at the provider, see ProviderDeletionQueue). It keeps pseudonyms,
// category values, panel members, draw records and the audit log, so draws
// and the audit chain still verify. Each purge is one transaction with one audit event
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
	// PurgePhone purges the person with phone number p in every campaign,
	// and every SMS received from p, also from no campaign (a GDPR request
	// that arrives with a number). ENOTFOUND when no recipient and no
	// message holds p.
	PurgePhone(ctx context.Context, p Phone) (PurgeResult, error)
	// PurgeUnknownInbound deletes the SMS received before receivedBefore
	// from numbers in no campaign (queuing their copies at the provider for
	// deletion) and returns how many it deleted.
	PurgeUnknownInbound(ctx context.Context, receivedBefore time.Time) (int, error)
}

// ProviderDeletion is a message whose copy at the SMS provider a purge
// asked to delete, and how often that was tried.
type ProviderDeletion struct {
	ID         int64
	ProviderID string // e.g. Twilio's message SID
	Attempts   int    // failed attempts so far
}

// ProviderDeletionQueue holds the provider copies of purged messages
// until the provider has deleted them. Nothing leaves it but by
// ProviderDeletionDone: a failure is recorded and tried again.
type ProviderDeletionQueue interface {
	// ClaimProviderDeletions returns up to limit deletions that are due,
	// oldest first, and holds them back from other claims until lease
	// has passed.
	ClaimProviderDeletions(ctx context.Context, limit int, lease time.Duration) ([]ProviderDeletion, error)
	// ProviderDeletionDone forgets a deletion (and with it the provider
	// id) once the provider deleted the message or never had it.
	ProviderDeletionDone(ctx context.Context, id int64) error
	// ProviderDeletionFailed records a failed attempt with its reason
	// and when to try again.
	ProviderDeletionFailed(ctx context.Context, id int64, reason string, next time.Time) error
}
