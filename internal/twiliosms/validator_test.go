package twiliosms_test

import (
	"net/url"
	"testing"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

func TestValidator(t *testing.T) {
	t.Parallel()
	fake := faketwilio.New(faketwilio.Options{Seed: 7})
	v := twiliosms.NewValidator(panel.Secret(fake.AuthToken()))
	const hook = "https://panel.example/webhooks/twilio/sms?campaign=4"
	form := url.Values{
		"From":       {"+4791234567"},
		"To":         {"+4759440000"},
		"Body":       {"JA"},
		"MessageSid": {"SM0123456789abcdef0123456789abcdef"},
		"MediaUrl":   {"https://b.example/2", "https://a.example/1"},
	}
	signature := fake.Sign(hook, form)
	tampered := func(edit func(url.Values)) url.Values {
		f := url.Values{}
		for k, vs := range form {
			f[k] = append([]string(nil), vs...)
		}
		edit(f)
		return f
	}
	tests := []struct {
		name      string
		v         twiliosms.Validator
		url       string
		form      url.Values
		signature string
		want      bool
	}{
		{name: "genuine", v: v, url: hook, form: form, signature: signature, want: true},
		{name: "genuine with explicit port", v: v, url: "https://panel.example:443/webhooks/twilio/sms?campaign=4", form: form, signature: signature, want: true},
		{name: "empty signature", v: v, url: hook, form: form, signature: "", want: false},
		{name: "tampered body", v: v, url: hook, form: tampered(func(f url.Values) { f.Set("Body", "NEI") }), signature: signature, want: false},
		{name: "added field", v: v, url: hook, form: tampered(func(f url.Values) { f.Set("OptOutType", "STOP") }), signature: signature, want: false},
		{name: "dropped second value", v: v, url: hook, form: tampered(func(f url.Values) { f["MediaUrl"] = f["MediaUrl"][:1] }), signature: signature, want: false},
		{name: "other url", v: v, url: "https://panel.example/webhooks/twilio/status?campaign=4", form: form, signature: signature, want: false},
		{name: "other token", v: twiliosms.NewValidator("othertoken"), url: hook, form: form, signature: signature, want: false},
		{name: "zero validator", url: hook, form: form, signature: signature, want: false},
		{name: "no token", v: twiliosms.NewValidator(""), url: hook, form: form, signature: fakeSignEmptyToken(hook, form), want: false},
	}
	for _, tt := range tests {
		if got := tt.v.Valid(tt.url, tt.form, tt.signature); got != tt.want {
			t.Errorf("%s: got %t, want %t", tt.name, got, tt.want)
		}
	}
}

// fakeSignEmptyToken signs with an empty token, which must never validate.
func fakeSignEmptyToken(hook string, form url.Values) string {
	return faketwilio.New(faketwilio.Options{AuthToken: "x"}).Sign(hook, form)
}
