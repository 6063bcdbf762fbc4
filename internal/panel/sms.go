package panel

import (
	"context"
	"fmt"
	"time"
)

// OutboundSMS is one text message to hand to an SMS provider.
type OutboundSMS struct {
	To             Phone
	Body           string
	StatusCallback string // absolute URL for delivery status callbacks; "" for none
}

// SMSReceipt is what a provider answers when it accepts a message.
type SMSReceipt struct {
	ProviderID string // e.g. Twilio's "SM..." message SID
	Status     string // provider status at acceptance, e.g. "queued"
}

// ProviderMessage is a message as the provider knows it, used to reconcile
// messages whose outcome is in doubt after a crash and to fetch delivery
// statuses whose callbacks were lost.
type ProviderMessage struct {
	ProviderID string
	To         Phone
	Body       string
	Status     string
	ErrorCode  int
	CreatedAt  time.Time
}

// SendError is a provider's refusal of a message. Retryable errors (rate
// limits, server errors, time-outs) may be tried again after RetryAfter (zero
// means "use your own backoff"); the others are permanent for that recipient
// (e.g. Twilio 21211 invalid number, 21610 unsubscribed, 21614 not a mobile).
type SendError struct {
	HTTPStatus int           // 0 when no HTTP answer arrived (network error, time-out)
	Code       int           // provider error code, 0 when unknown
	Message    string        // provider's message; never contains the phone number
	Retryable  bool          // true for 429, 5xx, network errors and time-outs
	RetryAfter time.Duration // provider's hint, zero when none
}

// Error implements the error interface.
func (e *SendError) Error() string {
	return fmt.Sprintf("sms provider: http %d code %d retryable=%t: %s", e.HTTPStatus, e.Code, e.Retryable, e.Message)
}

// SMSGateway sends SMS through a provider. Implementations: Twilio and a
// simulated in-process gateway.
type SMSGateway interface {
	// Send hands one message to the provider and returns its receipt. A
	// refusal is a *SendError (possibly wrapped). Send honours ctx's deadline.
	Send(ctx context.Context, m OutboundSMS) (SMSReceipt, error)
	// FindSent lists messages the provider accepted for the number to since
	// the given time, newest first, so a sender that crashed between the
	// provider's acceptance and storing the receipt can tell whether a
	// message went out before sending it again.
	FindSent(ctx context.Context, to Phone, since time.Time) ([]ProviderMessage, error)
	// Status fetches the message the provider holds under providerID, with
	// its current status and error code, so that a delivery status whose
	// callback was lost (the service was down when the provider posted it)
	// can still be applied. A message the provider does not know is an
	// error with code ENOTFOUND; an id that cannot be a provider id is
	// EINVALID; other failures are a *SendError (possibly wrapped), whose
	// Retryable says whether asking again later may help. Status honours
	// ctx's deadline.
	Status(ctx context.Context, providerID string) (ProviderMessage, error)
	// DeleteMessage asks the provider to delete the message it holds
	// under providerID, with its body and number, after a purge. A message
	// the provider does not know (deleted already) is an error with code
	// ENOTFOUND; an id that cannot be a provider id is EINVALID; other
	// failures are a *SendError (possibly wrapped). DeleteMessage honours
	// ctx's deadline.
	DeleteMessage(ctx context.Context, providerID string) error
}
