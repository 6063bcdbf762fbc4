package faketwilio

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
)

// SendInbound posts an inbound SMS from from to to (the service's Twilio
// number) to webhookURL exactly as Twilio does: form-encoded with Twilio's
// fields (MessageSid, SmsSid, SmsMessageSid, AccountSid, From, To, Body,
// NumMedia "0", NumSegments, SmsStatus "received", ApiVersion) and signed
// with X-Twilio-Signature. extra adds or replaces fields (e.g. OptOutType
// "STOP"). It returns the webhook's status and body (at most 64 KiB).
func (s *Server) SendInbound(ctx context.Context, webhookURL, from, to, body string, extra url.Values) (status int, responseBody string, err error) {
	s.mu.Lock()
	sid := "SM" + hex32(s.rng)
	s.mu.Unlock()
	form := url.Values{
		"AccountSid":    {s.opts.AccountSID},
		"ApiVersion":    {"2010-04-01"},
		"Body":          {body},
		"From":          {from},
		"MessageSid":    {sid},
		"NumMedia":      {"0"},
		"NumSegments":   {itoa(segments(body))},
		"SmsMessageSid": {sid},
		"SmsSid":        {sid},
		"SmsStatus":     {"received"},
		"To":            {to},
	}
	for k, vs := range extra {
		form[k] = append([]string(nil), vs...)
	}
	status, responseBody, err = s.postSignedBody(ctx, webhookURL, form)
	if err != nil {
		return status, responseBody, fmt.Errorf("faketwilio: post inbound sms %s: %w", sid, err)
	}
	s.opts.Logger.Debug("fake twilio posted an inbound sms", slog.String("message_sid", form.Get("MessageSid")), slog.Int("http_status", status))
	return status, responseBody, nil
}
