package twiliosms

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/citizenspanel/panel/internal/panel"
)

// twilioAPI is the REST host twilio-go sends to; next-page URIs are relative to it.
const twilioAPI = "https://api.twilio.com"

// findPageSize is the page size FindSent asks for; findMaxPages bounds its paging.
const (
	findPageSize = 100
	findMaxPages = 50
)

// Gateway sends SMS through Twilio. It is safe for concurrent use.
type Gateway struct {
	accountSID string
	authToken  panel.Secret
	from       string
	service    string
	target     *url.URL
	timeout    time.Duration
	transport  http.RoundTripper
	logger     *slog.Logger
}

var _ panel.SMSGateway = (*Gateway)(nil)

// New validates cfg and returns a Gateway. An invalid cfg is a *panel.Error
// with code EINVALID naming the field.
func New(cfg Config) (*Gateway, error) {
	cfg = cfg.WithDefaults()
	target, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	return &Gateway{
		accountSID: cfg.AccountSID,
		authToken:  cfg.AuthToken,
		from:       strings.TrimSpace(cfg.From),
		service:    strings.TrimSpace(cfg.MessagingServiceSID),
		target:     target,
		timeout:    cfg.Timeout,
		transport:  newTransport(),
		logger:     cfg.Logger,
	}, nil
}

