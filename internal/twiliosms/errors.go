package twiliosms

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/citizenspanel/panel/internal/panel"
)

// Twilio error codes the service treats specially.
const (
	CodeTooManyRequests   = 20429 // rate limited: retry later
	CodeInvalidTo         = 21211 // the To number is not a valid phone number
	CodeUnsubscribed      = 21610 // the recipient sent STOP: never send again
	CodeNotMobile         = 21614 // the To number cannot receive SMS
	CodeRegionPermissions = 21408 // sending to this region is not enabled
)

// phoneLike matches what might be a phone number in a provider message: a
// "+digits" run (spaces, dashes, dots and brackets allowed inside), its
// URL-encoded form, or a bare run of seven or more digits.
var phoneLike = regexp.MustCompile(`(\+|%2[bB])\d[\d \-.()]*\d|\d{7,}`)

// scrub removes anything that looks like a phone number from s.
func scrub(s string) string {
	return phoneLike.ReplaceAllString(s, "[number]")
}

// classify turns the error of a twilio-go call into a *panel.SendError.
// status and header are those of the last HTTP answer seen by the call (0 and
// nil if none arrived); ctx is the call's context.
func classify(ctx context.Context, err error, status int, header http.Header) *panel.SendError {
	var rest *client.TwilioRestError
	if errors.As(err, &rest) {
		message := scrub(rest.Message)
		if message == "" {
			message = "twilio error " + strconv.Itoa(rest.Code)
		}
		if status == 0 && (rest.Code == 21222 || rest.Code == 21224) {
			// twilio-go refused the credentials before sending anything.
			return &panel.SendError{Code: rest.Code, Message: message}
		}
		httpStatus := rest.Status
		if status != 0 {
			httpStatus = status
		}
		return fromAnswer(httpStatus, rest.Code, message, header)
	}
	if status >= 400 {
		// An error answer whose body twilio-go could not decode.
		return fromAnswer(status, 0, "undecodable error answer", header)
	}
	se := &panel.SendError{HTTPStatus: 0, Retryable: true}
	switch {
	case status != 0:
		// An answer arrived but could not be read: the outcome is in doubt.
		se.HTTPStatus = status
		se.Message = "unreadable answer: " + scrub(rootMessage(err))
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		se.Message = "time-out waiting for twilio"
	case errors.Is(err, context.Canceled) || ctx.Err() == context.Canceled:
		se.Message = "request cancelled"
	default:
		se.Message = "network error: " + scrub(rootMessage(err))
	}
	return se
}

// fromAnswer builds the SendError for an HTTP error answer.
func fromAnswer(status, code int, message string, header http.Header) *panel.SendError {
	se := &panel.SendError{HTTPStatus: status, Code: code, Message: message}
	if status == http.StatusTooManyRequests || code == CodeTooManyRequests || status >= 500 {
		se.Retryable = true
		se.RetryAfter = retryAfter(header)
	}
	return se
}

// retryAfter reads a Retry-After header: delay-seconds, or an HTTP date taken
// relative to the answer's own Date header. It returns zero when absent or
// unreadable.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return 0
	}
	if d := at.Sub(date); d > 0 {
		return d
	}
	return 0
}

// rootMessage returns the innermost error's message, which for a *url.Error
// leaves out the URL (it may carry a phone number in its query).
func rootMessage(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
