package httpapi

import (
	"net/url"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestWebhookAccountAndSender: a correctly signed webhook of another
// Twilio account, or without AccountSid, is 403 and stores nothing; an
// inbound SMS whose From is not a phone number is 422 naming From.
func TestWebhookAccountAndSender(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 1, "")
		for _, tt := range []struct {
			name    string
			edit    func(f url.Values)
			status  int
			message string
		}{
			{"other account", func(f url.Values) { f["AccountSid"] = []string{"AC" + "ffffffffffffffffffffffffffffffff"} }, 403, "AccountSid"},
			{"no account", func(f url.Values) { delete(f, "AccountSid") }, 403, "AccountSid"},
			{"account twice", func(f url.Values) { f["AccountSid"] = append(f["AccountSid"], f["AccountSid"][0]) }, 400, "AccountSid"},
			{"From not a number", func(f url.Values) { f["From"] = []string{"Evil Corp"} }, 422, "From"},
			{"From national", func(f url.Values) { f["From"] = []string{"91234567"} }, 422, "From"},
			{"From with letters", func(f url.Values) { f["From"] = []string{"+4791x34567"} }, 422, "From"},
			{"From too long", func(f url.Values) { f["From"] = []string{"+47912345678901234"} }, 422, "From"},
			{"From leading zero", func(f url.Values) { f["From"] = []string{"+0791234567"} }, 422, "From"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				f := e.smsForm(invitee(1), "JA")
				tt.edit(f)
				r := e.postSigned(InboundSMSPath, f)
				if r.status != tt.status {
					t.Fatalf("got %d %s, want %d", r.status, r.body, tt.status)
				}
				if msg := r.errorBody(t).Message; !strings.Contains(msg, tt.message) {
					t.Errorf("message %q does not name %s", msg, tt.message)
				}
				if e.stored(f.Get("MessageSid")) {
					t.Errorf("the message was stored")
				}
			})
		}
		if got := e.recipientState(invitee(1)); got != panel.RecipientInvited {
			t.Errorf("recipient state after refused webhooks: got %q, want %q", got, panel.RecipientInvited)
		}

		// A status callback of another account changes nothing.
		sid := e.outbound[1]
		f := url.Values{"AccountSid": {"ACffffffffffffffffffffffffffffffff"}, "MessageSid": {sid}, "MessageStatus": {"failed"}, "ErrorCode": {"21610"}}
		if r := e.postSigned(StatusCallbackPath, f); r.status != 403 {
			t.Fatalf("status callback of another account: got %d %s, want 403", r.status, r.body)
		}
		if m, err := st.FindOutboundMessage(e.ctx, 1); err != nil || m.State == panel.MessageFailed {
			t.Errorf("after a foreign status callback: message %+v, %v; want it unchanged", m, err)
		}
		// The right account is accepted.
		if r := e.postSigned(InboundSMSPath, e.smsForm(invitee(1), "JA")); r.status != 200 {
			t.Errorf("the configured account: got %d %s, want 200", r.status, r.body)
		}
	})
}
