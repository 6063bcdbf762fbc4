// Package twiliosms is the Twilio adapter of the panel service: a
// panel.SMSGateway that sends SMS through Twilio's Messages API with the
// official twilio-go client, a Validator for the X-Twilio-Signature header of
// Twilio's webhooks, and TwiML rendering for replies to inbound SMS.
//
// It is the only package in the project that imports twilio-go, and it
// imports only its client, rest/api/v2010 and twiml packages.
//
// twilio-go has no context support and a fixed REST host. The Gateway gives
// every call its own http.Client whose transport attaches the caller's
// context to each request (so a deadline or cancellation aborts it) and, when
// Config.BaseURL is set, rewrites the scheme and host of each request so the
// client can talk to another server such as internal/faketwilio.
//
// Nothing here logs a phone number or a message body: only message SIDs,
// HTTP status codes and Twilio error codes.
package twiliosms
