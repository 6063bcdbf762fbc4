package console

import (
	"regexp"
	"strings"

	"github.com/citizenspanel/panel/internal/locale"
	"github.com/citizenspanel/panel/internal/panel"
)

// The reasons the domain gives for a rejected recipient row are English
// sentences; rowReason says them in the viewer's language. A reason it
// does not know is shown as the domain wrote it.

// reasonKeys are the fixed reasons and the fixed ends of "not a valid
// phone number: ..." by catalogue key.
var reasonKeys = map[string]string{
	"phone is empty":    "reason.phone_empty",
	"phone is required": "reason.phone_empty",
	"empty":             "reason.phone_empty",
	"phone number is already imported in this campaign": "reason.already_imported",
	"phone is not in E.164 form (+ and country code)":   "reason.not_e164",
	"too long":                                       "reason.too_long",
	"too short":                                      "reason.too_short",
	"contains letters":                               "reason.letters",
	"unknown country code":                           "reason.country_code",
	"not a phone number":                             "reason.not_a_number",
	"a local number without its area code":           "reason.area_code",
	"wrong number of digits for its country":         "reason.digits",
	"no such number in its country's numbering plan": "reason.numbering_plan",
	`"+" may only come first`:                        "reason.plus",
	"contains characters other than digits, spaces, dashes, dots and parentheses": "reason.characters",
}

// Reasons with a number or a column name in them.
var (
	repeatsRow = regexp.MustCompile(`^phone number repeats row (\d+)$`)
	fieldCount = regexp.MustCompile(`^has (\d+) fields, the header has (\d+)$`)
	notUTF8    = regexp.MustCompile(`^(.+) is not valid UTF-8 text$`)
	tooLong    = regexp.MustCompile(`^(.+) is longer than (\d+) characters$`)
)

// rowReason is the reason why in L's language.
func rowReason(L locale.Printer, why string) string {
	if L.Lang == locale.English {
		return why
	}
	if rest, ok := strings.CutPrefix(why, "not a valid phone number: "); ok {
		if key, ok := reasonKeys[rest]; ok {
			return L.T("reason.invalid_phone", L.T(key))
		}
		return why
	}
	if key, ok := reasonKeys[why]; ok {
		return L.T(key)
	}
	if m := repeatsRow.FindStringSubmatch(why); m != nil {
		return L.T("reason.repeats", m[1])
	}
	if m := fieldCount.FindStringSubmatch(why); m != nil {
		return L.T("reason.fields", m[1], m[2])
	}
	if m := notUTF8.FindStringSubmatch(why); m != nil {
		return L.T("reason.utf8", m[1])
	}
	if m := tooLong.FindStringSubmatch(why); m != nil {
		return L.T("reason.value_long", m[1], m[2])
	}
	return why
}

// rowReasons translates every reason of rows.
func rowReasons(L locale.Printer, rows []panel.RowError) []panel.RowError {
	out := make([]panel.RowError, len(rows))
	for i, r := range rows {
		out[i] = panel.RowError{Row: r.Row, Error: rowReason(L, r.Error)}
	}
	return out
}
