package faketwilio_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

var sidPattern = regexp.MustCompile(`^SM[0-9a-f]{32}$`)

func TestCreateAnswersLikeTwilio(t *testing.T) {
	t.Parallel()
	s, base, clock := start(t, faketwilio.Options{Seed: 3})
	status, m := create(t, s, base, "+4791234567", "")
	if status != http.StatusCreated {
		t.Fatalf("got status %d, want 201: %v", status, m)
	}
	sid, _ := m["sid"].(string)
	want := map[string]any{
		"status":        "queued",
		"to":            "+4791234567",
		"from":          "+4759440000",
		"body":          "Hei! Svar JA eller NEI.",
		"num_segments":  "1",
		"num_media":     "0",
		"direction":     "outbound-api",
		"api_version":   "2010-04-01",
		"account_sid":   s.AccountSID(),
		"date_created":  clock.Now().Format(time.RFC1123Z),
		"uri":           "/2010-04-01/Accounts/" + s.AccountSID() + "/Messages/" + sid + ".json",
		"price":         nil,
		"error_code":    nil,
		"error_message": nil,
		"date_sent":     nil,
	}
	if !sidPattern.MatchString(sid) {
		t.Errorf("got sid %q, want SM and 32 hex digits", sid)
	}
	for k, v := range want {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("field %s: got %#v, want %#v", k, got, v)
		}
	}
	if got := s.Requests(); got != 1 {
		t.Errorf("got %d requests, want 1", got)
	}
}

func TestCreateRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		inject     func(*faketwilio.Server)
		form       url.Values
		user, pass string
		wantStatus int
		wantCode   int
		wantHeader string // a header the answer must carry
	}{
		{name: "wrong token", user: "ACx", pass: "nope", wantStatus: 401, wantCode: 20003, wantHeader: "WWW-Authenticate"},
		{name: "missing to", form: url.Values{"From": {"+4759440000"}, "Body": {"x"}}, wantStatus: 400, wantCode: 21604},
		{name: "missing sender", form: url.Values{"To": {"+4791234567"}, "Body": {"x"}}, wantStatus: 400, wantCode: 21603},
		{name: "missing body", form: url.Values{"To": {"+4791234567"}, "From": {"+4759440000"}}, wantStatus: 400, wantCode: 21602},
		{name: "malformed number", form: url.Values{"To": {"91234567"}, "From": {"+4759440000"}, "Body": {"x"}}, wantStatus: 400, wantCode: 21211},
		{name: "bad callback", form: url.Values{"To": {"+4791234567"}, "From": {"+4759440000"}, "Body": {"x"}, "StatusCallback": {"/relative"}}, wantStatus: 400, wantCode: 21609},
		{name: "invalid number", inject: func(s *faketwilio.Server) { s.SetNumberError("+4791234567", 21211) }, wantStatus: 400, wantCode: 21211},
		{name: "unsubscribed", inject: func(s *faketwilio.Server) { s.SetNumberError("+4791234567", 21610) }, wantStatus: 400, wantCode: 21610},
		{name: "not mobile", inject: func(s *faketwilio.Server) { s.SetNumberError("+4791234567", 21614) }, wantStatus: 400, wantCode: 21614},
		{name: "rate limited", inject: func(s *faketwilio.Server) { s.RateLimitNext(1) }, wantStatus: 429, wantCode: 20429, wantHeader: "Retry-After"},
		{name: "always rate limited", inject: func(s *faketwilio.Server) { s.SetRateLimit(1) }, wantStatus: 429, wantCode: 20429},
		{name: "server error", inject: func(s *faketwilio.Server) { s.FailNext(1, 500) }, wantStatus: 500, wantCode: 20500},
		{name: "unavailable", inject: func(s *faketwilio.Server) { s.FailNext(1, 503) }, wantStatus: 503, wantCode: 20503},
		{name: "accepted then 500", inject: func(s *faketwilio.Server) { s.AcceptThenFail(1, faketwilio.Answer500) }, wantStatus: 500, wantCode: 20500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, base, _ := start(t, faketwilio.Options{})
			if tt.inject != nil {
				tt.inject(s)
			}
			form := tt.form
			if form == nil {
				form = url.Values{"To": {"+4791234567"}, "From": {"+4759440000"}, "Body": {"x"}}
			}
			status, header, out := do(t, s, http.MethodPost, messagesURL(base, s), form, tt.user, tt.pass)
			if status != tt.wantStatus {
				t.Errorf("got status %d, want %d", status, tt.wantStatus)
			}
			if code, _ := out["code"].(float64); int(code) != tt.wantCode {
				t.Errorf("got code %v, want %d", out["code"], tt.wantCode)
			}
			if st, _ := out["status"].(float64); int(st) != tt.wantStatus {
				t.Errorf("got body status %v, want %d", out["status"], tt.wantStatus)
			}
			if out["message"] == "" || out["more_info"] == "" {
				t.Errorf("got %v, want message and more_info", out)
			}
			if tt.wantHeader != "" && header.Get(tt.wantHeader) == "" {
				t.Errorf("got no %s header, want one", tt.wantHeader)
			}
			if s.Requests() != 1 {
				t.Errorf("got %d requests, want 1", s.Requests())
			}
		})
	}
}

