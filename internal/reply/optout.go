package reply

import "strings"

// OptOutType reports whether v, the OptOutType field Twilio adds to an
// inbound message when its Advanced Opt-Out feature recognised a keyword,
// says the sender opted out ("STOP"). "START" and "HELP" are not opt-outs.
func OptOutType(v string) bool {
	return strings.EqualFold(strings.TrimSpace(v), "STOP")
}
