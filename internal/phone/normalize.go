package phone

import (
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region used when Normalize is given "".
const DefaultRegion = "NO"

// maxInputLength bounds the raw input; no real number written with
// separators comes close, and it keeps the parser away from huge strings.
const maxInputLength = 64

// Normalize returns raw in E.164 form. Spaces, dashes, dots, slashes and
// parentheses are ignored (so "(+47) 912 34 567" reads as +4791234567); the
// number may start with "+" and a country
// code, with the international prefix "00" and a country code, or be a
// national number of defaultRegion (an ISO 3166 code such as "NO" or "SE";
// "" means DefaultRegion). Anything else (letters, extensions, numbers that
// are not valid for their country) is an EINVALID *panel.Error whose message
// says why without repeating the number.
func Normalize(raw string, defaultRegion string) (panel.Phone, error) {
	p, _, err := NormalizeMobile(raw, defaultRegion)
	return p, err
}

// NormalizeMobile is Normalize that also reports whether the number can be
// expected to receive SMS, as IsMobile does, parsing the number once.
func NormalizeMobile(raw string, defaultRegion string) (panel.Phone, bool, error) {
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	if region == "" {
		region = DefaultRegion
	}
	if !phonenumbers.GetSupportedRegions()[region] {
		return "", false, panel.Errorf(panel.EINVALID, "unknown default region %q for phone numbers", defaultRegion)
	}
	if len(raw) > maxInputLength {
		return "", false, invalid("too long")
	}
	digits, err := strip(raw)
	if err != nil {
		return "", false, err
	}
	num, perr := phonenumbers.Parse(digits, region)
	if perr != nil {
		return "", false, invalid(parseReason(perr))
	}
	if reason := lengthReason(phonenumbers.IsPossibleNumberWithReason(num)); reason != "" {
		return "", false, invalid(reason)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", false, invalid("no such number in its country's numbering plan")
	}
	return panel.Phone(phonenumbers.Format(num, phonenumbers.E164)), mobileType(num), nil
}

// strip removes the separators people type and checks that what is left is
// an optional leading "+" followed by digits only.
func strip(raw string) (string, error) {
	var b strings.Builder
	b.Grow(len(raw))
	for _, r := range strings.TrimSpace(raw) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r == '+':
			return "", invalid(`"+" may only come before the digits`)
		case isSeparator(r):
			// ignored
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			return "", invalid("contains letters")
		default:
			return "", invalid("contains characters other than digits, spaces, dashes, dots and parentheses")
		}
	}
	s := b.String()
	switch s {
	case "", "+":
		return "", invalid("empty")
	}
	return s, nil
}

// isSeparator reports whether r is a character people put between digits.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '-', '.', '(', ')', '/', '\u00a0', '\u2009', '\u202f', '\u2010', '\u2011', '\u2012', '\u2013':
		return true
	}
	return false
}

// parseReason translates the library's parse errors into short reasons.
func parseReason(err error) string {
	switch err {
	case phonenumbers.ErrInvalidCountryCode:
		return "unknown country code"
	case phonenumbers.ErrTooShortNSN, phonenumbers.ErrTooShortAfterIDD:
		return "too short"
	case phonenumbers.ErrNumTooLong:
		return "too long"
	}
	return "not a phone number"
}

// lengthReason translates a length check into a short reason, "" when the
// length is right.
func lengthReason(v phonenumbers.ValidationResult) string {
	switch v {
	case phonenumbers.IS_POSSIBLE:
		return ""
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "unknown country code"
	case phonenumbers.TOO_SHORT:
		return "too short"
	case phonenumbers.TOO_LONG:
		return "too long"
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return "a local number without its area code"
	}
	return "wrong number of digits for its country"
}

// invalid returns the EINVALID error for a refused number.
func invalid(reason string) error {
	return panel.Errorf(panel.EINVALID, "not a valid phone number: %s", reason)
}
