package faketwilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// Sign returns the X-Twilio-Signature Twilio sends with a form POST to
// target: base64 of HMAC-SHA1, keyed with the auth token, of the URL followed
// by each field's name and value in name order (a repeated field once per
// value, values in order).
func (s *Server) Sign(target string, form url.Values) string {
	return sign(s.opts.AuthToken, target, form)
}

// sign is Sign with the token given.
func sign(token, target string, form url.Values) string {
	var b strings.Builder
	b.WriteString(target)
	for _, name := range slices.Sorted(maps.Keys(form)) {
		values := slices.Clone(form[name])
		slices.Sort(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
