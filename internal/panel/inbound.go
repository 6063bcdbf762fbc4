package panel

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Inbound message states.
const (
	InboundReceived = "received" // stored, not yet handled (only inside the handling transaction)
	InboundHandled  = "handled"  // understood and acted on
	InboundIgnored  = "ignored"  // nothing to do: unknown number, or a recipient who opted out
	InboundFailed   = "failed"   // could not be handled
)

// Inbox states of an inbound message that needs a person to read it.
const (
	InboxOpen     = "open"     // waiting for an organiser
	InboxResolved = "resolved" // an organiser dealt with it
)

// Limits on inbound SMS fields. Longer bodies are cut (Twilio's own limit
// is 1600 characters); longer ids and numbers are refused.
const (
	MaxInboundBody       = 1600 // characters
	MaxProviderIDLength  = 64
	MaxInboundPhoneBytes = 64
)

// InboundSMS is one SMS a person sent to the service, as the SMS provider
// reported it (Twilio's MessageSid, From, To, Body and OptOutType fields).
type InboundSMS struct {
	ProviderID string // the provider's message id; the same id twice is one message
	From       Phone  // the sender; not necessarily E.164 (short codes, alphanumeric ids)
	To         Phone  // our number that received it
	Body       string
	OptOutType string    // Twilio's Advanced Opt-Out result ("STOP", "START", "HELP"); "" when absent
	ReceivedAt time.Time // zero means now
}

// Normalize returns in with a body that is valid UTF-8, has no NUL bytes
// and is at most MaxInboundBody characters, and with spaces trimmed from
// the id and numbers. It returns EINVALID naming the field when the id or
// the sender is missing or too long.
func (in InboundSMS) Normalize() (InboundSMS, error) {
	in.ProviderID = strings.TrimSpace(in.ProviderID)
	in.From = Phone(strings.TrimSpace(string(in.From)))
	in.To = Phone(strings.TrimSpace(string(in.To)))
	switch {
	case in.ProviderID == "":
		return in, Errorf(EINVALID, "MessageSid is required")
	case len(in.ProviderID) > MaxProviderIDLength || !printableASCII(in.ProviderID):
		return in, Errorf(EINVALID, "MessageSid must be at most %d printable ASCII characters", MaxProviderIDLength)
	case in.From == "":
		return in, Errorf(EINVALID, "From is required")
	case len(in.From) > MaxInboundPhoneBytes || !utf8.ValidString(string(in.From)) || strings.ContainsRune(string(in.From), 0):
		return in, Errorf(EINVALID, "From must be a phone number of at most %d characters", MaxInboundPhoneBytes)
	case len(in.To) > MaxInboundPhoneBytes || !utf8.ValidString(string(in.To)) || strings.ContainsRune(string(in.To), 0):
		return in, Errorf(EINVALID, "To must be a phone number of at most %d characters", MaxInboundPhoneBytes)
	}
	in.Body = CleanText(in.Body, MaxInboundBody)
	in.OptOutType = CleanText(in.OptOutType, 32)
	return in, nil
}

// CleanText returns s as valid UTF-8 without NUL bytes (which PostgreSQL
// cannot store), cut to at most limit characters.
func CleanText(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit {
			return s[:i]
		}
		n++
	}
	return s
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// InboundMessage is a stored inbound SMS. From and Body are personal data:
// they are not part of the JSON form and never logged.
type InboundMessage struct {
	ID                int64      `json:"id"`
	ProviderID        string     `json:"provider_id"`
	From              Phone      `json:"-"`
	To                Phone      `json:"-"`
	Body              string     `json:"body"`
	CampaignID        int64      `json:"campaign_id,omitempty"`  // 0 when the sender is no recipient
	RecipientID       int64      `json:"recipient_id,omitempty"` // 0 when the sender is no recipient
	RecipientPseudoID string     `json:"recipient_pseudo_id,omitempty"`
	State             string     `json:"state"`
	Reply             string     `json:"reply"` // what the service answered; "" for no answer
	Inbox             string     `json:"inbox,omitempty"`
	Resolution        string     `json:"resolution,omitempty"`
	ReceivedAt        time.Time  `json:"received_at"`
	HandledAt         *time.Time `json:"handled_at,omitempty"`
	ResolvedAt        *time.Time `json:"resolved_at,omitempty"`
}

