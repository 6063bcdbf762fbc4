package panel

import (
	"context"
	"io"
	"time"
)

// Campaign actions that change its state.
const (
	ActionSend   = "send"   // start (or continue) sending invitations
	ActionPause  = "pause"  // hold the campaign's queued messages
	ActionResume = "resume" // release them again
)

// CampaignTransition returns the state a campaign in state from moves to
// by action, or ECONFLICT saying why the action is impossible now:
//
//	send:   draft, sending -> sending   (a paused campaign is resumed instead)
//	pause:  sending        -> paused
//	resume: paused         -> sending
//
// A closed campaign takes none of them. An unknown action is EINVALID.
func CampaignTransition(from, action string) (string, error) {
	switch action {
	case ActionSend:
		switch from {
		case CampaignDraft, CampaignSending:
			return CampaignSending, nil
		case CampaignPaused:
			return "", Errorf(ECONFLICT, "campaign is paused; resume it to continue sending")
		}
	case ActionPause:
		switch from {
		case CampaignSending:
			return CampaignPaused, nil
		case CampaignPaused:
			return "", Errorf(ECONFLICT, "campaign is paused already")
		case CampaignDraft:
			return "", Errorf(ECONFLICT, "campaign is a draft and sends nothing; there is nothing to pause")
		}
	case ActionResume:
		switch from {
		case CampaignPaused:
			return CampaignSending, nil
		case CampaignSending:
			return "", Errorf(ECONFLICT, "campaign is sending already; only a paused campaign can be resumed")
		case CampaignDraft:
			return "", Errorf(ECONFLICT, "campaign is a draft; start it with send")
		}
	default:
		return "", Errorf(EINVALID, "unknown campaign action %q", action)
	}
	return "", Errorf(ECONFLICT, "campaign is %s; it cannot %s", from, action)
}

// ImportsAllowed reports whether recipients may be imported into a
// campaign in state: while it is a draft, sending or paused.
func ImportsAllowed(state string) bool {
	return state == CampaignDraft || state == CampaignSending || state == CampaignPaused
}

// ImportResult is the outcome of a recipient import: how many rows were
// stored and which were rejected (with ?partial=true only; otherwise a
// rejected row fails the whole import with an *ImportError).
type ImportResult struct {
	Imported int        `json:"imported"`
	Rejected []RowError `json:"rejected"`
	// RejectedUnlisted is how many more rows were rejected than Rejected
	// lists (at most MaxListedRejections); absent when none.
	RejectedUnlisted int `json:"rejected_unlisted,omitempty"`
	// Columns says what each column of the file became.
	Columns []ColumnAssignment `json:"columns"`
}

// SendResult is the outcome of starting to send a campaign's invitations.
type SendResult struct {
	CampaignID int64  `json:"campaign_id"`
	State      string `json:"state"`
	// Enqueued is how many invitations this call added to the outbox:
	// recipients imported since the last send. Zero when every recipient
	// has one already.
	Enqueued int `json:"enqueued"`
}

// CampaignStats is a campaign's progress. The message fields count the
// campaign's invitations, one per invited recipient, each in exactly one
// of queued, sent, delivered, failed and cancelled; the recipient fields
// count recipients by their state.
type CampaignStats struct {
	CampaignID int64  `json:"campaign_id"`
	State      string `json:"state"`
	// Recipients is how many recipients were imported.
	Recipients int `json:"recipients"`
	// Invitations is how many invitations are in the outbox in all.
	Invitations int `json:"invitations"`
	// Queued invitations wait to be sent or are being sent right now.
	Queued int `json:"queued"`
	// Sent invitations were accepted by the SMS provider, which has not
	// reported their delivery (or failure) yet.
	Sent int `json:"sent"`
	// Delivered invitations reached the phone.
	Delivered int `json:"delivered"`
	// Failed invitations were refused by the provider for good, ran out
	// of attempts, or were reported undelivered or failed.
	Failed int `json:"failed"`
	// Cancelled invitations were withdrawn unsent (the recipient opted out).
	Cancelled int `json:"cancelled"`
	// Volunteers answered yes (complete or still in the dialogue).
	Volunteers int `json:"volunteers"`
	// Declined answered no.
	Declined int `json:"declined"`
	// OptedOut sent STOP or are unsubscribed at the provider.
	OptedOut int `json:"opted_out"`
	// Unreachable numbers were refused by the provider (invalid, not a mobile).
	Unreachable int `json:"unreachable"`
	// Pool is the complete volunteers per category value against the quotas.
	Pool Composition `json:"pool"`
	// Messages counts every outbound SMS of the campaign (invitations,
	// dialogue, notifications, reminders, notices) per outbox state.
	Messages SendStats `json:"messages"`
}

// InvitationService runs a campaign's invitations: the recipient import,
// sending, pausing and progress. Every call that changes state writes its
// audit event in the same transaction, under the actor carried by ctx.
type InvitationService interface {
	// ImportRecipientsCSV reads a CSV of recipients (a phone column and
	// register columns, named as opts.Columns says or by the names
	// organisers use) and stores them. Without opts.Partial it is all or
	// nothing: any rejected row makes an *ImportError and nothing is
	// stored. With it the good rows are stored and the bad ones listed.
	// A header that is wrong is EINVALID naming the column; ENOTFOUND for
	// an unknown campaign; ECONFLICT when the campaign is closed.
	ImportRecipientsCSV(ctx context.Context, campaignID int64, csv io.Reader, opts ImportOptions) (ImportResult, error)
	// Send enqueues one invitation for every recipient who has none yet
	// and sets the campaign sending. Calling it again is harmless and
	// picks up recipients imported since. ENOTFOUND, or ECONFLICT for a
	// paused or closed campaign.
	Send(ctx context.Context, campaignID int64) (SendResult, error)
	// Pause holds the campaign's queued messages; Resume releases them.
	// ECONFLICT naming the state when the transition is impossible.
	Pause(ctx context.Context, campaignID int64) (*Campaign, error)
	// Resume: see Pause.
	Resume(ctx context.Context, campaignID int64) (*Campaign, error)
	// Stats returns the campaign's progress, or ENOTFOUND.
	Stats(ctx context.Context, campaignID int64) (CampaignStats, error)
	// CheckTexts checks a new campaign's invitation text and templates:
	// placeholders known, and each fits the configured number of SMS
	// segments when rendered with long values. EINVALID naming the field,
	// the encoding and, for UCS-2, the character that forces it.
	CheckTexts(c *Campaign) error
	// CampaignWarnings lists what in c is allowed but most likely a
	// mistake (an invitation that does not say what to answer, a reply_by
	// date before the date of now), as sentences for the organiser; now
	// is in PANEL_TIMEZONE. nil when there is nothing to say.
	CampaignWarnings(c *Campaign, now time.Time) []string
}
