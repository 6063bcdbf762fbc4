package faketwilio

// Outcome is what finally happens to a created message.
type Outcome int

// The delivery outcomes the fake can give a message.
const (
	Delivered        Outcome = iota // delivered to the handset
	Undelivered30003                // undelivered, 30003: unreachable destination handset
	Undelivered30005                // undelivered, 30005: unknown destination handset
	Undelivered30006                // undelivered, 30006: landline or unreachable carrier
	Failed                          // failed, 30008: never sent (unknown error)
)

// Status returns the final Twilio status of the outcome.
func (o Outcome) Status() string {
	switch o {
	case Undelivered30003, Undelivered30005, Undelivered30006:
		return "undelivered"
	case Failed:
		return "failed"
	default:
		return "delivered"
	}
}

// ErrorCode returns the Twilio error code of the outcome, 0 for Delivered.
func (o Outcome) ErrorCode() int {
	switch o {
	case Undelivered30003:
		return 30003
	case Undelivered30005:
		return 30005
	case Undelivered30006:
		return 30006
	case Failed:
		return 30008
	default:
		return 0
	}
}

// statuses returns the statuses a message passes through after creation,
// each of which gets a status callback.
func (o Outcome) statuses() []string {
	if o == Failed {
		return []string{"queued", "failed"}
	}
	return []string{"queued", "sent", o.Status()}
}

// OutcomeRates are the default chances of each outcome for numbers without
// an outcome of their own (see Server.SetOutcome). The rest is Delivered.
type OutcomeRates struct {
	Undelivered float64 // 0..1, spread evenly over 30003, 30005 and 30006
	Failed      float64 // 0..1
}

// pick draws an outcome for u uniform in [0, 1).
func (r OutcomeRates) pick(u float64) Outcome {
	switch {
	case u < r.Failed:
		return Failed
	case u < r.Failed+r.Undelivered:
		third := r.Undelivered / 3
		switch {
		case u < r.Failed+third:
			return Undelivered30003
		case u < r.Failed+2*third:
			return Undelivered30005
		default:
			return Undelivered30006
		}
	default:
		return Delivered
	}
}
