package phone

import (
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/nyaruka/phonenumbers"
)

// IsMobile reports whether p, a number in E.164 form as Normalize returns
// it, can be expected to receive SMS. Norwegian numbers are mobile when
// their 8 digits start with 4 or 9 (the national numbering plan's mobile
// ranges). Other countries follow the library's metadata: mobile, or a
// number the plan cannot tell apart from a fixed line (as in North America).
// Anything that does not parse is not mobile.
func IsMobile(p panel.Phone) bool {
	s := string(p)
	if rest, ok := strings.CutPrefix(s, "+47"); ok {
		return len(rest) == 8 && allDigits(rest) && (rest[0] == '4' || rest[0] == '9')
	}
	if !strings.HasPrefix(s, "+") || !allDigits(s[1:]) {
		return false
	}
	num, err := phonenumbers.Parse(s, DefaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return false
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return true
	}
	return false
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
