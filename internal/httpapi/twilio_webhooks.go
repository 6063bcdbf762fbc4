package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// Webhook paths Twilio posts to. The public URL of the service followed by
// one of these is what Twilio signs.
const (
	InboundSMSPath     = "/webhooks/twilio/sms"
	StatusCallbackPath = "/webhooks/twilio/status"
)

// Limits on webhook requests. Twilio's largest inbound form (a 1600
// character body of 4-byte characters, percent-encoded, plus media fields)
// stays well below webhookBodyLimit.
const (
	webhookBodyLimit  int64 = 64 << 10
	webhookFieldLimit       = 200
	webhookTimeout          = 10 * time.Second // Twilio gives up after 15 s
)

// SignatureValidator checks the X-Twilio-Signature of a form POST to url
// (twiliosms.Validator).
type SignatureValidator interface {
	// Valid reports whether signature signs url and every field of form.
	Valid(url string, form url.Values, signature string) bool
}

// InboxService runs the SMS dialogue and reads the organisers' inbox and
// the volunteer pool (inbox.Service).
type InboxService interface {
	// Handle stores one inbound SMS once and returns the reply ("" for
	// none). EINVALID for a message without id or sender; any other error
	// means nothing was stored.
	Handle(ctx context.Context, in panel.InboundSMS) (string, error)
	// Inbox lists a campaign's inbox messages and how many match in all.
	Inbox(ctx context.Context, campaignID int64, f panel.InboxFilter) ([]*panel.InboundMessage, int, error)
	// Resolve marks an inbox message resolved; ENOTFOUND, ECONFLICT.
	Resolve(ctx context.Context, campaignID, messageID int64, resolution string) (*panel.InboundMessage, error)
	// Pool returns a campaign's complete volunteers.
	Pool(ctx context.Context, campaignID int64) ([]*panel.Volunteer, error)
}

// StatusRecorder applies delivery status callbacks (panel.Outbox).
type StatusRecorder interface {
	// ApplyStatus records a status and moves the message forward only.
	ApplyStatus(ctx context.Context, providerID, status string, errorCode int, at time.Time) error
}

// QuotaLister reads a campaign's quotas (panel.QuotaService).
type QuotaLister interface {
	// ListQuotas returns the campaign's quotas in the order they were set.
	ListQuotas(ctx context.Context, campaignID int64) ([]panel.Quota, error)
}

// Replies are the dependencies of the Twilio webhooks and of the inbox and
// pool routes. Every field is required.
type Replies struct {
	// Validator checks X-Twilio-Signature; one that rejects everything
	// (twiliosms.Validator's zero value) makes every webhook call a 403.
	Validator SignatureValidator
	// PublicURL is the service's external base URL without a trailing
	// "/" (PANEL_PUBLIC_URL): Twilio signs PublicURL + path + query, so
	// the Host header of the request never counts.
	PublicURL string
	// Account, when set, is the Twilio account (TWILIO_ACCOUNT_SID) whose
	// webhooks are accepted: a call whose AccountSid differs is 403 and
	// nothing is stored. "" accepts any account.
	Account  string
	Inbox    InboxService
	Statuses StatusRecorder
	Quotas   QuotaLister
}

// replies is Replies made ready to serve, with its metrics.
type replies struct {
	Replies
	statusCallbacks *prometheus.CounterVec
	inbound         *prometheus.CounterVec
	// badSignatureLogged holds the URLs (public URL and path) a failed
	// signature check has been logged for: each is logged once.
	badSignatureLogged sync.Map
}

// twilioStatuses are the MessageStatus values Twilio documents; others are
// counted as "other" so a caller cannot grow the metric without bound.
var twilioStatuses = map[string]bool{
	"accepted": true, "scheduled": true, "canceled": true, "queued": true, "sending": true, "sent": true,
	"failed": true, "delivered": true, "undelivered": true, "receiving": true, "received": true,
	"read": true, "partially_delivered": true,
}

