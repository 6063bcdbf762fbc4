package panel

import (
	"context"
	"time"
)

// Outbound message states. A message moves forward only:
// queued < sending < sent < delivered, and undelivered, failed and
// cancelled are final (so is delivered).
const (
	MessageQueued      = "queued"      // waiting in the outbox until NextAttemptAt
	MessageSending     = "sending"     // claimed by a sender (LeaseOwner) until LeaseUntil
	MessageSent        = "sent"        // accepted by the provider; ProviderID is set
	MessageDelivered   = "delivered"   // the provider reports delivery
	MessageUndelivered = "undelivered" // the provider reports it could not deliver
	MessageFailed      = "failed"      // refused permanently, or out of attempts
	MessageCancelled   = "cancelled"   // withdrawn before sending (e.g. the recipient opted out)
)

// Message kinds.
const (
	KindInvitation   = "invitation"
	KindDialogue     = "dialogue"
	KindNotification = "notification"
	KindReminder     = "reminder"
	KindNotice       = "notice"
	KindConfirmation = "confirmation"
)

// OutboundMessage is one SMS in the durable outbox. DedupKey makes it
// unique: enqueueing the same key twice stores one message.
type OutboundMessage struct {
	ID            int64
	CampaignID    int64
	RecipientID   int64
	Kind          string
	Body          string
	State         string
	DedupKey      string // e.g. "invitation/<campaign>/<recipient>"
	ProviderID    string // "" until the provider accepted it
	Attempts      int    // claims so far
	NextAttemptAt time.Time
	LeaseOwner    string
	LeaseUntil    time.Time
	LastErrorCode int
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        time.Time

	// Set by Claim only.
	To      Phone // the recipient's number
	InDoubt bool  // taken over from a sender whose lease expired: it may have been sent
}

// SentResult is a provider's acceptance of a claimed message.
type SentResult struct {
	ID         int64
	ProviderID string
	Status     string // the provider's status at acceptance, e.g. "queued"
}

// SendStats counts a campaign's outbound messages per state.
type SendStats struct {
	Queued      int `json:"queued"`
	Sending     int `json:"sending"`
	Sent        int `json:"sent"`
	Delivered   int `json:"delivered"`
	Undelivered int `json:"undelivered"`
	Failed      int `json:"failed"`
	Cancelled   int `json:"cancelled"`
}

// Twilio error codes that change a recipient's state.
const (
	ProviderCodeUnsubscribed = 21610 // the number sent STOP to the sender: opted out
)

// Outbox is the durable queue of outbound SMS. Several senders (also in
// several replicas) may work on it at once: each message is claimed by one
// sender at a time under a lease, and every call that finishes a claim
// checks the lease owner, so a sender whose lease was taken over changes
// nothing.
type Outbox interface {
	// Enqueue stores new messages in state queued (due at NextAttemptAt,
	// or now when zero) and returns how many were created. A message whose
	// DedupKey exists already, or whose recipient opted out, is skipped
	// without error. EINVALID for a message without campaign, recipient,
	// kind, body or dedup key.
	Enqueue(ctx context.Context, msgs []*OutboundMessage) (created int, err error)
	// Claim takes up to limit messages that are queued and due at now, or
	// sending with a lease that expired before now (those come back with
	// InDoubt set), oldest due first, and leases them to owner until
	// now+lease: state sending, Attempts+1. Two concurrent Claims never
	// return the same message. Messages of paused campaigns are left
	// alone; messages to opted-out recipients are cancelled, not returned.
	Claim(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]*OutboundMessage, error)
	// MarkSent records that the provider accepted the claimed message:
	// state sent, ProviderID stored, lease cleared, an invitation's
	// recipient becomes invited, and status callbacks that arrived before
	// the id was stored are applied. ECONFLICT when owner no longer holds
	// the claim or the provider id is stored for another message.
	MarkSent(ctx context.Context, id int64, owner, providerID, status string) error
	// MarkSentBatch is MarkSent for many messages in one transaction. It
	// returns the ids whose claim owner no longer held (nothing was
	// changed for those); other errors roll back the whole batch.
	MarkSentBatch(ctx context.Context, owner string, results []SentResult) (lost []int64, err error)
	// Retry puts a claimed message back in the queue, due at at, with the
	// failure's provider code (or HTTP status) and message.
	// ECONFLICT when owner no longer holds the claim.
	Retry(ctx context.Context, id int64, owner string, at time.Time, code int, msg string) error
	// Release gives a claim back without counting it as an attempt (e.g.
	// quiet hours began): queued again, due at at. ECONFLICT when owner
	// no longer holds the claim.
	Release(ctx context.Context, id int64, owner string, at time.Time) error
	// Fail ends a claimed message as failed (a permanent refusal or too
	// many attempts) and marks its recipient unreachable, or opted out
	// for ProviderCodeUnsubscribed. ECONFLICT when owner no longer holds
	// the claim.
	Fail(ctx context.Context, id int64, owner string, code int, msg string) error
	// ApplyStatus records a provider's delivery status for providerID
	// (kept even if no message has that id yet) and moves the message
	// forward only; an out-of-order, repeated or unknown status changes
	// nothing. Statuses are Twilio's (queued, sending, sent, delivered,
	// undelivered, failed, ...). EINVALID for an empty id or status.
	ApplyStatus(ctx context.Context, providerID, status string, errorCode int, at time.Time) error
	// FindOutboundMessage returns a message (To and InDoubt unset), or
	// ENOTFOUND.
	FindOutboundMessage(ctx context.Context, id int64) (*OutboundMessage, error)
	// CampaignSendStats counts the campaign's messages per state.
	CampaignSendStats(ctx context.Context, campaignID int64) (SendStats, error)
}
