package reply

// Intent is what a reply means.
type Intent string

// The intents Parse returns.
const (
	Yes        Intent = "yes"         // agrees: ja, yes, ok, 👍
	No         Intent = "no"          // declines: nei, no, nope
	Stop       Intent = "stop"        // opts out of every further message
	CantAttend Intent = "cant_attend" // cannot come: kan ikke, can't
	Confirm    Intent = "confirm"     // confirms attendance: bekreft, confirm
	Number     Intent = "number"      // a bare option number 1 to 9, in Reply.Number
	Unclear    Intent = "unclear"     // words, but none of the above (or a contradiction)
	Empty      Intent = "empty"       // no words at all
)

// Valid reports whether i is one of the intents above.
func (i Intent) Valid() bool {
	switch i {
	case Yes, No, Stop, CantAttend, Confirm, Number, Unclear, Empty:
		return true
	}
	return false
}

// Reply is the reading of one SMS body.
type Reply struct {
	Intent Intent
	// Number is the option chosen when Intent is Number (1 to 9), else 0.
	Number int
	// Text is the body without quoted lines and trailing signature, each
	// line trimmed and blank lines dropped, in the sender's own spelling.
	Text string
}
