package phone

import (
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/nyaruka/phonenumbers"
)

// IsMobile reports whether p, a number in E.164 form as Normalize returns
// it, can be expected to receive SMS: the library's numbering-plan metadata
// types it as mobile, or as a number the plan cannot tell apart from a fixed
// line (as in North America). In Norway that is the 8-digit numbers starting
// with 4 or 9; landlines (2, 3, 5, 6, 7) and service numbers (8) are not.
// Anything that does not parse is not mobile.
func IsMobile(p panel.Phone) bool {
	s := string(p)
	if !strings.HasPrefix(s, "+") || !allDigits(s[1:]) {
		return false
	}
	num, err := phonenumbers.Parse(s, DefaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return false
	}
	return mobileType(num)
}

// mobileType reports whether a valid number's type says it takes SMS.
func mobileType(num *phonenumbers.PhoneNumber) bool {
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
