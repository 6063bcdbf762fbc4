package twiliosms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
)

func TestScrub(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{name: "e164", in: "Invalid 'To' Phone Number: +4791234567", want: "Invalid 'To' Phone Number: [number]"},
		{name: "spaced", in: "The number +47 912 34 567 is invalid", want: "The number [number] is invalid"},
		{name: "url encoded", in: "GET /Messages.json?To=%2B4791234567 failed", want: "GET /Messages.json?To=[number] failed"},
		{name: "bare digits", in: "number 4791234567 unknown", want: "number [number] unknown"},
		{name: "error code kept", in: "ApiError 21211", want: "ApiError 21211"},
		{name: "nothing to remove", in: "Too Many Requests", want: "Too Many Requests"},
	}
	for _, tt := range tests {
		if got := scrub(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	date := "Wed, 25 Nov 2026 21:00:00 GMT"
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{name: "none", header: http.Header{}, want: 0},
		{name: "seconds", header: http.Header{"Retry-After": {"7"}}, want: 7 * time.Second},
		{name: "negative", header: http.Header{"Retry-After": {"-3"}}, want: 0},
		{name: "http date", header: http.Header{"Retry-After": {"Wed, 25 Nov 2026 21:00:30 GMT"}, "Date": {date}}, want: 30 * time.Second},
		{name: "http date in the past", header: http.Header{"Retry-After": {"Wed, 25 Nov 2026 20:59:00 GMT"}, "Date": {date}}, want: 0},
		{name: "http date without date header", header: http.Header{"Retry-After": {"Wed, 25 Nov 2026 21:00:30 GMT"}}, want: 0},
		{name: "garbage", header: http.Header{"Retry-After": {"soon"}}, want: 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.header); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	deadCtx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	tests := []struct {
		name          string
		ctx           context.Context
		err           error
		status        int
		header        http.Header
		wantStatus    int
		wantCode      int
		wantRetryable bool
		wantAfter     time.Duration
	}{
		{name: "rate limit", err: &client.TwilioRestError{Status: 429, Code: 20429, Message: "Too Many Requests"}, status: 429,
			header: http.Header{"Retry-After": {"2"}}, wantStatus: 429, wantCode: 20429, wantRetryable: true, wantAfter: 2 * time.Second},
		{name: "rate limit code on other status", err: &client.TwilioRestError{Status: 400, Code: 20429}, status: 400, wantStatus: 400, wantCode: 20429, wantRetryable: true},
		{name: "server error", err: &client.TwilioRestError{Status: 502, Code: 20500}, status: 502, wantStatus: 502, wantCode: 20500, wantRetryable: true},
		{name: "permanent", err: &client.TwilioRestError{Status: 400, Code: 21610}, status: 400, wantStatus: 400, wantCode: 21610},
		{name: "not found", err: &client.TwilioRestError{Status: 404, Code: 20404}, status: 404, wantStatus: 404, wantCode: 20404},
		{name: "bad credentials refused locally", err: &client.TwilioRestError{Status: 400, Code: 21224}, wantStatus: 0, wantCode: 21224},
		{name: "undecodable 503", err: errors.New("error decoding the response for an HTTP error code: 503"), status: 503, wantStatus: 503, wantRetryable: true},
		{name: "undecodable 400", err: errors.New("error decoding the response"), status: 400, wantStatus: 400},
		{name: "truncated success", err: errors.New("unexpected EOF"), status: 201, wantStatus: 201, wantRetryable: true},
		{name: "time-out", ctx: deadCtx, err: &url.Error{Op: "Post", URL: "https://api.twilio.com/x?To=%2B4791234567", Err: context.DeadlineExceeded}, wantRetryable: true},
		{name: "connection refused", err: &url.Error{Op: "Post", URL: "https://api.twilio.com/", Err: fmt.Errorf("dial tcp: connection refused")}, wantRetryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			se := classify(ctx, tt.err, tt.status, tt.header)
			if se.HTTPStatus != tt.wantStatus || se.Code != tt.wantCode || se.Retryable != tt.wantRetryable || se.RetryAfter != tt.wantAfter {
				t.Errorf("got %+v, want status %d code %d retryable %t retry after %s", se, tt.wantStatus, tt.wantCode, tt.wantRetryable, tt.wantAfter)
			}
			if se.Message == "" {
				t.Error("got an empty message, want one")
			}
		})
	}
}
