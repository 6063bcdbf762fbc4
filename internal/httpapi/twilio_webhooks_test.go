package httpapi

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// Expected parts of replies (the inbox package's texts).
const (
	nbWelcome  = "Så fint at du vil være med!"
	enWelcome  = "Great that you want to take part!"
	nbDeclined = "Takk for svaret. Ha en fin dag!"
	enDeclined = "Thank you for your answer. Have a nice day!"
	nbStopped  = "Du er meldt av"
	enStopped  = "You are unsubscribed"
	nbReprompt = "Vi forstod ikke svaret. Svar JA"
	nbAttend   = "Kan du delta på alle de fire møtedatoene?"
	nbComplete = "Du er nå med i trekningen"
	nbAlready  = "Du er allerede registrert"
	nbEduQ     = "Hva er din høyeste fullførte utdanning?"
	enEduQ     = "What is your highest completed education?"
)

func TestInboundKeywordFamilies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body, optOut string
		want         string // part of the reply
		state        string // the recipient's state after
	}{
		{body: "JA", want: nbWelcome + " " + nbEduQ, state: panel.RecipientVolunteered},
		{body: "ja takk", want: nbWelcome, state: panel.RecipientVolunteered},
		{body: "Jada, gjerne!! 👍\nHilsen Kari", want: nbWelcome, state: panel.RecipientVolunteered},
		{body: "sjølvsagt", want: nbWelcome, state: panel.RecipientVolunteered},
		{body: "J", want: nbWelcome, state: panel.RecipientVolunteered},
		{body: "YES", want: enWelcome + " " + enEduQ, state: panel.RecipientVolunteered},
		{body: "  yes please :) ", want: enWelcome, state: panel.RecipientVolunteered},
		{body: "Y", want: nbWelcome, state: panel.RecipientVolunteered},
		{body: "NEI", want: nbDeclined, state: panel.RecipientDeclined},
		{body: "nei takk", want: nbDeclined, state: panel.RecipientDeclined},
		{body: "ikkje interessert", want: nbDeclined, state: panel.RecipientDeclined},
		{body: "NO", want: enDeclined, state: panel.RecipientDeclined},
		{body: "No thanks.", want: enDeclined, state: panel.RecipientDeclined},
		{body: "N", want: nbDeclined, state: panel.RecipientDeclined},
		{body: "STOPP", want: nbStopped, state: panel.RecipientOptedOut},
		{body: "Avslutt", want: nbStopped, state: panel.RecipientOptedOut},
		{body: "ikkje send fleire", want: nbStopped, state: panel.RecipientOptedOut},
		{body: "STOP", want: enStopped, state: panel.RecipientOptedOut},
		{body: "unsubscribe", want: enStopped, state: panel.RecipientOptedOut},
		{body: "ja stopp", want: nbStopped, state: panel.RecipientOptedOut},
		{body: "ja", optOut: "STOP", want: nbStopped, state: panel.RecipientOptedOut},
	}
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, len(tests), "")
		for i, tt := range tests {
			from := invitee(i + 1)
			var extra []string
			if tt.optOut != "" {
				extra = []string{"OptOutType", tt.optOut}
			}
			if got := e.sms(from, tt.body, extra...); !strings.Contains(got, tt.want) {
				t.Errorf("%q (OptOutType %q): got reply %q, want %q in it", tt.body, tt.optOut, got, tt.want)
			}
			if got := e.recipientState(from); got != tt.state {
				t.Errorf("%q: recipient state %q, want %q", tt.body, got, tt.state)
			}
		}
		if got := e.counter("panel_sms_inbound_total", "result", "replied"); got != float64(len(tests)) {
			t.Errorf("panel_sms_inbound_total{result=replied}: got %v, want %d", got, len(tests))
		}
	})
}

