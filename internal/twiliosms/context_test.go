package twiliosms_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// guard is how long a test waits for a call that should end at once before
// declaring it stuck; it bounds a hang, it does not measure speed.
const guard = 30 * time.Second

// result is what Send returned.
type result struct {
	receipt panel.SMSReceipt
	err     error
}

// sendAsync runs Send in a goroutine.
func sendAsync(ctx context.Context, gw *twiliosms.Gateway) <-chan result {
	done := make(chan result, 1)
	go func() {
		r, err := gw.Send(ctx, panel.OutboundSMS{To: recipient, Body: body})
		done <- result{r, err}
	}()
	return done
}

// await returns Send's result, failing the test if it does not come.
func await(t *testing.T, done <-chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(guard):
		t.Fatal("Send did not return: the context was not honoured")
		return result{}
	}
}

func TestSendHonoursContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		start   func(t *testing.T, e *env) <-chan result
		wantErr error
	}{
		{
			name: "deadline",
			start: func(t *testing.T, e *env) <-chan result {
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				t.Cleanup(cancel)
				return sendAsync(ctx, e.gw)
			},
			wantErr: context.DeadlineExceeded,
		},
		{
			name: "cancel while waiting for the answer",
			start: func(t *testing.T, e *env) <-chan result {
				ctx, cancel := context.WithCancel(context.Background())
				t.Cleanup(cancel)
				done := sendAsync(ctx, e.gw)
				for e.fake.Requests() == 0 {
					time.Sleep(time.Millisecond)
				}
				cancel()
				return done
			},
			wantErr: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, func(c *twiliosms.Config) { c.Timeout = time.Hour })
			e.fake.SetDelay(time.Hour)
			r := await(t, tt.start(t, e))
			var se *panel.SendError
			if !errors.As(r.err, &se) {
				t.Fatalf("got %v, want a *panel.SendError", r.err)
			}
			if !errors.Is(r.err, tt.wantErr) {
				t.Errorf("got %v, want it to wrap %v", r.err, tt.wantErr)
			}
			if se.HTTPStatus != 0 || !se.Retryable {
				t.Errorf("got status %d retryable %t, want 0 and true", se.HTTPStatus, se.Retryable)
			}
		})
	}
}

func TestSendTimesOutOnItsOwn(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *twiliosms.Config) { c.Timeout = 50 * time.Millisecond })
	e.fake.SetDelay(time.Hour)
	r := await(t, sendAsync(context.Background(), e.gw))
	var se *panel.SendError
	if !errors.As(r.err, &se) || se.HTTPStatus != 0 || !se.Retryable {
		t.Fatalf("got %v, want a retryable SendError without HTTP status", r.err)
	}
}

func TestSendNetworkErrorIsRetryable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	gw, err := twiliosms.New(twiliosms.Config{AccountSID: "AC123", AuthToken: "token123", From: "+4759440000", BaseURL: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	_, err = gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body})
	var se *panel.SendError
	if !errors.As(err, &se) || se.HTTPStatus != 0 || !se.Retryable {
		t.Fatalf("got %v, want a retryable SendError without HTTP status", err)
	}
	_, err = gw.FindSent(context.Background(), recipient, time.Time{})
	if !errors.As(err, &se) || !se.Retryable {
		t.Fatalf("FindSent: got %v, want a retryable SendError", err)
	}
}
