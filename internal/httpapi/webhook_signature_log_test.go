package httpapi

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestBadSignatureLogsCheckedURLOnce: when PANEL_PUBLIC_URL is not the
// address Twilio posts to, every webhook fails its signature check; the
// log says once per URL which URL the signature was checked against (and
// where the request arrived), without the sender's number or the text.
func TestBadSignatureLogsCheckedURLOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := newReplyEnv(t, st, 1, "https://wrong.example.org")
		const ct = "application/x-www-form-urlencoded"
		for range 3 {
			// Twilio signs the address it posts to: the server's own.
			form := e.smsForm(invitee(1), "ja takk")
			if r := e.post(InboundSMSPath, ct, form.Encode(), e.fake.Sign(e.url+InboundSMSPath, form)); r.status != 403 {
				t.Fatalf("got %d %s, want 403", r.status, r.body)
			}
		}
		form := e.smsForm(invitee(1), "ja takk")
		if r := e.post(StatusCallbackPath, ct, form.Encode(), e.fake.Sign(e.url+StatusCallbackPath, form)); r.status != 403 {
			t.Fatalf("status callback: got %d %s, want 403", r.status, r.body)
		}
		logs := e.logs.String()
		for _, want := range []string{
			`"checked_url":"https://wrong.example.org/webhooks/twilio/sms"`,
			`"checked_url":"https://wrong.example.org/webhooks/twilio/status"`,
		} {
			if n := strings.Count(logs, want); n != 1 {
				t.Errorf("log lines with %s: got %d, want 1\nlogs:\n%s", want, n, logs)
			}
		}
		if !strings.Contains(logs, `"arrived_host":"`+strings.TrimPrefix(e.url, "http://")+`"`) {
			t.Errorf("logs do not name the host the request arrived at (%s):\n%s", e.url, logs)
		}
		for _, secret := range []string{string(invitee(1)), strings.TrimPrefix(string(invitee(1)), "+"), "ja takk", "ja+takk", e.fake.AuthToken()} {
			if strings.Contains(logs, secret) {
				t.Errorf("logs contain %q:\n%s", secret, logs)
			}
		}
	})
}