// setReplies checks r and registers its metrics on reg.
func (s *Server) setReplies(r *Replies, reg prometheus.Registerer) error {
	if r.Validator == nil || r.Inbox == nil || r.Statuses == nil || r.Quotas == nil {
		return errors.New("httpapi: Replies needs Validator, Inbox, Statuses and Quotas")
	}
	u, err := url.Parse(r.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.HasSuffix(r.PublicURL, "/") {
		return fmt.Errorf("httpapi: Replies.PublicURL must be an absolute http(s) URL without a trailing slash, got %q", r.PublicURL)
	}
	rs := &replies{
		Replies: *r,
		statusCallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "panel_sms_status_callbacks_total",
			Help: "Twilio delivery status callbacks accepted (signature valid), by MessageStatus.",
		}, []string{"status"}),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "panel_sms_inbound_total",
			Help: "Inbound SMS webhook calls with a valid signature, by result: replied, silent (no reply), invalid, unavailable.",
		}, []string{"result"}),
	}
	for _, c := range []prometheus.Collector{rs.statusCallbacks, rs.inbound} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("httpapi: register reply metrics: %w", err)
		}
	}
	s.replies = rs
	return nil
}

// replyRoutes registers the webhooks and the inbox and pool routes of the
// admin API group api.
func (s *Server) replyRoutes(api *gin.RouterGroup) {
	hooks := s.engine.Group("/webhooks/twilio", s.limitWebhookTime)
	hooks.POST("/sms", s.handle(s.inboundSMS))
	hooks.POST("/status", s.handle(s.statusCallback))
	s.setBodyLimit(http.MethodPost, InboundSMSPath, webhookBodyLimit)
	s.setBodyLimit(http.MethodPost, StatusCallbackPath, webhookBodyLimit)

	api.GET("/campaigns/:id/inbox", s.handle(s.listInbox))
	api.POST("/campaigns/:id/inbox/:mid/resolve", s.handle(s.resolveInbox))
	api.GET("/campaigns/:id/pool", s.handle(s.getPool))
}

// limitWebhookTime bounds a webhook's work so that Twilio, which waits
// 15 s, gets a 503 rather than a timeout.
func (s *Server) limitWebhookTime(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), webhookTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// inboundSMS answers Twilio's inbound SMS webhook with TwiML: the
// dialogue's reply, or an empty <Response/>.
func (s *Server) inboundSMS(c *gin.Context) error {
	form, err := s.signedForm(c)
	if err != nil {
		return err
	}
	in, err := InboundFromForm(form)
	if err != nil {
		s.replies.inbound.WithLabelValues("invalid").Inc()
		return err
	}
	ctx := c.Request.Context()
	reply, err := s.replies.Inbox.Handle(ctx, in)
	if err != nil {
		if panel.ErrorCode(err) == panel.EINVALID {
			s.replies.inbound.WithLabelValues("invalid").Inc()
			return err
		}
		s.replies.inbound.WithLabelValues("unavailable").Inc()
		// Twilio retries on 5xx; the same MessageSid is then handled once.
		s.logger.WarnContext(ctx, "inbound sms not stored", slog.String("request_id", requestIDFrom(ctx)),
			slog.String("error", err.Error()))
		return &httpError{status: http.StatusServiceUnavailable, code: panel.EUNAVAILABLE,
			message: "the message could not be stored now; retry later"}
	}
	var twiml string
	if reply == "" {
		s.replies.inbound.WithLabelValues("silent").Inc()
		twiml, err = twiliosms.MessagingResponse()
	} else {
		s.replies.inbound.WithLabelValues("replied").Inc()
		twiml, err = twiliosms.MessagingResponse(reply)
	}
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, twiliosms.ContentType, []byte(twiml))
	return nil
}

// statusCallback applies Twilio's delivery status callback and answers 204.
func (s *Server) statusCallback(c *gin.Context) error {
	form, err := s.signedForm(c)
	if err != nil {
		return err
	}
	st, err := StatusFromForm(form)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if err := s.replies.Statuses.ApplyStatus(ctx, st.MessageSid, st.Status, st.ErrorCode, s.now()); err != nil {
		if panel.ErrorCode(err) == panel.EINVALID {
			return err
		}
		s.logger.WarnContext(ctx, "status callback not stored", slog.String("request_id", requestIDFrom(ctx)),
			slog.String("error", err.Error()))
		return &httpError{status: http.StatusServiceUnavailable, code: panel.EUNAVAILABLE,
			message: "the status could not be stored now; retry later"}
	}
	label := st.Status
	if !twilioStatuses[label] {
		label = "other"
	}
	s.replies.statusCallbacks.WithLabelValues(label).Inc()
	c.Status(http.StatusNoContent)
	return nil
}

// logBadSignature logs, once per URL and process, the URL a failed
// signature was checked against and the host the request arrived at, so
// that a PANEL_PUBLIC_URL that differs from the address Twilio posts to
// (which makes every webhook fail) shows in the log. The query is left
// out of the URL so that the set of logged URLs stays as small as the
// set of webhook routes; nothing from the form is logged.
func (s *Server) logBadSignature(c *gin.Context) {
	checked := s.replies.PublicURL + c.Request.URL.Path
	if _, seen := s.replies.badSignatureLogged.LoadOrStore(checked, true); seen {
		return
	}
	s.logger.WarnContext(c.Request.Context(), "twilio webhook signature does not match; if this URL is not the one Twilio posts to, set PANEL_PUBLIC_URL to the address webhooks arrive at (later failures for this URL are not logged)",
		slog.String("checked_url", checked),
		slog.String("arrived_host", c.Request.Host),
		slog.String("forwarded_host", c.Request.Header.Get("X-Forwarded-Host")),
		slog.String("forwarded_proto", c.Request.Header.Get("X-Forwarded-Proto")))
}

// signedForm reads the form-encoded body of a webhook call and checks its
// X-Twilio-Signature against the configured public URL, the request's path
// and query, and every posted field. Wrong media type 415, body over the
// limit 413, malformed form 400, missing or wrong signature 403.
func (s *Server) signedForm(c *gin.Context) (url.Values, error) {
	r := c.Request
	if err := checkFormType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge(mbe.Limit)
		}
		return nil, errMalformed("the request body could not be read")
	}
	form, err := ParseWebhookForm(body)
	if err != nil {
		return nil, err
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if sig == "" {
		return nil, panel.Errorf(panel.EFORBIDDEN, "the X-Twilio-Signature header is missing")
	}
	if !s.replies.Validator.Valid(s.replies.PublicURL+r.URL.RequestURI(), form, sig) {
		s.logBadSignature(c)
		return nil, panel.Errorf(panel.EFORBIDDEN, "the X-Twilio-Signature does not match this request")
	}
	if s.replies.Account != "" {
		if got, err := single(form, "AccountSid"); err != nil {
			return nil, err
		} else if got != s.replies.Account {
			return nil, panel.Errorf(panel.EFORBIDDEN, "the AccountSid is not this service's Twilio account")
		}
	}
	return form, nil
}

// checkFormType accepts only application/x-www-form-urlencoded (415
// otherwise), with any parameters such as charset=UTF-8.
func checkFormType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/x-www-form-urlencoded" {
		return &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedType,
			message: fmt.Sprintf("Content-Type must be application/x-www-form-urlencoded, got %q", ct)}
	}
	return nil
}

// ParseWebhookForm decodes a form-encoded webhook body. A body that is not
// a valid form, or that has more than 200 fields, is a malformed request
// (400). Values may hold any bytes; the fields used are cleaned later.
func ParseWebhookForm(body []byte) (url.Values, error) {
	if n := strings.Count(string(body), "&") + 1; n > webhookFieldLimit {
		return nil, errMalformed("the form has %d fields; at most %d are accepted", n, webhookFieldLimit)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errMalformed("the body is not a valid form (application/x-www-form-urlencoded)")
	}
	return form, nil
}

