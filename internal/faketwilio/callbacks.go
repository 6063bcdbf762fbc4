package faketwilio

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Callback is one status callback the server posted.
type Callback struct {
	MessageSID string
	Status     string // the MessageStatus posted
	HTTPStatus int    // the webhook's answer; 0 when none arrived
	Error      string // why no answer arrived; "" when one did
}

// step is one status change of a message.
type step struct {
	status    string
	errorCode int
	wait      time.Duration // before the change
	duplicate bool          // post its callback twice
}

// deliveryPlan is the fate of one message, drawn when it is created so that
// a seed gives the same run for the same requests.
type deliveryPlan struct {
	sid   string
	url   string // StatusCallback; "" for none
	steps []step
	order []int // posting order of the steps' callbacks; nil posts each as it happens
}

// planLocked draws the delivery plan of a new message.
func (s *Server) planLocked(rec *record) deliveryPlan {
	cb := s.callbacks
	p := deliveryPlan{sid: rec.SID, url: rec.StatusCallback}
	statuses := rec.Outcome.statuses()
	for i, st := range statuses {
		wait := cb.Delay
		if cb.Jitter > 0 {
			wait += time.Duration(s.rng.Int64N(int64(cb.Jitter)))
		}
		code := 0
		if i == len(statuses)-1 {
			code = rec.Outcome.ErrorCode()
		}
		p.steps = append(p.steps, step{status: st, errorCode: code, wait: wait, duplicate: s.rng.Float64() < cb.Duplicate})
	}
	if s.rng.Float64() < cb.OutOfOrder {
		p.order = shuffled(s.rng.Perm(len(p.steps)))
	}
	return p
}

// shuffled returns perm, turned into a different order if it is the identity.
func shuffled(perm []int) []int {
	for i, v := range perm {
		if i != v {
			return perm
		}
	}
	for i, j := 0, len(perm)-1; i < j; i, j = i+1, j-1 {
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm
}

// deliver walks a message through its plan, posting status callbacks. It
// stops early when the server closes or the message is forgotten by Reset.
func (s *Server) deliver(p deliveryPlan) {
	forms := make([]url.Values, 0, len(p.steps))
	for _, st := range p.steps {
		if !s.wait(s.ctx, st.wait) {
			return
		}
		form, ok := s.advance(p.sid, st)
		if !ok {
			return
		}
		forms = append(forms, form)
		if p.url != "" && p.order == nil {
			s.postCallback(p, st, form)
		}
	}
	if p.url == "" || p.order == nil {
		return
	}
	for _, i := range p.order {
		s.postCallback(p, p.steps[i], forms[i])
	}
}

// advance applies one status change and returns the callback form for it.
func (s *Server) advance(sid string, st step) (url.Values, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.bySID[sid]
	if !ok {
		return nil, false
	}
	now := s.opts.Clock()
	rec.Status, rec.DateUpdated = st.status, now
	if st.status == "sent" {
		rec.DateSent = now
	}
	if st.errorCode != 0 {
		rec.ErrorCode = st.errorCode
	}
	form := url.Values{
		"AccountSid":    {rec.AccountSID},
		"ApiVersion":    {"2010-04-01"},
		"MessageSid":    {rec.SID},
		"MessageStatus": {st.status},
		"SmsSid":        {rec.SID},
		"SmsStatus":     {st.status},
		"To":            {rec.To},
	}
	if rec.From != "" {
		form.Set("From", rec.From)
	}
	if rec.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", rec.MessagingServiceSID)
	}
	if st.errorCode != 0 {
		form.Set("ErrorCode", strconv.Itoa(st.errorCode))
	}
	return form, true
}

// postCallback posts one status callback (twice when the step says so) and
// records the outcome.
func (s *Server) postCallback(p deliveryPlan, st step, form url.Values) {
	times := 1
	if st.duplicate {
		times = 2
	}
	for range times {
		status, err := s.postSigned(s.ctx, p.url, form)
		cb := Callback{MessageSID: p.sid, Status: st.status, HTTPStatus: status}
		if err != nil {
			cb.Error = err.Error()
			s.opts.Logger.Warn("fake twilio status callback failed", slog.String("message_sid", p.sid), slog.String("status", st.status))
		} else if status >= 300 {
			s.opts.Logger.Warn("fake twilio status callback refused", slog.String("message_sid", p.sid), slog.String("status", st.status), slog.Int("http_status", status))
		}
		s.mu.Lock()
		s.posted = append(s.posted, cb)
		s.mu.Unlock()
	}
}

// postSigned posts form to target as Twilio does, signed with the auth
// token, and returns the answer's status.
func (s *Server) postSigned(ctx context.Context, target string, form url.Values) (int, error) {
	status, _, err := s.postSignedBody(ctx, target, form)
	return status, err
}

// postSignedBody is postSigned that also returns the answer's body (at most 64 KiB).
func (s *Server) postSignedBody(ctx context.Context, target string, form url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("X-Twilio-Signature", s.Sign(target, form))
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return resp.StatusCode, "", err
	}
	return resp.StatusCode, string(body), nil
}

// Callbacks returns the status callbacks posted so far, in posting order.
func (s *Server) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Callback(nil), s.posted...)
}