// newTransport returns the connection pool shared by all calls of a Gateway.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// CloseIdleConnections closes the pooled connections not in use, e.g. before
// the server they lead to goes away. The Gateway stays usable.
func (g *Gateway) CloseIdleConnections() {
	if t, ok := g.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// call returns a twilio-go API service whose requests carry ctx, and the
// transport that records their answers.
func (g *Gateway) call(ctx context.Context) (*openapi.ApiService, *callTransport) {
	tr := &callTransport{base: g.transport, ctx: ctx, target: g.target, timeout: g.timeout}
	c := &client.Client{
		Credentials: client.NewCredentials(g.accountSID, g.authToken.Reveal()),
		HTTPClient: &http.Client{
			Transport: tr,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
	c.SetAccountSid(g.accountSID)
	return openapi.NewApiServiceWithClient(c), tr
}

// Send creates one message at Twilio. A refusal or a failure to get an
// answer is a *panel.SendError (wrapped; when ctx ended, the error also wraps
// ctx.Err()). A message without a recipient or body is a *panel.Error EINVALID.
//
// Twilio has no idempotency key: a retryable error without an answer
// (HTTPStatus 0) or with a 5xx may hide a message Twilio did create. Check
// FindSent before sending such a message again.
func (g *Gateway) Send(ctx context.Context, m panel.OutboundSMS) (panel.SMSReceipt, error) {
	if m.To == "" || m.Body == "" {
		return panel.SMSReceipt{}, panel.Errorf(panel.EINVALID, "an SMS needs a recipient and a body")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	api, tr := g.call(ctx)

	params := &openapi.CreateMessageParams{}
	params.SetTo(string(m.To)).SetBody(m.Body)
	if g.service != "" {
		params.SetMessagingServiceSid(g.service)
	} else {
		params.SetFrom(g.from)
	}
	if m.StatusCallback != "" {
		params.SetStatusCallback(m.StatusCallback)
	}

	msg, err := api.CreateMessage(params)
	if err == nil && (msg == nil || msg.Sid == nil || *msg.Sid == "") {
		err = fmt.Errorf("answer without a message sid")
	}
	if err != nil {
		status, header := tr.last()
		se := classify(ctx, err, status, header)
		g.logger.LogAttrs(ctx, slog.LevelWarn, "twilio refused or failed a message",
			slog.Int("http_status", se.HTTPStatus), slog.Int("error_code", se.Code),
			slog.Bool("retryable", se.Retryable), slog.Duration("retry_after", se.RetryAfter))
		return panel.SMSReceipt{}, wrapSendError("twilio: send message", se, ctx)
	}
	receipt := panel.SMSReceipt{ProviderID: *msg.Sid, Status: deref(msg.Status)}
	g.logger.LogAttrs(ctx, slog.LevelDebug, "twilio accepted a message",
		slog.String("message_sid", receipt.ProviderID), slog.String("status", receipt.Status))
	return receipt, nil
}

// FindSent lists the messages Twilio holds for the number to that were
// created at or after since, newest first, whatever their status. It filters
// on To at Twilio and on the creation time here: Twilio's DateSent filter is
// by day and skips messages not sent yet (still queued, no date_sent), which
// are exactly the ones a crashed sender is in doubt about. Paging stops at the
// first message older than since (Twilio lists newest first). Failures are a
// wrapped *panel.SendError.
func (g *Gateway) FindSent(ctx context.Context, to panel.Phone, since time.Time) ([]panel.ProviderMessage, error) {
	if to == "" {
		return nil, panel.Errorf(panel.EINVALID, "finding sent messages needs a phone number")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	api, tr := g.call(ctx)

	params := &openapi.ListMessageParams{}
	params.SetTo(string(to)).SetPageSize(findPageSize)
	page, err := api.PageMessage(params, "", "")
	var found []panel.ProviderMessage
	for pages := 1; err == nil; pages++ {
		older := false
		for _, m := range page.Messages {
			pm, perr := providerMessage(m)
			if perr != nil {
				return nil, fmt.Errorf("twilio: find sent messages: %w", perr)
			}
			if pm.CreatedAt.Before(since) {
				older = true
				continue
			}
			found = append(found, pm)
		}
		if older || page.NextPageUri == nil || *page.NextPageUri == "" {
			break
		}
		if pages >= findMaxPages {
			// Stopping here could miss a message and cause a second send.
			return nil, fmt.Errorf("twilio: find sent messages: more than %d pages of messages for one number", findMaxPages)
		}
		page, err = nextPage(api, *page.NextPageUri)
	}
	if err != nil {
		status, header := tr.last()
		se := classify(ctx, err, status, header)
		g.logger.LogAttrs(ctx, slog.LevelWarn, "twilio message list failed",
			slog.Int("http_status", se.HTTPStatus), slog.Int("error_code", se.Code))
		return nil, wrapSendError("twilio: find sent messages", se, ctx)
	}
	slices.SortStableFunc(found, func(a, b panel.ProviderMessage) int { return b.CreatedAt.Compare(a.CreatedAt) })
	g.logger.LogAttrs(ctx, slog.LevelDebug, "twilio message list", slog.Int("found", len(found)))
	return found, nil
}

// Status fetches the message Twilio holds under providerID (a message SID,
// letters and digits only; anything else is a *panel.Error EINVALID). A 404
// (Twilio code 20404: no such message, e.g. it was deleted) is a *panel.Error
// ENOTFOUND that also wraps the *panel.SendError; other failures are a
// wrapped *panel.SendError classified as Send's are (429, 5xx, time-outs and
// network errors retryable; when ctx ended the error also wraps ctx.Err()).
func (g *Gateway) Status(ctx context.Context, providerID string) (panel.ProviderMessage, error) {
	if providerID == "" || !alphanumeric(providerID) {
		return panel.ProviderMessage{}, panel.Errorf(panel.EINVALID, "a message status needs a provider id of letters and digits")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	api, tr := g.call(ctx)

	msg, err := api.FetchMessage(providerID, &openapi.FetchMessageParams{})
	if err == nil && (msg == nil || deref(msg.Sid) != providerID) {
		err = fmt.Errorf("answer for another message or without a sid")
	}
	var pm panel.ProviderMessage
	if err == nil {
		pm, err = providerMessage(*msg)
		if err != nil {
			return panel.ProviderMessage{}, fmt.Errorf("twilio: fetch message: %w", err)
		}
	}
	if err != nil {
		status, header := tr.last()
		se := classify(ctx, err, status, header)
		g.logger.LogAttrs(ctx, slog.LevelWarn, "twilio message fetch failed", slog.String("message_sid", providerID),
			slog.Int("http_status", se.HTTPStatus), slog.Int("error_code", se.Code), slog.Bool("retryable", se.Retryable))
		if se.HTTPStatus == http.StatusNotFound {
			return panel.ProviderMessage{}, &notFound{op: "fetch", sid: providerID, se: se}
		}
		return panel.ProviderMessage{}, wrapSendError("twilio: fetch message", se, ctx)
	}
	g.logger.LogAttrs(ctx, slog.LevelDebug, "twilio message fetched",
		slog.String("message_sid", pm.ProviderID), slog.String("status", pm.Status), slog.Int("error_code", pm.ErrorCode))
	return pm, nil
}

// DeleteMessage deletes the message Twilio holds under providerID, with
// its body and numbers (DELETE .../Messages/{Sid}.json, answered 204). A
// 404 (no such message, e.g. deleted already) is a *panel.Error ENOTFOUND
// that also wraps the *panel.SendError; an id that is not letters and
// digits is EINVALID; other failures are a wrapped *panel.SendError
// classified as Send's are.
func (g *Gateway) DeleteMessage(ctx context.Context, providerID string) error {
	if providerID == "" || !alphanumeric(providerID) {
		return panel.Errorf(panel.EINVALID, "deleting a message needs a provider id of letters and digits")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	api, tr := g.call(ctx)
	err := api.DeleteMessage(providerID, &openapi.DeleteMessageParams{})
	if err == nil {
		g.logger.LogAttrs(ctx, slog.LevelDebug, "twilio message deleted", slog.String("message_sid", providerID))
		return nil
	}
	status, header := tr.last()
	se := classify(ctx, err, status, header)
	if se.HTTPStatus == http.StatusNotFound {
		return &notFound{op: "delete", sid: providerID, se: se}
	}
	g.logger.LogAttrs(ctx, slog.LevelWarn, "twilio message delete failed", slog.String("message_sid", providerID),
		slog.Int("http_status", se.HTTPStatus), slog.Int("error_code", se.Code), slog.Bool("retryable", se.Retryable))
	return wrapSendError("twilio: delete message", se, ctx)
}

// notFound is Twilio's 404 for a message: it unwraps to a *panel.Error
// ENOTFOUND and to the *panel.SendError of the answer.
type notFound struct {
	op  string // "fetch" or "delete"
	sid string
	se  *panel.SendError
}

// Error implements the error interface.
func (e *notFound) Error() string {
	return "twilio: " + e.op + " message " + e.sid + ": not found: " + e.se.Error()
}

// Unwrap returns the ENOTFOUND error and the provider's answer.
func (e *notFound) Unwrap() []error {
	return []error{panel.Errorf(panel.ENOTFOUND, "twilio has no message %s", e.sid), e.se}
}

// nextPage fetches the page at a next_page_uri.
func nextPage(api *openapi.ApiService, uri string) (*openapi.ListMessageResponse, error) {
	resp, err := api.RequestHandler().Get(twilioAPI+"/"+strings.TrimLeft(uri, "/"), nil, nil, "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	page := &openapi.ListMessageResponse{}
	if err := json.NewDecoder(resp.Body).Decode(page); err != nil {
		return nil, fmt.Errorf("decode message page: %w", err)
	}
	return page, nil
}

// providerMessage converts a Twilio message resource.
func providerMessage(m openapi.ApiV2010Message) (panel.ProviderMessage, error) {
	created, err := parseTwilioTime(deref(m.DateCreated))
	if err != nil {
		return panel.ProviderMessage{}, fmt.Errorf("message %s: date_created: %w", deref(m.Sid), err)
	}
	pm := panel.ProviderMessage{
		ProviderID: deref(m.Sid),
		To:         panel.Phone(deref(m.To)),
		Body:       deref(m.Body),
		Status:     deref(m.Status),
		CreatedAt:  created,
	}
	if m.ErrorCode != nil {
		pm.ErrorCode = *m.ErrorCode
	}
	return pm, nil
}

// parseTwilioTime parses Twilio's RFC 2822 timestamps ("Wed, 25 Nov 2026
// 21:43:21 +0000").
func parseTwilioTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// wrapSendError wraps se with context and, when ctx has ended, ctx.Err() too.
func wrapSendError(op string, se *panel.SendError, ctx context.Context) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s: %w: %w", op, se, ctxErr)
	}
	return fmt.Errorf("%s: %w", op, se)
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
