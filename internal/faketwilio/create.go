package faketwilio

import (
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// e164 matches a phone number in E.164 form.
var e164 = regexp.MustCompile(`^\+[1-9]\d{6,14}$`)

// maxBody is Twilio's limit on a message body, in characters.
const maxBody = 1600

// handleCreate serves POST .../Messages.json: create and send a message.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	delay := s.faults.delay
	s.mu.Unlock()

	if !s.authorize(w, r) {
		return
	}
	if !s.wait(r.Context(), delay) {
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 20001, "Unreadable form", nil)
		return
	}
	form := r.PostForm

	s.mu.Lock()
	refused := s.refuseLocked()
	s.mu.Unlock()
	if refused != nil {
		var h http.Header
		if refused.retryAfter > 0 {
			h = http.Header{"Retry-After": {strconv.Itoa(int(math.Ceil(refused.retryAfter.Seconds())))}}
		}
		s.opts.Logger.Info("fake twilio refused a create", slog.Int("http_status", refused.status), slog.Int("error_code", refused.code))
		writeError(w, refused.status, refused.code, refused.message, h)
		return
	}
	if status, code, msg := validateCreate(form); code != 0 {
		writeError(w, status, code, msg, nil)
		return
	}

	to := form.Get("To")
	s.mu.Lock()
	if code := s.faults.numberErrors[to]; code != 0 {
		s.mu.Unlock()
		s.opts.Logger.Info("fake twilio refused a number", slog.Int("error_code", code))
		writeError(w, http.StatusBadRequest, code, numberErrorMessage(code, to), nil)
		return
	}
	rec := s.createLocked(form)
	msg := rec.Message
	acceptFail := s.faults.acceptFailNext > 0
	how := s.faults.acceptFailHow
	if acceptFail {
		s.faults.acceptFailNext--
	}
	plan := s.planLocked(rec)
	s.mu.Unlock()

	s.spawn(func() { s.deliver(plan) })
	s.opts.Logger.Debug("fake twilio created a message", slog.String("message_sid", msg.SID))

	if acceptFail {
		s.opts.Logger.Info("fake twilio failing after accepting", slog.String("message_sid", msg.SID))
		if how == DropConnection {
			if rc := http.NewResponseController(w); dropConnection(rc) {
				return
			}
		}
		writeError(w, http.StatusInternalServerError, 20500, "Internal Server Error", nil)
		return
	}
	writeJSON(w, http.StatusCreated, msg.toJSON())
}

// dropConnection closes the client's connection without an answer; it
// reports false if the connection cannot be taken over.
func dropConnection(rc *http.ResponseController) bool {
	conn, _, err := rc.Hijack()
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}

// validateCreate checks a create form as Twilio does, returning the HTTP
// status, Twilio code and message of the first problem (code 0 when none).
func validateCreate(form url.Values) (status, code int, message string) {
	to, body := form.Get("To"), form.Get("Body")
	switch {
	case to == "":
		return 400, 21604, "A 'To' phone number is required."
	case form.Get("From") == "" && form.Get("MessagingServiceSid") == "":
		return 400, 21603, "A 'From' phone number is required."
	case body == "" && form.Get("MediaUrl") == "" && form.Get("ContentSid") == "":
		return 400, 21602, "Message body is required."
	case utf8.RuneCountInString(body) > maxBody:
		return 400, 21617, "The concatenated message body exceeds the 1600 character limit."
	case !e164.MatchString(to):
		return 400, 21211, "Invalid 'To' Phone Number: " + to
	}
	if cb := form.Get("StatusCallback"); cb != "" {
		u, err := url.Parse(cb)
		if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
			return 400, 21609, "The StatusCallback URL " + cb + " is not a valid URL."
		}
	}
	return 0, 0, ""
}

// createLocked stores a new message from a valid create form.
func (s *Server) createLocked(form url.Values) *record {
	now := s.opts.Clock()
	rec := &record{}
	rec.Message = Message{
		SID:                 "SM" + hex32(s.rng),
		AccountSID:          s.opts.AccountSID,
		To:                  form.Get("To"),
		MessagingServiceSID: form.Get("MessagingServiceSid"),
		Body:                form.Get("Body"),
		StatusCallback:      form.Get("StatusCallback"),
		Status:              "queued",
		NumSegments:         segments(form.Get("Body")),
		DateCreated:         now,
		DateUpdated:         now,
	}
	if rec.MessagingServiceSID != "" {
		// A Messaging Service accepts first and picks the sender later.
		rec.Status = "accepted"
	} else {
		rec.From = form.Get("From")
	}
	if o, ok := s.faults.outcomes[rec.To]; ok {
		rec.Outcome = o
	} else {
		rec.Outcome = s.rates.pick(s.rng.Float64())
	}
	s.messages = append(s.messages, rec)
	s.bySID[rec.SID] = rec
	return rec
}
