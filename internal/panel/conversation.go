package panel

import (
	"context"
	"time"
)

// ConversationEntry is one SMS between the service and a recipient.
type ConversationEntry struct {
	At      time.Time
	Inbound bool   // written by the resident; false: sent by the service
	Kind    string // for outbound messages: invitation, dialogue, ..., or "reply" (the service's immediate answer)
	Body    string // "" once personal data has been purged
}

// ConversationReader reads the SMS exchanged with recipients.
type ConversationReader interface {
	// Conversations returns, per recipient id, the last perRecipient
	// messages in and out, oldest first. Recipients without messages are
	// absent. One query per 500 recipients.
	Conversations(ctx context.Context, recipientIDs []int64, perRecipient int) (map[int64][]ConversationEntry, error)
}
