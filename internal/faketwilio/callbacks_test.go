package faketwilio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

// hook records the status callbacks it receives and checks their signatures
// with twilio-go's own RequestValidator.
type hook struct {
	srv   *httptest.Server
	mu    sync.Mutex
	got   []url.Values
	valid []bool
}

// newHook starts a webhook that validates with token.
func newHook(t *testing.T, token string) *hook {
	h := &hook{}
	rv := client.NewRequestValidator(token)
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		params := map[string]string{}
		for k := range r.PostForm {
			params[k] = r.PostForm.Get(k)
		}
		ok := rv.Validate(h.srv.URL+r.URL.RequestURI(), params, r.Header.Get("X-Twilio-Signature"))
		h.mu.Lock()
		h.got, h.valid = append(h.got, r.PostForm), append(h.valid, ok)
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// received returns the forms received so far and whether each was valid.
func (h *hook) received() ([]url.Values, []bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got), slices.Clone(h.valid)
}

// statuses returns the MessageStatus values in the order received.
func statuses(forms []url.Values) []string {
	var out []string
	for _, f := range forms {
		out = append(out, f.Get("MessageStatus"))
	}
	return out
}

func TestStatusCallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      faketwilio.Options
		outcome   *faketwilio.Outcome
		want      []string // in the order received; nil to compare as a set with wantSet
		wantSet   []string
		wantCode  string
		wantFinal string
	}{
		{name: "delivered in order", want: []string{"queued", "sent", "delivered"}, wantFinal: "delivered"},
		{name: "undelivered", outcome: ptr(faketwilio.Undelivered30005), want: []string{"queued", "sent", "undelivered"}, wantCode: "30005", wantFinal: "undelivered"},
		{name: "failed", outcome: ptr(faketwilio.Failed), want: []string{"queued", "failed"}, wantCode: "30008", wantFinal: "failed"},
		{name: "rate of failures", opts: faketwilio.Options{Outcomes: faketwilio.OutcomeRates{Failed: 1}}, want: []string{"queued", "failed"}, wantCode: "30008", wantFinal: "failed"},
		{name: "duplicated", opts: faketwilio.Options{Callbacks: faketwilio.CallbackOptions{Duplicate: 1}},
			want: []string{"queued", "queued", "sent", "sent", "delivered", "delivered"}, wantFinal: "delivered"},
		{name: "out of order", opts: faketwilio.Options{Callbacks: faketwilio.CallbackOptions{OutOfOrder: 1}},
			wantSet: []string{"queued", "sent", "delivered"}, wantFinal: "delivered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, base, _ := start(t, tt.opts)
			h := newHook(t, s.AuthToken())
			if tt.outcome != nil {
				s.SetOutcome("+4791234567", *tt.outcome)
			}
			_, m := create(t, s, base, "+4791234567", h.srv.URL+"/webhooks/twilio/status?c=1")
			n := len(tt.want) + len(tt.wantSet)
			waitFor(t, func() bool { f, _ := h.received(); return len(f) >= n })
			forms, valid := h.received()
			for i, ok := range valid {
				if !ok {
					t.Errorf("callback %d (%s): signature not valid", i, forms[i].Get("MessageStatus"))
				}
			}
			got := statuses(forms)
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Errorf("got statuses %v, want %v", got, tt.want)
			}
			if tt.wantSet != nil {
				if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, slices.Sorted(slices.Values(tt.wantSet))) {
					t.Errorf("got statuses %v, want %v in some order", got, tt.wantSet)
				}
				if slices.Equal(got, tt.wantSet) {
					t.Errorf("got statuses %v in the true order, want them shuffled", got)
				}
			}
			for _, f := range forms {
				if f.Get("MessageSid") != m["sid"] || f.Get("SmsSid") != m["sid"] || f.Get("AccountSid") != s.AccountSID() ||
					f.Get("To") != "+4791234567" || f.Get("From") != "+4759440000" || f.Get("ApiVersion") != "2010-04-01" ||
					f.Get("SmsStatus") != f.Get("MessageStatus") {
					t.Errorf("got callback %v, want Twilio's fields for message %v", f, m["sid"])
				}
				final := f.Get("MessageStatus") == "undelivered" || f.Get("MessageStatus") == "failed"
				if final && f.Get("ErrorCode") != tt.wantCode || !final && f.Has("ErrorCode") {
					t.Errorf("status %s: got ErrorCode %q, want %q only on the final failure", f.Get("MessageStatus"), f.Get("ErrorCode"), tt.wantCode)
				}
			}
			waitFor(t, func() bool { return len(s.Callbacks()) >= n })
			if msg, ok := s.Message(m["sid"].(string)); !ok || msg.Status != tt.wantFinal {
				t.Errorf("got final status %q, want %q", msg.Status, tt.wantFinal)
			}
		})
	}
}

func TestCloseStopsPendingCallbacks(t *testing.T) {
	t.Parallel()
	s := faketwilio.New(faketwilio.Options{Callbacks: faketwilio.CallbackOptions{Delay: time.Hour}})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	h := newHook(t, s.AuthToken())
	if status, _ := create(t, s, base, "+4791234567", h.srv.URL); status != 201 {
		t.Fatalf("got %d, want 201", status)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return: a callback goroutine was not stopped")
	}
	if forms, _ := h.received(); len(forms) != 0 {
		t.Errorf("got %d callbacks, want none", len(forms))
	}
	s.Close() // a second Close does nothing
	if _, err := s.Start(); err == nil {
		t.Error("Start after Close succeeded, want an error")
	}
}

func TestSameSeedSameRun(t *testing.T) {
	t.Parallel()
	run := func() []string {
		s, base, _ := start(t, faketwilio.Options{Seed: 42, Outcomes: faketwilio.OutcomeRates{Undelivered: 0.3, Failed: 0.2}})
		var out []string
		for range 20 {
			_, m := create(t, s, base, "+4791234567", "")
			out = append(out, m["sid"].(string))
		}
		for _, m := range s.Messages() {
			out = append(out, m.Outcome.Status())
		}
		return append(out, s.AccountSID(), s.AuthToken())
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Errorf("got different runs for one seed:\n%v\n%v", a, b)
	}
}

func ptr[T any](v T) *T { return &v }
