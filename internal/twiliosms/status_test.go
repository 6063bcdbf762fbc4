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

// waitStatus waits (real time; the fake posts no callbacks here, but walks
// each message through its statuses in a goroutine) until the fake holds
// the message in status want.
func waitStatus(t *testing.T, fake *faketwilio.Server, sid, want string) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		if m, ok := fake.Message(sid); ok && m.Status == want {
			return
		}
		if time.Now().After(deadline) {
			m, _ := fake.Message(sid)
			t.Fatalf("message %s: got status %q at the fake, want %q", sid, m.Status, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStatusFetchesTheProvidersStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		outcome    faketwilio.Outcome
		wantStatus string
		wantCode   int
	}{
		{"delivered", faketwilio.Delivered, "delivered", 0},
		{"undelivered", faketwilio.Undelivered30003, "undelivered", 30003},
		{"failed", faketwilio.Failed, "failed", 30008},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, nil)
			e.fake.SetOutcome(string(recipient), tt.outcome)
			receipt, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			waitStatus(t, e.fake, receipt.ProviderID, tt.wantStatus)
			got, err := e.gw.Status(context.Background(), receipt.ProviderID)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			if got.ProviderID != receipt.ProviderID || got.Status != tt.wantStatus || got.ErrorCode != tt.wantCode ||
				got.To != recipient || got.Body != body || !got.CreatedAt.Equal(e.clock.Now()) {
				t.Errorf("got %+v, want id %s, status %s, code %d, the number, the body and creation at %s",
					got, receipt.ProviderID, tt.wantStatus, tt.wantCode, e.clock.Now())
			}
			if n := e.fake.Fetches(receipt.ProviderID); n != 1 {
				t.Errorf("got %d fetches at the fake, want 1", n)
			}
		})
	}
}

func TestStatusClassifiesErrors(t *testing.T) {
	t.Parallel()
	const unknown = "SM0123456789abcdef0123456789abcdef"
	tests := []struct {
		name          string
		fault         func(f *faketwilio.Server)
		edit          func(c *twiliosms.Config)
		id            string
		wantCode      string // panel error code
		wantHTTP      int
		wantRetryable bool
	}{
		{name: "unknown message", id: unknown, wantCode: panel.ENOTFOUND, wantHTTP: 404},
		{name: "rate limited", id: unknown, fault: func(f *faketwilio.Server) { f.FailFetchesNext(1, 429) }, wantCode: panel.EINTERNAL, wantHTTP: 429, wantRetryable: true},
		{name: "server error", id: unknown, fault: func(f *faketwilio.Server) { f.FailFetchesNext(1, 503) }, wantCode: panel.EINTERNAL, wantHTTP: 503, wantRetryable: true},
		{name: "wrong credentials", id: unknown, edit: func(c *twiliosms.Config) { c.AuthToken = "wrongtoken123" }, wantCode: panel.EINTERNAL, wantHTTP: 401},
		{name: "empty id", id: "", wantCode: panel.EINVALID},
		{name: "id with a path", id: "SM1/../../Calls", wantCode: panel.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, tt.edit)
			if tt.fault != nil {
				tt.fault(e.fake)
			}
			_, err := e.gw.Status(context.Background(), tt.id)
			if code := panel.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("got %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if tt.wantHTTP == 0 {
				if n := e.fake.TotalFetches(); n != 0 {
					t.Errorf("got %d fetches at the fake, want none", n)
				}
				return
			}
			var se *panel.SendError
			if !errors.As(err, &se) || se.HTTPStatus != tt.wantHTTP || se.Retryable != tt.wantRetryable {
				t.Errorf("got %v, want a SendError with status %d, retryable %t", err, tt.wantHTTP, tt.wantRetryable)
			}
		})
	}
}

func TestStatusHonoursContext(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.fake.SetDelay(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := e.gw.Status(ctx, "SM0123456789abcdef0123456789abcdef")
		done <- err
	}()
	select {
	case err := <-done:
		var se *panel.SendError
		if !errors.As(err, &se) || !se.Retryable || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want a retryable SendError wrapping context.DeadlineExceeded", err)
		}
	case <-time.After(guard):
		t.Fatal("Status did not return: the context was not honoured")
	}
}

func TestStatusLogsNoNumbersOrBodies(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	receipt, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if _, err := e.gw.Status(context.Background(), receipt.ProviderID); err != nil {
		t.Fatalf("Status: %v", err)
	}
	_, _ = e.gw.Status(context.Background(), "SM0123456789abcdef0123456789abcdef")
	logs := e.logs.String()
	if !strings.Contains(logs, "twilio message fetched") {
		t.Fatalf("got logs without the fetch:\n%s", logs)
	}
	for _, secret := range []string{"91234567", "innbyggerpanelet", e.fake.AuthToken()} {
		if strings.Contains(logs, secret) {
			t.Errorf("got %q in the logs:\n%s", secret, logs)
		}
	}
}
