package faketwilio_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

func TestSendInbound(t *testing.T) {
	t.Parallel()
	s, _, _ := start(t, faketwilio.Options{})
	rv := client.NewRequestValidator(s.AuthToken())
	type seen struct {
		form    url.Values
		sig     string
		fullURL string
	}
	seenc := make(chan seen, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		seenc <- seen{form, r.Header.Get("X-Twilio-Signature"), "http://" + r.Host + r.URL.RequestURI()}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, "<Response/>")
	}))
	defer hook.Close()

	status, body, err := s.SendInbound(context.Background(), hook.URL+"/webhooks/twilio/sms", "+4791234567", "+4759440000", "JA takk", url.Values{"OptOutType": {"START"}})
	if err != nil {
		t.Fatalf("SendInbound: %v", err)
	}
	if status != 200 || body != "<Response/>" {
		t.Errorf("got %d %q, want 200 <Response/>", status, body)
	}
	in := <-seenc
	got, sig, fullURL := in.form, in.sig, in.fullURL
	want := map[string]string{
		"From": "+4791234567", "To": "+4759440000", "Body": "JA takk", "NumMedia": "0", "NumSegments": "1",
		"SmsStatus": "received", "ApiVersion": "2010-04-01", "AccountSid": s.AccountSID(), "OptOutType": "START",
	}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("field %s: got %q, want %q", k, got.Get(k), v)
		}
	}
	if sid := got.Get("MessageSid"); !sidPattern.MatchString(sid) || got.Get("SmsSid") != sid || got.Get("SmsMessageSid") != sid {
		t.Errorf("got MessageSid %q SmsSid %q SmsMessageSid %q, want one SM sid", sid, got.Get("SmsSid"), got.Get("SmsMessageSid"))
	}
	params := map[string]string{}
	for k := range got {
		params[k] = got.Get(k)
	}
	if !rv.Validate(fullURL, params, sig) {
		t.Error("got a signature twilio-go's validator rejects")
	}
	if s.Sign(fullURL, got) != sig {
		t.Error("Sign differs from the signature posted")
	}
	params["Body"] = "NEI"
	if rv.Validate(fullURL, params, sig) {
		t.Error("a tampered body still validates")
	}
}

func TestSendInboundUnreachable(t *testing.T) {
	t.Parallel()
	s, _, _ := start(t, faketwilio.Options{})
	hook := httptest.NewServer(http.NotFoundHandler())
	hook.Close()
	if _, _, err := s.SendInbound(context.Background(), hook.URL, "+4791234567", "+4759440000", "JA", nil); err == nil {
		t.Error("got no error posting to a closed webhook, want one")
	}
}
