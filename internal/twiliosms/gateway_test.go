package twiliosms_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

const (
	recipient = panel.Phone("+4791234567")
	body      = "Hei! Du er trukket ut til å bli med i innbyggerpanelet. Svar JA eller NEI."
)

func TestSendCreatesMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		edit        func(*twiliosms.Config)
		callback    string
		wantStatus  string
		wantFrom    string
		wantService string
	}{
		{name: "from number with callback", callback: "https://panel.example/webhooks/twilio/status", wantStatus: "queued", wantFrom: "+4759440000"},
		{name: "from number without callback", wantStatus: "queued", wantFrom: "+4759440000"},
		{
			name: "messaging service",
			edit: func(c *twiliosms.Config) {
				c.From, c.MessagingServiceSID = "", "MG0123456789abcdef0123456789abcdef"
			},
			wantStatus:  "accepted",
			wantService: "MG0123456789abcdef0123456789abcdef",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, tt.edit)
			got, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body, StatusCallback: tt.callback})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if !strings.HasPrefix(got.ProviderID, "SM") || len(got.ProviderID) != 34 {
				t.Errorf("got ProviderID %q, want SM followed by 32 hex digits", got.ProviderID)
			}
			if got.Status != tt.wantStatus {
				t.Errorf("got Status %q, want %q", got.Status, tt.wantStatus)
			}
			msgs := e.fake.SentTo(string(recipient))
			if len(msgs) != 1 {
				t.Fatalf("got %d messages at the fake, want 1", len(msgs))
			}
			m := msgs[0]
			if m.SID != got.ProviderID || m.Body != body || m.From != tt.wantFrom || m.MessagingServiceSID != tt.wantService || m.StatusCallback != tt.callback {
				t.Errorf("got message %+v, want sid %s, the body, from %q, service %q, callback %q", m, got.ProviderID, tt.wantFrom, tt.wantService, tt.callback)
			}
		})
	}
}

func TestSendRejectsEmptyMessage(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	for _, m := range []panel.OutboundSMS{{Body: body}, {To: recipient}} {
		_, err := e.gw.Send(context.Background(), m)
		if code := panel.ErrorCode(err); code != panel.EINVALID {
			t.Errorf("Send(%+v): got code %q, want %q", m, code, panel.EINVALID)
		}
	}
	if got := e.fake.Requests(); got != 0 {
		t.Errorf("got %d requests at the fake, want 0", got)
	}
}

func TestSendClassifiesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		inject         func(*faketwilio.Server)
		edit           func(*twiliosms.Config)
		wantStatus     int
		wantCode       int
		wantRetryable  bool
		wantRetryAfter time.Duration
		wantCreated    int
	}{
		{
			name: "rate limited",
			inject: func(f *faketwilio.Server) {
				f.RateLimitNext(1)
				f.SetRetryAfter(3 * time.Second)
			},
			wantStatus: 429, wantCode: 20429, wantRetryable: true, wantRetryAfter: 3 * time.Second,
		},
		{name: "service unavailable", inject: func(f *faketwilio.Server) { f.FailNext(1, 503) }, wantStatus: 503, wantCode: 20503, wantRetryable: true},
		{name: "internal server error", inject: func(f *faketwilio.Server) { f.FailNext(1, 500) }, wantStatus: 500, wantCode: 20500, wantRetryable: true},
		{name: "invalid number", inject: func(f *faketwilio.Server) { f.SetNumberError(string(recipient), 21211) }, wantStatus: 400, wantCode: 21211},
		{name: "unsubscribed", inject: func(f *faketwilio.Server) { f.SetNumberError(string(recipient), 21610) }, wantStatus: 400, wantCode: 21610},
		{name: "not a mobile", inject: func(f *faketwilio.Server) { f.SetNumberError(string(recipient), 21614) }, wantStatus: 400, wantCode: 21614},
		{name: "region not enabled", inject: func(f *faketwilio.Server) { f.SetNumberError(string(recipient), 21408) }, wantStatus: 400, wantCode: 21408},
		{name: "wrong credentials", edit: func(c *twiliosms.Config) { c.AuthToken = "wrongtoken123" }, wantStatus: 401, wantCode: 20003},
		{
			name:       "accepted then 500",
			inject:     func(f *faketwilio.Server) { f.AcceptThenFail(1, faketwilio.Answer500) },
			wantStatus: 500, wantCode: 20500, wantRetryable: true, wantCreated: 1,
		},
		{
			name:       "accepted then connection dropped",
			inject:     func(f *faketwilio.Server) { f.AcceptThenFail(1, faketwilio.DropConnection) },
			wantStatus: 0, wantCode: 0, wantRetryable: true, wantCreated: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, tt.edit)
			if tt.inject != nil {
				tt.inject(e.fake)
			}
			_, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body})
			var se *panel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("got error %v, want a *panel.SendError", err)
			}
			if se.HTTPStatus != tt.wantStatus || se.Code != tt.wantCode || se.Retryable != tt.wantRetryable || se.RetryAfter != tt.wantRetryAfter {
				t.Errorf("got status %d code %d retryable %t retry after %s, want %d %d %t %s",
					se.HTTPStatus, se.Code, se.Retryable, se.RetryAfter, tt.wantStatus, tt.wantCode, tt.wantRetryable, tt.wantRetryAfter)
			}
			if strings.Contains(err.Error(), string(recipient)) || strings.Contains(err.Error(), "91234567") {
				t.Errorf("got error %q, want no phone number in it", err)
			}
			if got := e.fake.CountTo(string(recipient)); got != tt.wantCreated {
				t.Errorf("got %d messages created, want %d", got, tt.wantCreated)
			}
			if got := e.fake.Requests(); got != 1 {
				t.Errorf("got %d create requests, want 1", got)
			}
		})
	}
}

func TestInDoubtSendIsFoundByFindSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		how  faketwilio.AcceptFailure
	}{
		{name: "answer 500", how: faketwilio.Answer500},
		{name: "connection dropped", how: faketwilio.DropConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, nil)
			since := e.clock.Now()
			e.fake.AcceptThenFail(1, tt.how)
			_, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body})
			var se *panel.SendError
			if !errors.As(err, &se) || !se.Retryable {
				t.Fatalf("got %v, want a retryable SendError", err)
			}
			found, err := e.gw.FindSent(context.Background(), recipient, since)
			if err != nil {
				t.Fatalf("FindSent: %v", err)
			}
			created := e.fake.SentTo(string(recipient))
			if len(found) != 1 || len(created) != 1 || found[0].ProviderID != created[0].SID {
				t.Fatalf("got %+v, want the one created message %+v", found, created)
			}
			if found[0].To != recipient || found[0].Body != body || !found[0].CreatedAt.Equal(since) {
				t.Errorf("got %+v, want to %s, the body, created at %s", found[0], recipient, since)
			}
		})
	}
}

func TestFindSentFiltersAndPages(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	start := e.clock.Now()
	const n = 130 // more than one page of 100
	for i := range n {
		if _, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body}); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
		if _, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: "+4790000000", Body: body}); err != nil {
			t.Fatalf("Send other %d: %v", i, err)
		}
		e.clock.Advance(time.Minute)
	}
	tests := []struct {
		name  string
		since time.Time
		want  int
	}{
		{name: "all", since: start, want: n},
		{name: "before all", since: start.Add(-24 * time.Hour), want: n},
		{name: "last ten", since: start.Add((n - 10) * time.Minute), want: 10},
		{name: "none", since: start.Add(n * time.Minute), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.gw.FindSent(context.Background(), recipient, tt.since)
			if err != nil {
				t.Fatalf("FindSent: %v", err)
			}
			if len(got) != tt.want {
				t.Fatalf("got %d messages, want %d", len(got), tt.want)
			}
			for i, m := range got {
				if m.To != recipient {
					t.Errorf("message %d: got to %q, want %q", i, m.To, recipient)
				}
				if m.CreatedAt.Before(tt.since) {
					t.Errorf("message %d: got created %s, want at or after %s", i, m.CreatedAt, tt.since)
				}
				if i > 0 && m.CreatedAt.After(got[i-1].CreatedAt) {
					t.Errorf("message %d: created %s after message %d (%s), want newest first", i, m.CreatedAt, i-1, got[i-1].CreatedAt)
				}
			}
		})
	}
}

func TestFindSentReportsFailures(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *twiliosms.Config) { c.AuthToken = "wrongtoken123" })
	_, err := e.gw.FindSent(context.Background(), recipient, time.Time{})
	var se *panel.SendError
	if !errors.As(err, &se) || se.HTTPStatus != 401 || se.Retryable {
		t.Fatalf("got %v, want a permanent SendError with status 401", err)
	}
}

func TestLogsHoldNoNumbersOrBodies(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.fake.SetNumberError("+4790000001", 21211)
	e.fake.RateLimitNext(1)
	for _, to := range []panel.Phone{recipient, recipient, "+4790000001"} {
		_, _ = e.gw.Send(context.Background(), panel.OutboundSMS{To: to, Body: body})
	}
	_, _ = e.gw.FindSent(context.Background(), recipient, time.Time{})
	logs := e.logs.String()
	if logs == "" {
		t.Fatal("got no logs, want some to check")
	}
	for _, secret := range []string{"91234567", "90000001", "innbyggerpanelet", e.fake.AuthToken()} {
		if strings.Contains(logs, secret) {
			t.Errorf("got %q in the logs:\n%s", secret, logs)
		}
	}
}