func TestInboundDialogueAndStop(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 3, "")
		ctx := e.ctx

		// The whole dialogue in separate messages, then a repeated yes.
		p := invitee(1)
		for i, step := range []struct{ body, want string }{
			{"Ja", nbEduQ},
			{"hæ?", "Vi forstod ikke svaret. " + nbEduQ}, // one re-ask
			{"3", nbAttend},
			{"ja", nbComplete},
			{"JA!", nbAlready},
		} {
			if got := e.sms(p, step.body); !strings.Contains(got, step.want) {
				t.Fatalf("step %d %q: got %q, want %q in it", i+1, step.body, got, step.want)
			}
		}
		v, err := st.FindVolunteerByRecipient(ctx, 1)
		if err != nil || !v.Complete || v.Values[panel.CategoryEducation] != panel.EducationShortHigh {
			t.Fatalf("volunteer: got %+v, %v; want complete with kort høyere", v, err)
		}

		// Both answers in one message.
		e.sms(invitee(2), "ja")
		if got := e.sms(invitee(2), "Jeg har master, og kommer gjerne på alle"); !strings.Contains(got, nbComplete) {
			t.Errorf("one-message dialogue: got %q, want %q", got, nbComplete)
		}

		// STOP in the middle of the dialogue: a queued message is
		// cancelled, one confirmation, then silence whatever is sent.
		q := invitee(3)
		e.sms(q, "ja")
		reminder := &panel.OutboundMessage{CampaignID: e.campaign.ID, RecipientID: 3, Kind: panel.KindNotice,
			Body: "Påminnelse", DedupKey: "notice/test/3"}
		if _, err := st.Enqueue(ctx, []*panel.OutboundMessage{reminder}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		if got := e.sms(q, "stopp"); !strings.Contains(got, nbStopped) {
			t.Fatalf("stop: got %q, want %q", got, nbStopped)
		}
		for _, body := range []string{"ja", "stopp", "2", "hallo?"} {
			if got := e.sms(q, body); got != "" {
				t.Errorf("after STOP, %q: got reply %q, want none", body, got)
			}
		}
		stats, err := st.CampaignSendStats(ctx, e.campaign.ID)
		if err != nil || stats.Queued != 0 || stats.Cancelled != 1 {
			t.Errorf("after STOP: send stats %+v, %v; want the queued notice cancelled", stats, err)
		}
		if claimed, err := st.Claim(ctx, "after-stop", time.Now().Add(24*time.Hour), 10, time.Minute); err != nil || len(claimed) != 0 {
			t.Errorf("after STOP: claimed %d messages (%v), want none", len(claimed), err)
		}

		// A number that was never invited: stored, not answered.
		form := e.smsForm("+4799999999", "ja")
		if r := e.postSigned(InboundSMSPath, form); r.status != 200 || twimlReply(t, string(r.body)) != "" {
			t.Errorf("unknown number: got %d %s, want 200 and an empty response", r.status, r.body)
		}
		m, err := st.FindInboundByProviderID(ctx, form.Get("MessageSid"))
		if err != nil || m.State != panel.InboundIgnored || m.RecipientID != 0 {
			t.Errorf("unknown number: stored %+v, %v; want an ignored message without recipient", m, err)
		}
	})
}

func TestInboundDuplicateMessageSid(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 2, "")
		p := invitee(1)
		first := e.smsForm(p, "ja")
		want := twimlReply(t, string(e.postSigned(InboundSMSPath, first).body))
		if !strings.Contains(want, nbWelcome) {
			t.Fatalf("first delivery: got %q, want the welcome", want)
		}
		// Twilio retries the same message (even concurrently): the same
		// answer, and the dialogue does not move on.
		var wg sync.WaitGroup
		replies := make([]response, 8)
		for i := range replies {
			wg.Go(func() { replies[i] = e.postSigned(InboundSMSPath, first) })
		}
		wg.Wait()
		for i, r := range replies {
			if got := twimlReply(t, string(r.body)); r.status != 200 || got != want {
				t.Errorf("retry %d: got %d %q, want 200 %q", i, r.status, got, want)
			}
		}
		// Concurrent first deliveries of a new message: one counts.
		e.sms(invitee(2), "ja")
		second := e.smsForm(invitee(2), "2 ja")
		for i := range replies {
			wg.Go(func() { replies[i] = e.postSigned(InboundSMSPath, second) })
		}
		wg.Wait()
		for i, r := range replies {
			if got := twimlReply(t, string(r.body)); r.status != 200 || got != twimlReply(t, string(replies[0].body)) {
				t.Errorf("concurrent delivery %d: got %d %q, want what the others got", i, r.status, got)
			}
		}
		if got := e.sms(p, "1"); !strings.Contains(got, nbAttend) {
			t.Errorf("after the retries: got %q, want the next question (the retries did not count)", got)
		}
		v, err := st.FindVolunteerByRecipient(e.ctx, 2)
		if err != nil {
			t.Fatalf("FindVolunteerByRecipient: %v", err)
		}
		answers, err := st.ListAnswers(e.ctx, v.ID)
		if err != nil || len(answers) != 2 {
			t.Errorf("concurrent duplicates: got answers %+v, %v, want 2", answers, err)
		}
	})
}

func TestWebhookSignature(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		// Behind a proxy: the public URL counts, never the Host header.
		e := newReplyEnv(t, st, 1, "https://panel.example.org")
		const ct = "application/x-www-form-urlencoded"
		tests := []struct {
			name string
			sign func(form url.Values) (path, body, signature string)
		}{
			{"missing", func(f url.Values) (string, string, string) { return InboundSMSPath, f.Encode(), "" }},
			{"garbage", func(f url.Values) (string, string, string) { return InboundSMSPath, f.Encode(), "not-a-signature" }},
			{"signed for the request's host", func(f url.Values) (string, string, string) {
				return InboundSMSPath, f.Encode(), e.fake.Sign(e.url+InboundSMSPath, f)
			}},
			{"signed for another path", func(f url.Values) (string, string, string) {
				return InboundSMSPath, f.Encode(), e.fake.Sign(e.publicURL+StatusCallbackPath, f)
			}},
			{"query added after signing", func(f url.Values) (string, string, string) {
				return InboundSMSPath + "?x=1", f.Encode(), e.fake.Sign(e.publicURL+InboundSMSPath, f)
			}},
			{"body changed after signing", func(f url.Values) (string, string, string) {
				sig := e.fake.Sign(e.publicURL+InboundSMSPath, f)
				f.Set("Body", "nei")
				return InboundSMSPath, f.Encode(), sig
			}},
			{"field added after signing", func(f url.Values) (string, string, string) {
				sig := e.fake.Sign(e.publicURL+InboundSMSPath, f)
				f.Set("OptOutType", "STOP")
				return InboundSMSPath, f.Encode(), sig
			}},
			{"field removed after signing", func(f url.Values) (string, string, string) {
				sig := e.fake.Sign(e.publicURL+InboundSMSPath, f)
				f.Del("NumMedia")
				return InboundSMSPath, f.Encode(), sig
			}},
			{"another account's token", func(f url.Values) (string, string, string) {
				other := faketwilio.New(faketwilio.Options{AuthToken: "someoneelse"})
				return InboundSMSPath, f.Encode(), other.Sign(e.publicURL+InboundSMSPath, f)
			}},
		}
		for _, tt := range tests {
			form := e.smsForm(invitee(1), "ja")
			path, body, sig := tt.sign(form)
			r := e.post(path, ct, body, sig)
			if r.status != 403 || r.errorBody(t).Code != panel.EFORBIDDEN {
				t.Errorf("%s: got %d %s, want 403 forbidden", tt.name, r.status, r.body)
			}
			if e.stored(form.Get("MessageSid")) {
				t.Errorf("%s: the message was stored", tt.name)
			}
		}
		if got := e.recipientState(invitee(1)); got != panel.RecipientInvited {
			t.Errorf("after forged requests: recipient %q, want still invited", got)
		}
		// Correctly signed, also with a query string Twilio was given.
		form := e.smsForm(invitee(1), "ja")
		if r := e.postSigned(InboundSMSPath+"?campaign=trd", form); r.status != 200 || !strings.Contains(string(r.body), nbWelcome) {
			t.Errorf("signed with query: got %d %s, want 200 with the welcome", r.status, r.body)
		}
	})
}

func TestWebhookBadBodies(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 1, "")
		const form = "application/x-www-form-urlencoded"
		signed := func(path, body string) string {
			f, err := url.ParseQuery(body)
			if err != nil {
				t.Fatalf("test body %q: %v", body, err)
			}
			return e.fake.Sign(e.publicURL+path, f)
		}
		ok := e.smsForm(invitee(1), "hei")
		long := e.smsForm(invitee(1), strings.Repeat("æ😀", 1000))
		twice := e.smsForm(invitee(1), "ja")
		twice.Add("MessageSid", "SMother")
		many := url.Values{}
		for i := range 250 {
			many.Set(fmt.Sprintf("F%d", i), "x")
		}
		noFrom := e.smsForm("", "ja")
		noFrom.Del("From")
		a := "AccountSid=" + e.fake.AccountSID() // the configured account
		tests := []struct {
			name, path, ct, body, sig string
			want                      int
		}{
			{"json", InboundSMSPath, "application/json", `{"MessageSid":"SM1"}`, "x", 415},
			{"no content type", InboundSMSPath, "", ok.Encode(), signed(InboundSMSPath, ok.Encode()), 415},
			{"multipart", StatusCallbackPath, "multipart/form-data; boundary=x", "--x--", "x", 415},
			{"bad media type", InboundSMSPath, "application/x-www-form-urlencoded; ;", ok.Encode(), "x", 415},
			{"empty unsigned", InboundSMSPath, form, "", "", 403},
			{"empty signed", InboundSMSPath, form, a, signed(InboundSMSPath, a), 422},
			{"bad percent escape", InboundSMSPath, form, "Body=%zz&From=%2B4790000001", "x", 400},
			{"semicolon separator", InboundSMSPath, form, "Body=a;From=b", "x", 400},
			{"too large", InboundSMSPath, form, "Body=" + strings.Repeat("a", 70<<10), "x", 413},
			{"too many fields", InboundSMSPath, form, many.Encode(), signed(InboundSMSPath, many.Encode()), 400},
			{"MessageSid twice", InboundSMSPath, form, twice.Encode(), signed(InboundSMSPath, twice.Encode()), 400},
			{"no From", InboundSMSPath, form, noFrom.Encode(), signed(InboundSMSPath, noFrom.Encode()), 422},
			{"invalid UTF-8 body", InboundSMSPath, form, a + "&Body=%ff%fe%00ja&From=%2B4790000099&MessageSid=SMutf8",
				signed(InboundSMSPath, a+"&Body=%ff%fe%00ja&From=%2B4790000099&MessageSid=SMutf8"), 200},
			{"long body", InboundSMSPath, form, long.Encode(), signed(InboundSMSPath, long.Encode()), 200},
			{"status without status", StatusCallbackPath, form, a + "&MessageSid=SM1", signed(StatusCallbackPath, a+"&MessageSid=SM1"), 422},
			{"status bad code", StatusCallbackPath, form, a + "&MessageSid=SM1&MessageStatus=failed&ErrorCode=x1",
				signed(StatusCallbackPath, a+"&MessageSid=SM1&MessageStatus=failed&ErrorCode=x1"), 422},
			{"status sid with space", StatusCallbackPath, form, a + "&MessageSid=S+M&MessageStatus=sent",
				signed(StatusCallbackPath, a+"&MessageSid=S+M&MessageStatus=sent"), 422},
			{"a bad MessageSid", InboundSMSPath, form, a + "&MessageSid=%01&From=x", signed(InboundSMSPath, a+"&MessageSid=%01&From=x"), 422},
		}
		for _, tt := range tests {
			r := e.post(tt.path, tt.ct, tt.body, tt.sig)
			if r.status != tt.want {
				t.Errorf("%s: got %d %s, want %d", tt.name, r.status, r.body, tt.want)
				continue
			}
			if tt.want != 200 {
				r.errorBody(t)
			}
		}
		m, err := st.FindInboundByProviderID(e.ctx, long.Get("MessageSid"))
		if err != nil {
			t.Fatalf("long body: %v", err)
		}
		if got := len([]rune(m.Body)); got != panel.MaxInboundBody {
			t.Errorf("long body: stored %d characters, want %d", got, panel.MaxInboundBody)
		}
	})
}

func TestInboundStoreDown(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 1, "")
		form := e.smsForm(invitee(1), "ja")
		if err := st.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		r := e.postSigned(InboundSMSPath, form)
		if r.status != 503 || r.errorBody(t).Code != panel.EUNAVAILABLE || strings.Contains(string(r.body), "sql") {
			t.Errorf("store closed: got %d %s, want 503 unavailable without details", r.status, r.body)
		}
		r = e.postSigned(StatusCallbackPath, url.Values{"AccountSid": {e.fake.AccountSID()}, "MessageSid": {"SM1"}, "MessageStatus": {"sent"}})
		if r.status != 503 {
			t.Errorf("status callback, store closed: got %d %s, want 503", r.status, r.body)
		}
	})
}

func TestStatusCallbacks(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 2, "")
		sid := e.outbound[1]
		status := func(sid, status, code string) url.Values {
			f := url.Values{"AccountSid": {e.fake.AccountSID()}, "MessageSid": {sid}, "SmsSid": {sid},
				"MessageStatus": {status}, "SmsStatus": {status}, "To": {string(invitee(1))}, "From": {ourNumber}}
			if code != "" {
				f.Set("ErrorCode", code)
			}
			return f
		}
		state := func() string {
			m, err := st.FindOutboundMessage(e.ctx, 1)
			if err != nil {
				t.Fatalf("FindOutboundMessage: %v", err)
			}
			return m.State
		}
		for _, step := range []struct {
			status, code string
			want         string
		}{
			{"sent", "", panel.MessageSent},
			{"delivered", "", panel.MessageDelivered},
			{"sent", "", panel.MessageDelivered},             // late
			{"queued", "", panel.MessageDelivered},           // late
			{"undelivered", "30003", panel.MessageDelivered}, // after a final state
			{"delivered", "", panel.MessageDelivered},        // repeated
			{"weird-status", "", panel.MessageDelivered},     // unknown
		} {
			r := e.postSigned(StatusCallbackPath, status(sid, step.status, step.code))
			if r.status != 204 || len(r.body) != 0 {
				t.Fatalf("%s: got %d %q, want an empty 204", step.status, r.status, r.body)
			}
			if got := state(); got != step.want {
				t.Errorf("after %s: state %q, want %q", step.status, got, step.want)
			}
		}
		// Forged: refused and nothing changes.
		other := e.outbound[2]
		f := status(other, "failed", "21610")
		r := e.post(StatusCallbackPath, "application/x-www-form-urlencoded", f.Encode(), e.fake.Sign(e.publicURL+InboundSMSPath, f))
		if r.status != 403 {
			t.Errorf("forged status: got %d, want 403", r.status)
		}
		if got := e.recipientState(invitee(2)); got != panel.RecipientInvited {
			t.Errorf("forged unsubscribe: recipient %q, want invited", got)
		}
		// A real unsubscribe marks the recipient.
		if r := e.postSigned(StatusCallbackPath, f); r.status != 204 {
			t.Errorf("failed 21610: got %d %s", r.status, r.body)
		}
		if got := e.recipientState(invitee(2)); got != panel.RecipientOptedOut {
			t.Errorf("after 21610: recipient %q, want opted_out", got)
		}
		// A callback for an id not stored yet is kept, not refused.
		if r := e.postSigned(StatusCallbackPath, status("SMnotyet", "delivered", "")); r.status != 204 {
			t.Errorf("early status: got %d %s, want 204", r.status, r.body)
		}
		for label, want := range map[string]float64{"sent": 2, "delivered": 3, "other": 1, "failed": 1} {
			if got := e.counter("panel_sms_status_callbacks_total", "status", label); got != want {
				t.Errorf("panel_sms_status_callbacks_total{status=%q}: got %v, want %v", label, got, want)
			}
		}
	})
}
