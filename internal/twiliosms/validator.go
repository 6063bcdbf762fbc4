package twiliosms

import (
	"net/url"
	"slices"
	"strings"

	"github.com/twilio/twilio-go/client"

	"github.com/citizenspanel/panel/internal/panel"
)

// Validator checks the X-Twilio-Signature header of Twilio's form-encoded
// webhooks (inbound SMS, status callbacks). The zero value rejects everything.
type Validator struct {
	rv    client.RequestValidator
	ready bool
}

// NewValidator returns a Validator for the account's auth token.
func NewValidator(authToken panel.Secret) Validator {
	if authToken == "" {
		return Validator{}
	}
	return Validator{rv: client.NewRequestValidator(authToken.Reveal()), ready: true}
}

// Valid reports whether signature is Twilio's signature of a POST to url
// (the full URL Twilio called, as configured, query included) with the
// posted form. Every field counts, every value of a repeated field too. The
// comparison is constant-time; an empty signature is never valid.
func (v Validator) Valid(url string, form url.Values, signature string) bool {
	if !v.ready || signature == "" {
		return false
	}
	return v.rv.Validate(url, foldForm(form), signature)
}

// foldForm turns a form into the one-value-per-key map twilio-go's validator
// takes, without losing repeated fields. Twilio signs the URL followed by
// name+value for each field in name order, a repeated name once per value
// with the values in order; putting "v1" + name + "v2" + ... under the name
// yields the same concatenation.
func foldForm(form url.Values) map[string]string {
	params := make(map[string]string, len(form))
	for name, values := range form {
		if len(values) == 0 {
			continue
		}
		sorted := slices.Clone(values)
		slices.Sort(sorted)
		params[name] = strings.Join(sorted, name)
	}
	return params
}
