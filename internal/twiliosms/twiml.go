package twiliosms

import (
	"fmt"

	"github.com/twilio/twilio-go/twiml"
)

// ContentType is the media type of TwiML answers to Twilio's webhooks.
const ContentType = "application/xml; charset=utf-8"

// MessagingResponse renders the TwiML answer to an inbound SMS: one
// <Message> reply per element of messages, or an empty <Response/> (no
// reply) when there are none.
func MessagingResponse(messages ...string) (string, error) {
	verbs := make([]twiml.Element, 0, len(messages))
	for _, m := range messages {
		verbs = append(verbs, twiml.MessagingMessage{Body: m})
	}
	out, err := twiml.Messages(verbs)
	if err != nil {
		return "", fmt.Errorf("render twiml: %w", err)
	}
	return out, nil
}