// InboxFilter narrows InboundStore.ListInbox. Limit defaults to 100 and is
// capped at 1000.
type InboxFilter struct {
	State  string // InboxOpen, InboxResolved, or "" for both
	Offset int
	Limit  int
}

// DialogueSnapshot is what the dialogue knows when a new message arrives:
// everything is read inside the transaction that will apply the outcome,
// with the sender's recipient rows locked.
type DialogueSnapshot struct {
	Message       *InboundMessage // the new message, ID set (it may be written only with the outcome)
	Recipient     *Recipient      // the sender's recipient row; nil for an unknown number
	CampaignState string          // the recipient's campaign state; "" when Recipient is nil
	Reprompts     int             // re-prompts the recipient got before answering yes or no
	Volunteer     *Volunteer      // nil until the recipient said yes
	Dialogue      DialogueConfig  // the campaign's dialogue (the default when none is set)
	Member        *MemberRef      // the sender as a member of a seeded draw; nil when none
}

// DialogueOutcome is what the dialogue decided for one message. The store
// applies all of it, or nothing, with the message.
type DialogueOutcome struct {
	Reply          string // the answer to send back; "" for none
	MessageState   string // InboundHandled or InboundIgnored
	ToInbox        bool   // the message waits for an organiser
	OptOut         bool   // every recipient with the sender's number opts out; their queued messages are cancelled
	RecipientState string // the recipient's new state; "" keeps it
	Reprompts      int    // the recipient's re-prompt count to store
	Volunteer      *Volunteer
	Answers        []Answer // answers to store (replacing earlier answers to the same question)
	// MemberState is the draw member's new state ("" keeps it); the store
	// changes it only from the state the snapshot saw.
	MemberState string
}

// DecideFunc decides what a message means for the dialogue. It must not
// block on anything but the CPU: it runs inside a database transaction.
// It may be called more than once for one message (the store may roll back
// and retry); only the outcome of the last call is applied.
type DecideFunc func(*DialogueSnapshot) (*DialogueOutcome, error)

// InboundResult is what InboundStore.ProcessInbound did.
type InboundResult struct {
	Message   *InboundMessage
	Duplicate bool   // the provider id was seen before: nothing changed
	Reply     string // the reply: for a duplicate, the one given the first time
}

// InboundStore stores inbound SMS and the dialogue state they change.
type InboundStore interface {
	// ProcessInbound stores in and, in the same transaction, reads the
	// sender's state, calls decide and applies its outcome, so a message
	// counts exactly once even when the provider delivers it several times
	// at once: a provider id seen before returns Duplicate with the reply
	// stored the first time and changes nothing. The sender is the
	// recipient with that number who was invited (or whose campaign is
	// sending), preferring campaigns not closed, then the newest. EINVALID for
	// a message without id or sender; errors from decide roll back and are
	// returned as they are.
	ProcessInbound(ctx context.Context, in InboundSMS, decide DecideFunc) (*InboundResult, error)
	// ListInbox lists the campaign's messages that wait for (or were
	// resolved by) an organiser, oldest first, and how many match in all.
	// EINVALID for a bad filter.
	ListInbox(ctx context.Context, campaignID int64, f InboxFilter) ([]*InboundMessage, int, error)
	// ResolveInbox marks an inbox message of the campaign resolved with a
	// note. ENOTFOUND when the campaign has no such inbox message,
	// ECONFLICT when it is resolved already.
	ResolveInbox(ctx context.Context, campaignID, messageID int64, resolution string) (*InboundMessage, error)
	// FindInboundByProviderID returns a stored message, or ENOTFOUND.
	FindInboundByProviderID(ctx context.Context, providerID string) (*InboundMessage, error)
	// CancelQueuedForRecipient cancels the recipient's outbound messages
	// that are still queued and returns how many it cancelled. Messages a
	// sender has claimed already are left to the outbox, which cancels
	// them at claim time when the recipient opted out.
	CancelQueuedForRecipient(ctx context.Context, recipientID int64) (int, error)
}
