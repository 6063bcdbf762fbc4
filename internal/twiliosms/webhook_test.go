package twiliosms_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// signedHook is a webhook that checks each post with the adapter's Validator.
type signedHook struct {
	srv    *httptest.Server
	mu     sync.Mutex
	status []string
	valid  []bool
}

// newSignedHook starts a webhook validating with token; tamper, when set,
// edits each form before validation.
func newSignedHook(t *testing.T, token string, tamper func(url.Values)) *signedHook {
	h := &signedHook{}
	v := twiliosms.NewValidator(panel.Secret(token))
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form := r.PostForm
		if tamper != nil {
			tamper(form)
		}
		ok := v.Valid(h.srv.URL+r.URL.RequestURI(), form, r.Header.Get("X-Twilio-Signature"))
		h.mu.Lock()
		h.status, h.valid = append(h.status, form.Get("MessageStatus")), append(h.valid, ok)
		h.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		reply, _ := twiliosms.MessagingResponse()
		w.Header().Set("Content-Type", twiliosms.ContentType)
		_, _ = w.Write([]byte(reply))
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *signedHook) seen() ([]string, []bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.status), slices.Clone(h.valid)
}

func TestStatusCallbacksValidate(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	h := newSignedHook(t, e.fake.AuthToken(), nil)
	if _, err := e.gw.Send(context.Background(), panel.OutboundSMS{To: recipient, Body: body, StatusCallback: h.srv.URL + "/webhooks/twilio/status"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	deadline := time.Now().Add(guard)
	for {
		if got, _ := h.seen(); len(got) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the status callbacks never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	got, valid := h.seen()
	if want := []string{"queued", "sent", "delivered"}; !slices.Equal(got, want) {
		t.Errorf("got statuses %v, want %v", got, want)
	}
	for i, ok := range valid {
		if !ok {
			t.Errorf("callback %d (%s) failed validation", i, got[i])
		}
	}
}

func TestInboundValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		tamper     func(url.Values)
		wantStatus int
	}{
		{name: "genuine", wantStatus: http.StatusOK},
		{name: "tampered body", tamper: func(f url.Values) { f.Set("Body", "NEI") }, wantStatus: http.StatusForbidden},
		{name: "tampered sender", tamper: func(f url.Values) { f.Set("From", "+4790000000") }, wantStatus: http.StatusForbidden},
		{name: "field removed", tamper: func(f url.Values) { f.Del("OptOutType") }, wantStatus: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, nil)
			h := newSignedHook(t, e.fake.AuthToken(), tt.tamper)
			status, reply, err := e.fake.SendInbound(context.Background(), h.srv.URL+"/webhooks/twilio/sms?campaign=1",
				string(recipient), "+4759440000", "JA", url.Values{"OptOutType": {"START"}})
			if err != nil {
				t.Fatalf("SendInbound: %v", err)
			}
			if status != tt.wantStatus {
				t.Errorf("got status %d, want %d", status, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusOK && reply != `<?xml version="1.0" encoding="UTF-8"?><Response/>` {
				t.Errorf("got reply %q, want an empty TwiML response", reply)
			}
		})
	}
}