func TestFaultsWearOff(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	s.RateLimitNext(2)
	s.FailNext(1, 503)
	s.AcceptThenFail(1, faketwilio.Answer500)
	var got []int
	for range 6 {
		status, _ := create(t, s, base, "+4791234567", "")
		got = append(got, status)
	}
	want := []int{503, 429, 429, 500, 201, 201}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got statuses %v, want %v", got, want)
		}
	}
	if n := s.CountTo("+4791234567"); n != 3 {
		t.Errorf("got %d messages created, want 3 (accepted-then-failed included)", n)
	}
	if n := s.Requests(); n != 6 {
		t.Errorf("got %d requests, want 6", n)
	}
}

func TestDropConnectionCreatesButDoesNotAnswer(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	s.AcceptThenFail(1, faketwilio.DropConnection)
	form := url.Values{"To": {"+4791234567"}, "From": {"+4759440000"}, "Body": {"x"}}
	resp, err := http.PostForm(messagesURL(base, s), form) // no auth: 401, answered
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("got %d without credentials, want 401", resp.StatusCode)
	}
	if s.CountTo("+4791234567") != 0 {
		t.Fatal("got a message created without credentials")
	}
	r2, _ := http.NewRequest(http.MethodPost, messagesURL(base, s), stringsReader(form.Encode()))
	r2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r2.SetBasicAuth(s.AccountSID(), s.AuthToken())
	if resp, err := http.DefaultClient.Do(r2); err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want the connection dropped", resp.StatusCode)
	}
	if got := s.CountTo("+4791234567"); got != 1 {
		t.Errorf("got %d messages, want 1", got)
	}
}

func TestFetchAndList(t *testing.T) {
	t.Parallel()
	s, base, clock := start(t, faketwilio.Options{})
	var sids []string
	for i := range 5 {
		to := "+4791234567"
		if i%2 == 1 {
			to = "+4790000000"
		}
		_, m := create(t, s, base, to, "")
		sids = append(sids, m["sid"].(string))
		clock.Advance(time.Hour)
	}

	status, _, m := do(t, s, http.MethodGet, base+"/2010-04-01/Accounts/"+s.AccountSID()+"/Messages/"+sids[2]+".json", nil, "", "")
	if status != 200 || m["sid"] != sids[2] {
		t.Errorf("fetch: got %d %v, want 200 and sid %s", status, m["sid"], sids[2])
	}
	status, _, m = do(t, s, http.MethodGet, base+"/2010-04-01/Accounts/"+s.AccountSID()+"/Messages/SMnope.json", nil, "", "")
	if status != 404 || m["code"] != float64(20404) {
		t.Errorf("fetch unknown: got %d %v, want 404 code 20404", status, m)
	}

	// Page through the messages to +4791234567 two at a time.
	next := "/2010-04-01/Accounts/" + s.AccountSID() + "/Messages.json?To=%2B4791234567&PageSize=2"
	var got []string
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		status, _, page := do(t, s, http.MethodGet, base+next, nil, "", "")
		if status != 200 {
			t.Fatalf("list: got %d %v", status, page)
		}
		if page["page_size"] != float64(2) || page["page"] != float64(pages) {
			t.Errorf("got page %v size %v, want %d and 2", page["page"], page["page_size"], pages)
		}
		for _, item := range page["messages"].([]any) {
			got = append(got, item.(map[string]any)["sid"].(string))
		}
		next, _ = page["next_page_uri"].(string)
	}
	want := []string{sids[4], sids[2], sids[0]} // newest first
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestListDateSentFilters(t *testing.T) {
	t.Parallel()
	s, base, clock := start(t, faketwilio.Options{})
	// Three messages one day apart; each is sent (date_sent set) at once.
	for range 3 {
		create(t, s, base, "+4791234567", "")
		waitFor(t, func() bool { return allSent(s) })
		clock.Advance(24 * time.Hour)
	}
	tests := []struct {
		name  string
		query string
		want  int
	}{
		{name: "no filter", query: "", want: 3},
		{name: "after day two", query: "DateSent%3E=2026-11-26", want: 2},
		{name: "before day two", query: "DateSent%3C=2026-11-26", want: 2},
		{name: "on day two", query: "DateSent=2026-11-26", want: 1},
		{name: "after instant", query: "DateSent%3E=2026-11-26T09:00:01Z", want: 1},
	}
	for _, tt := range tests {
		status, _, page := do(t, s, http.MethodGet, messagesURL(base, s)+"?"+tt.query, nil, "", "")
		if status != 200 {
			t.Fatalf("%s: got %d %v", tt.name, status, page)
		}
		if got := len(page["messages"].([]any)); got != tt.want {
			t.Errorf("%s: got %d messages, want %d", tt.name, got, tt.want)
		}
	}
	status, _, page := do(t, s, http.MethodGet, messagesURL(base, s)+"?DateSent%3E=yesterday", nil, "", "")
	if status != 400 {
		t.Errorf("bad date: got %d %v, want 400", status, page)
	}
}

