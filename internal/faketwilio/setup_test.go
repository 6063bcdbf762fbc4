package faketwilio_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// start starts a fake with opts (a fake clock unless opts sets one) and
// closes it when the test ends.
func start(t *testing.T, opts faketwilio.Options) (*faketwilio.Server, string, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	if opts.Clock == nil {
		opts.Clock = clock.Now
	}
	s := faketwilio.New(opts)
	base, err := s.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Close)
	return s, base, clock
}

// messagesURL is the Messages list resource of the fake's account.
func messagesURL(base string, s *faketwilio.Server) string {
	return base + "/2010-04-01/Accounts/" + s.AccountSID() + "/Messages.json"
}

// do sends a request with the fake's credentials (user and pass override
// them when not empty) and decodes the JSON answer into a map.
func do(t *testing.T, s *faketwilio.Server, method, target string, form url.Values, user, pass string) (int, http.Header, map[string]any) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if user == "" {
		user, pass = s.AccountSID(), s.AuthToken()
	}
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", method, target, err)
	}
	var out map[string]any
	if len(raw) > 0 { // 204 answers have no body
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: decode answer: %v", method, target, err)
		}
	}
	return resp.StatusCode, resp.Header, out
}

// create posts a message from a number to to.
func create(t *testing.T, s *faketwilio.Server, base, to, callback string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"To": {to}, "From": {"+4759440000"}, "Body": {"Hei! Svar JA eller NEI."}}
	if callback != "" {
		form.Set("StatusCallback", callback)
	}
	status, _, out := do(t, s, http.MethodPost, messagesURL(base, s), form, "", "")
	return status, out
}

// stringsReader returns a reader over s.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }
