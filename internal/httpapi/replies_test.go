package httpapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestInboxListAndResolve(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 3, "")
		inboxPath := fmt.Sprintf("/api/v1/campaigns/%d/inbox", e.campaign.ID)

		// Unclear replies: every one waits in the inbox; the first also
		// gets a re-prompt.
		if got := e.sms(invitee(1), "Hvem er dere?"); !strings.Contains(got, nbReprompt) {
			t.Fatalf("first unclear reply: got %q, want the re-prompt", got)
		}
		for i, body := range []string{"Hvor fikk dere nummeret mitt?", "Ring meg heller", "???"} {
			if got := e.sms(invitee(1+i%2), body); i == 0 && got != "" {
				t.Errorf("second unclear reply: got %q, want none", got)
			}
		}
		var list inboxList
		r := e.api("GET", inboxPath+"?state=open", e.org, "")
		if r.status != 200 {
			t.Fatalf("GET inbox: %d %s", r.status, r.body)
		}
		decode(t, r.body, &list)
		if list.Total != 4 || len(list.Messages) != 4 || *list.Messages[0].Body != "Hvem er dere?" || *list.Messages[1].Body != "Hvor fikk dere nummeret mitt?" {
			t.Fatalf("organiser's inbox: got %s, want 4 open messages with bodies, oldest first", r.body)
		}
		if list.Messages[0].RecipientPseudoID == "" || strings.Contains(string(r.body), string(invitee(1))) {
			t.Errorf("organiser's inbox: got %s, want pseudonyms and no phone numbers", r.body)
		}

		// Auditors see it pseudonymised, without bodies.
		r = e.api("GET", inboxPath, e.aud, "")
		if r.status != 200 || strings.Contains(string(r.body), "nummeret") || strings.Contains(string(r.body), `"body"`) {
			t.Errorf("auditor's inbox: got %d %s, want 200 without bodies", r.status, r.body)
		}

		// Resolve: organiser only, once, audited.
		mid := list.Messages[0].ID
		resolve := fmt.Sprintf("%s/%d/resolve", inboxPath, mid)
		if r := e.api("POST", resolve, e.aud, `{"resolution":"x"}`); r.status != 403 {
			t.Errorf("auditor resolves: got %d, want 403", r.status)
		}
		r = e.api("POST", resolve, e.org, `{"resolution":"Ringte og forklarte."}`)
		var m inboxMessage
		decode(t, r.body, &m)
		if r.status != 200 || m.Inbox != panel.InboxResolved || m.Resolution == nil || *m.Resolution != "Ringte og forklarte." {
			t.Fatalf("resolve: got %d %s", r.status, r.body)
		}
		if r := e.api("POST", resolve, e.org, `{"resolution":"igjen"}`); r.status != 409 {
			t.Errorf("resolve twice: got %d %s, want 409", r.status, r.body)
		}
		events, err := st.ListAuditEvents(e.ctx, panel.AuditFilter{Subject: fmt.Sprintf("campaign/%d/inbox/%d", e.campaign.ID, mid), Limit: 10})
		if err != nil || len(events) != 1 || events[0].Action != "inbox.resolved" || events[0].Actor != "olga" ||
			strings.Contains(string(events[0].Details), "Ringte") {
			t.Errorf("audit: got %+v, %v; want one inbox.resolved by olga without the note", events, err)
		}

		// Filters and pages.
		for _, c := range []struct {
			query       string
			total, page int
		}{
			{"?state=open", 3, 3}, {"?state=resolved", 1, 1}, {"", 4, 4}, {"?limit=1", 4, 1}, {"?offset=1", 4, 3}, {"?offset=5", 4, 0},
		} {
			var l inboxList
			r := e.api("GET", inboxPath+c.query, e.org, "")
			decode(t, r.body, &l)
			if r.status != 200 || l.Total != c.total || len(l.Messages) != c.page {
				t.Errorf("GET inbox%s: got %d total %d page %d, want total %d page %d", c.query, r.status, l.Total, len(l.Messages), c.total, c.page)
			}
		}

		// Bad requests.
		for _, c := range []struct {
			method, path, body string
			want               int
		}{
			{"GET", inboxPath + "?state=closed", "", 422},
			{"GET", inboxPath + "?limit=0", "", 422},
			{"GET", inboxPath + "?limit=x", "", 400},
			{"GET", inboxPath + "?sort=id", "", 422},
			{"GET", "/api/v1/campaigns/999/inbox", "", 404},
			{"GET", "/api/v1/campaigns/x/inbox", "", 400},
			{"POST", inboxPath + "/999/resolve", `{"resolution":""}`, 404},
			{"POST", inboxPath + "/abc/resolve", `{"resolution":""}`, 400},
			{"POST", fmt.Sprintf("/api/v1/campaigns/999/inbox/%d/resolve", mid), `{"resolution":""}`, 404},
			{"POST", fmt.Sprintf("%s/%d/resolve", inboxPath, list.Messages[1].ID), `{}`, 422},
			{"POST", fmt.Sprintf("%s/%d/resolve", inboxPath, list.Messages[1].ID), `{"resolution":1}`, 422},
			{"POST", fmt.Sprintf("%s/%d/resolve", inboxPath, list.Messages[1].ID), `{"resolution":"a"`, 400},
		} {
			r := e.api(c.method, c.path, e.org, c.body)
			if r.status != c.want {
				t.Errorf("%s %s %s: got %d %s, want %d", c.method, c.path, c.body, r.status, r.body, c.want)
			} else {
				r.errorBody(t)
			}
		}
		if r := e.api("GET", inboxPath, "nosuchtoken", ""); r.status != 401 {
			t.Errorf("bad token: got %d, want 401", r.status)
		}
	})
}

// poolView decodes the pool answer loosely, to see exactly which fields
// each role gets.
type poolView struct {
	Volunteers  []map[string]any  `json:"volunteers"`
	Composition panel.Composition `json:"composition"`
}

func TestPoolComposition(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		e := newReplyEnv(t, st, 6, "")
		// Recipients alternate kvinne, mann. 1, 2, 3 complete the dialogue;
		// 4 cannot attend; 5 stops half-way; 6 never answers.
		for i, answers := range [][]string{{"ja", "4 ja"}, {"yes", "2 yes"}, {"ja", "1 ja"}, {"ja", "3 nei"}, {"ja", "stopp"}} {
			for _, a := range answers {
				e.sms(invitee(i+1), a)
			}
		}
		quotas := []panel.Quota{
			{Category: "gender", Value: "kvinne", Min: 2, Max: 3},
			{Category: "gender", Value: "mann", Min: 2, Max: 3},
			{Category: "education", Value: panel.EducationLongHigh, Min: 0, Max: 2},
		}
		if err := st.SetQuotas(e.ctx, e.campaign.ID, quotas); err != nil {
			t.Fatalf("SetQuotas: %v", err)
		}
		path := fmt.Sprintf("/api/v1/campaigns/%d/pool", e.campaign.ID)
		r := e.api("GET", path, e.org, "")
		var org poolView
		decode(t, r.body, &org)
		if r.status != 200 || len(org.Volunteers) != 3 || org.Composition.Volunteers != 3 {
			t.Fatalf("organiser's pool: got %d %s, want 3 volunteers", r.status, r.body)
		}
		if len(org.Composition.Unmet) != 1 || org.Composition.Unmet[0].Value != "mann" || org.Composition.Unmet[0].Short != 1 {
			t.Errorf("unmet: got %+v, want gender=mann short by 1", org.Composition.Unmet)
		}
		v := org.Volunteers[0]
		values, _ := v["values"].(map[string]any)
		if v["recipient_id"] == nil || values["gender"] != "kvinne" || values["education"] != panel.EducationLongHigh {
			t.Errorf("organiser's volunteer: got %v, want recipient id and category values", v)
		}

		r = e.api("GET", path, e.aud, "")
		var aud poolView
		decode(t, r.body, &aud)
		if r.status != 200 || len(aud.Volunteers) != 3 {
			t.Fatalf("auditor's pool: got %d %s", r.status, r.body)
		}
		for _, v := range aud.Volunteers {
			if len(v) != 2 || v["id"] == "" || v["values"] == nil {
				t.Errorf("auditor's volunteer: got %v, want only id and values", v)
			}
		}
		for _, p := range e.invited {
			if strings.Contains(string(r.body), string(p)) || strings.Contains(string(r.body), strings.TrimPrefix(string(p), "+")) {
				t.Errorf("auditor's pool shows a phone number")
			}
		}
		for _, c := range []struct {
			path string
			want int
		}{
			{"/api/v1/campaigns/999/pool", 404}, {"/api/v1/campaigns/0/pool", 400}, {path + "?x=1", 422},
		} {
			if r := e.api("GET", c.path, e.org, ""); r.status != c.want {
				t.Errorf("GET %s: got %d, want %d", c.path, r.status, c.want)
			}
		}
		if r := e.api("POST", path, e.org, "{}"); r.status != 405 {
			t.Errorf("POST pool: got %d, want 405", r.status)
		}
	})
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("answer %q is not the expected JSON: %v", b, err)
	}
}

// FuzzWebhookForm feeds arbitrary bodies to the webhook form decoding: it
// must never panic, must answer a 4xx for what it refuses, and what it
// accepts must be valid UTF-8 within the limits.
func FuzzWebhookForm(f *testing.F) {
	for _, seed := range []string{
		"", "MessageSid=SM1&From=%2B4790000001&To=%2B4759440000&Body=ja",
		"MessageSid=SM1&From=x&Body=%ff%fe%00", "Body=%zz", "a=1;b=2", "MessageSid=SM1&MessageSid=SM2&From=x",
		"MessageSid=SM1&MessageStatus=delivered&ErrorCode=30003", "MessageSid=SM1&MessageStatus=failed&ErrorCode=-1",
		"SmsSid=SM9&SmsStatus=sent", "From=&MessageSid=%20", strings.Repeat("a=b&", 300),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		form, err := ParseWebhookForm(body)
		if err != nil {
			wantClientError(t, "ParseWebhookForm", err)
			return
		}
		if in, err := InboundFromForm(form); err != nil {
			wantClientError(t, "InboundFromForm", err)
		} else {
			switch {
			case in.ProviderID == "" || in.From == "":
				t.Errorf("InboundFromForm accepted %+v without id or sender", in)
			case !utf8.ValidString(in.Body) || strings.ContainsRune(in.Body, 0) || utf8.RuneCountInString(in.Body) > panel.MaxInboundBody:
				t.Errorf("InboundFromForm: body not cleaned: %q", in.Body)
			}
		}
		if st, err := StatusFromForm(form); err != nil {
			wantClientError(t, "StatusFromForm", err)
		} else if st.MessageSid == "" || st.Status == "" || st.ErrorCode < 0 {
			t.Errorf("StatusFromForm accepted %+v", st)
		}
		// The decoding is stable: a form re-encoded decodes the same.
		again, err := url.ParseQuery(form.Encode())
		if err != nil || len(again) != len(form) {
			t.Errorf("re-encoded form: got %v, %v, want %v", again, err, form)
		}
	})
}

// wantClientError fails unless err would be answered with a 4xx.
func wantClientError(t *testing.T, what string, err error) {
	t.Helper()
	if he, ok := err.(*httpError); ok {
		if he.status < 400 || he.status > 499 {
			t.Errorf("%s: got status %d, want a 4xx", what, he.status)
		}
		return
	}
	if s := statusOf(panel.ErrorCode(err)); s < 400 || s > 499 {
		t.Errorf("%s: got %v (status %d), want a 4xx", what, err, s)
	}
}