// single returns the one value of field name ("" when absent); a field
// given twice is malformed (400).
func single(form url.Values, name string) (string, error) {
	vs := form[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", errMalformed("form field %s is given %d times; Twilio sends it once", name, len(vs))
}

// InboundFromForm reads Twilio's inbound SMS fields (MessageSid, or the
// older SmsMessageSid and SmsSid; From, To, Body, OptOutType) and
// normalises them. A repeated field is 400; a missing or overlong
// MessageSid or From is 422 naming it.
func InboundFromForm(form url.Values) (panel.InboundSMS, error) {
	var in panel.InboundSMS
	var err error
	fields := []struct {
		name string
		dst  *string
	}{
		{"MessageSid", &in.ProviderID}, {"Body", &in.Body}, {"OptOutType", &in.OptOutType},
	}
	for _, f := range fields {
		if *f.dst, err = single(form, f.name); err != nil {
			return panel.InboundSMS{}, err
		}
	}
	for _, alt := range []string{"SmsMessageSid", "SmsSid"} {
		if in.ProviderID != "" {
			break
		}
		if in.ProviderID, err = single(form, alt); err != nil {
			return panel.InboundSMS{}, err
		}
	}
	from, err := single(form, "From")
	if err != nil {
		return panel.InboundSMS{}, err
	}
	to, err := single(form, "To")
	if err != nil {
		return panel.InboundSMS{}, err
	}
	in.From, in.To = panel.Phone(from), panel.Phone(to)
	in, err = in.Normalize()
	if err != nil {
		return in, err
	}
	if !isE164(string(in.From)) {
		return in, panel.Errorf(panel.EINVALID, "From must be a phone number in E.164 form (+ and 7 to 15 digits), as Twilio sends it")
	}
	return in, nil
}

// isE164 reports whether s is "+" and 7 to 15 digits, the first not 0: the
// form Twilio gives every phone number.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// StatusCallback is what a delivery status callback reports.
type StatusCallback struct {
	MessageSid string
	Status     string // lower case, e.g. "delivered"
	ErrorCode  int    // 0 when absent
}

// StatusFromForm reads a status callback's MessageSid (or SmsSid),
// MessageStatus (or SmsStatus) and ErrorCode. A repeated field is 400; a
// missing id or status, or an ErrorCode that is not a non-negative
// integer, is 422 naming the field.
func StatusFromForm(form url.Values) (StatusCallback, error) {
	get := func(names ...string) (string, error) {
		for _, n := range names {
			v, err := single(form, n)
			if err != nil || v != "" {
				return strings.TrimSpace(v), err
			}
		}
		return "", nil
	}
	var st StatusCallback
	var err error
	if st.MessageSid, err = get("MessageSid", "SmsSid"); err != nil {
		return st, err
	}
	status, err := get("MessageStatus", "SmsStatus")
	if err != nil {
		return st, err
	}
	st.Status = strings.ToLower(status)
	code, err := get("ErrorCode")
	if err != nil {
		return st, err
	}
	switch {
	case st.MessageSid == "":
		return st, panel.Errorf(panel.EINVALID, "MessageSid is required")
	case len(st.MessageSid) > panel.MaxProviderIDLength || !printable(st.MessageSid):
		return st, panel.Errorf(panel.EINVALID, "MessageSid must be at most %d printable ASCII characters", panel.MaxProviderIDLength)
	case st.Status == "":
		return st, panel.Errorf(panel.EINVALID, "MessageStatus is required")
	case len(st.Status) > 32 || !printable(st.Status):
		return st, panel.Errorf(panel.EINVALID, "MessageStatus must be a word of at most 32 characters")
	}
	if code != "" {
		n, err := strconv.Atoi(code)
		if err != nil || n < 0 {
			return st, panel.Errorf(panel.EINVALID, "ErrorCode must be a non-negative integer")
		}
		st.ErrorCode = n
	}
	return st, nil
}

// printable reports whether s is printable ASCII without spaces.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