func TestReset(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	s.SetNumberError("+4791234567", 21610)
	create(t, s, base, "+4791234567", "")
	create(t, s, base, "+4790000000", "")
	s.Reset()
	if len(s.Messages()) != 0 || s.Requests() != 0 {
		t.Fatalf("got %d messages and %d requests after Reset, want none", len(s.Messages()), s.Requests())
	}
	if status, _ := create(t, s, base, "+4791234567", ""); status != 201 {
		t.Errorf("got %d after Reset, want 201 (faults cleared)", status)
	}
}

// waitFor polls cond until it holds, failing after a generous guard.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(time.Millisecond)
	}
}

// allSent reports whether every message has passed "sent".
func allSent(s *faketwilio.Server) bool {
	for _, m := range s.Messages() {
		if m.DateSent.IsZero() {
			return false
		}
	}
	return true
}

func TestFaultsAreSafeToChangeWhileServing(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				form := url.Values{"To": {"+4791234567"}, "From": {"+4759440000"}, "Body": {"x"}}
				req, _ := http.NewRequest(http.MethodPost, messagesURL(base, s), strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(s.AccountSID(), s.AuthToken())
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 50 {
			s.SetRateLimit(float64(i%3) / 4)
			s.FailNext(1, 503)
			s.SetNumberError("+4791234567", []int{0, 21610}[i%2])
			s.SetOutcome("+4791234567", faketwilio.Undelivered30003)
			s.SetCallbackOptions(faketwilio.CallbackOptions{Duplicate: 0.5})
			_ = s.Messages()
		}
		s.ResetFaults()
	})
	wg.Wait()
	if got := s.Requests(); got != 160 {
		t.Errorf("got %d requests counted, want 160", got)
	}
}

func TestRetryAfterAndDelay(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	if s.BaseURL() != base {
		t.Errorf("got BaseURL %q, want %q", s.BaseURL(), base)
	}
	tests := []struct {
		after time.Duration
		want  string
	}{
		{after: 1500 * time.Millisecond, want: "2"},
		{after: 5 * time.Second, want: "5"},
		{after: 0, want: ""},
	}
	for _, tt := range tests {
		s.SetRetryAfter(tt.after)
		s.RateLimitNext(1)
		_, header, _ := do(t, s, http.MethodPost, messagesURL(base, s), url.Values{"To": {"+4791234567"}, "From": {"+4759440000"}, "Body": {"x"}}, "", "")
		if got := header.Get("Retry-After"); got != tt.want {
			t.Errorf("retry after %s: got header %q, want %q", tt.after, got, tt.want)
		}
	}

	s.SetDelay(time.Hour)
	c := &http.Client{Timeout: 50 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodGet, messagesURL(base, s), nil)
	req.SetBasicAuth(s.AccountSID(), s.AuthToken())
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want the client to time out", resp.StatusCode)
	}
	s.SetDelay(0)
	if status, _, _ := do(t, s, http.MethodGet, messagesURL(base, s), nil, "", ""); status != 200 {
		t.Errorf("got %d after removing the delay, want 200", status)
	}
}

func TestFinalStateInJSON(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	s.SetOutcomeRates(faketwilio.OutcomeRates{Undelivered: 1})
	s.SetOutcome("+4790000000", faketwilio.Delivered)
	_, m1 := create(t, s, base, "+4791234567", "")
	_, m2 := create(t, s, base, "+4790000000", "")
	waitFor(t, func() bool {
		a, _ := s.Message(m1["sid"].(string))
		b, _ := s.Message(m2["sid"].(string))
		return a.Status == "undelivered" && b.Status == "delivered"
	})
	_, _, got := do(t, s, http.MethodGet, base+"/2010-04-01/Accounts/"+s.AccountSID()+"/Messages/"+m1["sid"].(string)+".json", nil, "", "")
	code, _ := got["error_code"].(float64)
	if code != 30003 && code != 30005 && code != 30006 || got["error_message"] == nil || got["date_sent"] == nil || got["price"] == nil {
		t.Errorf("got %v, want an undelivered message with error code, message, date_sent and price", got)
	}
	if sent := s.SentTo("+4790000000"); len(sent) != 1 || sent[0].SID != m2["sid"] || sent[0].ErrorCode != 0 {
		t.Errorf("got %+v, want the one delivered message %v", sent, m2["sid"])
	}
}
