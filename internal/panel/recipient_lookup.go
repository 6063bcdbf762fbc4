package panel

import (
	"context"
	"time"
)

// Directions of a RecipientMessage.
const (
	DirectionOut = "out" // sent by the service to the person
	DirectionIn  = "in"  // sent by the person to the service
)

// RecipientMessage is one SMS between the service and a recipient, either
// way, as organisers see it when someone calls about a message.
type RecipientMessage struct {
	ID        int64      `json:"id"`        // the outbound or inbound message's id (ids of the two directions overlap)
	Direction string     `json:"direction"` // DirectionOut or DirectionIn
	Kind      string     `json:"kind,omitempty"`
	Body      string     `json:"body"`  // "" once purged
	State     string     `json:"state"` // outbound: queued ... delivered, undelivered, failed, cancelled; inbound: received, handled, ignored, failed
	ErrorCode int        `json:"error_code,omitempty"`
	Error     string     `json:"error,omitempty"` // the provider's reason (outbound) or why handling failed (inbound)
	At        time.Time  `json:"at"`              // when it was queued (outbound) or received (inbound)
	SentAt    *time.Time `json:"sent_at,omitempty"`
	// InReplyTo is, for KindReply, the id of the inbound message it
	// answered.
	InReplyTo int64 `json:"in_reply_to,omitempty"`
}

// KindReply is the kind of a RecipientMessage that the service sent as
// its answer to an inbound message, in the webhook's TwiML (not through
// the outbox): its State is "sent".
const KindReply = "reply"

// RecipientDetail is one recipient with their number, where they stand and
// every message with them, oldest first. It carries a phone number: only
// organisers see it.
type RecipientDetail struct {
	ID           int64              `json:"id"`
	CampaignID   int64              `json:"campaign_id"`
	CampaignName string             `json:"campaign_name"`
	Phone        Phone              `json:"phone"` // "" once purged
	PseudoID     string             `json:"pseudo_id"`
	State        string             `json:"state"`
	Volunteer    string             `json:"volunteer,omitempty"` // the volunteer's dialogue state (asking, complete, withdrawn); "" when not a volunteer
	Attributes   map[string]string  `json:"attributes"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
	Messages     []RecipientMessage `json:"messages"`
}

// RecipientFilter narrows RecipientFinder.ListRecipients. Limit defaults to
// 100 and is capped at 1000.
type RecipientFilter struct {
	State  string
	Offset int
	Limit  int
}

// RecipientFinder finds people for organisers who get a call ("I got an
// SMS from you"). Every answer holds phone numbers and message texts: the
// HTTP layer serves it to organisers only.
type RecipientFinder interface {
	// FindRecipientsByPhone returns the recipients with number p, with
	// their messages, in campaign then id order; campaignID 0 means every
	// campaign. An empty list when there are none; ENOTFOUND for an
	// unknown campaign.
	FindRecipientsByPhone(ctx context.Context, campaignID int64, p Phone) ([]RecipientDetail, error)
	// UnmatchedInbound returns the SMS received from number p that belong
	// to no recipient (sent from a number no campaign invited, or kept
	// after its recipient was deleted), oldest first.
	UnmatchedInbound(ctx context.Context, p Phone) ([]RecipientMessage, error)
	// ListRecipients returns a page of a campaign's recipients in id
	// order, without messages, and how many match f. ENOTFOUND for an
	// unknown campaign.
	ListRecipients(ctx context.Context, campaignID int64, f RecipientFilter) ([]RecipientDetail, int, error)
	// RecipientDetail returns one recipient of the campaign with their
	// messages. ENOTFOUND when the campaign has no such recipient.
	RecipientDetail(ctx context.Context, campaignID, recipientID int64) (*RecipientDetail, error)
}
