package twiliosms_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
)

func TestDeleteMessageDeletesItAtTwilio(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.fake.SetOutcome(string(recipient), faketwilio.Delivered)
	receipt, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	waitStatus(t, e.fake, receipt.ProviderID, "delivered")
	if err := e.gw.DeleteMessage(context.Background(), receipt.ProviderID); err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	if _, ok := e.fake.Message(receipt.ProviderID); ok {
		t.Error("the fake still holds the deleted message")
	}
	err = e.gw.DeleteMessage(context.Background(), receipt.ProviderID)
	if code := panel.ErrorCode(err); code != panel.ENOTFOUND {
		t.Errorf("deleting it again: got %v (code %q), want ENOTFOUND", err, code)
	}
	if strings.Contains(e.logs.String(), string(recipient)) || strings.Contains(e.logs.String(), body) {
		t.Errorf("the logs hold the number or the body: %s", e.logs.String())
	}
}

func TestDeleteMessageClassifiesErrors(t *testing.T) {
	t.Parallel()
	const unknown = "SM0123456789abcdef0123456789abcdef"
	tests := []struct {
		name          string
		fault         func(f *faketwilio.Server)
		id            string
		wantCode      string
		wantHTTP      int
		wantRetryable bool
	}{
		{name: "unknown message", id: unknown, wantCode: panel.ENOTFOUND, wantHTTP: 404},
		{name: "rate limited", id: unknown, fault: func(f *faketwilio.Server) { f.FailDeletesNext(1, 429) }, wantCode: panel.EINTERNAL, wantHTTP: 429, wantRetryable: true},
		{name: "server error", id: unknown, fault: func(f *faketwilio.Server) { f.FailDeletesNext(1, 503) }, wantCode: panel.EINTERNAL, wantHTTP: 503, wantRetryable: true},
		{name: "empty id", id: "", wantCode: panel.EINVALID},
		{name: "id with a path", id: "SM1/../../Calls", wantCode: panel.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, nil)
			if tt.fault != nil {
				tt.fault(e.fake)
			}
			err := e.gw.DeleteMessage(context.Background(), tt.id)
			if code := panel.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("got %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if tt.wantHTTP == 0 {
				return
			}
			var se *panel.SendError
			if !errors.As(err, &se) || se.HTTPStatus != tt.wantHTTP || se.Retryable != tt.wantRetryable {
				t.Errorf("got %v, want a SendError with status %d, retryable %t", err, tt.wantHTTP, tt.wantRetryable)
			}
		})
	}
}
