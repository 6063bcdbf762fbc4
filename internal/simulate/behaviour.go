package simulate

import "math/rand/v2"

// Behaviour is how a simulated resident answers the invitation.
type Behaviour int

// The behaviours. Volunteer answers the whole dialogue and can attend;
// the others leave the pool at some point.
const (
	Silent         Behaviour = iota // never answers
	Volunteer                       // JA, then answers every question and can attend
	Abandons                        // JA, then never answers the questions
	CannotAttend                    // JA, answers, but cannot attend every date
	Declines                        // NEI
	Stops                           // STOPP
	UnclearThenYes                  // an unclear reply, then JA after the re-prompt and the whole dialogue
	Unclear                         // an unclear reply, then nothing (lands in the organisers' inbox)
)

// String names the behaviour in reports.
func (b Behaviour) String() string {
	switch b {
	case Silent:
		return "silent"
	case Volunteer:
		return "volunteer"
	case Abandons:
		return "abandons"
	case CannotAttend:
		return "cannot_attend"
	case Declines:
		return "declines"
	case Stops:
		return "stops"
	case UnclearThenYes:
		return "unclear_then_yes"
	case Unclear:
		return "unclear"
	}
	return "unknown"
}

// Answer rates. baseYes is tuned so that about 9.25% of a population with
// the shares in population.go say yes (370 of 4000 in the reference
// round); the bias factors follow the Sortition Foundation's practice notes
// (estimates):
// fewer of the young and of those with compulsory school only, more of
// the highly educated and of 45-74 year-olds.
const (
	baseYes      = 0.106
	rateNo       = 0.06
	rateStop     = 0.01
	rateUnclear  = 0.02
	shareAbandon = 0.06 // of those who say yes
	shareCannot  = 0.05 // of those who say yes
)

var (
	ageBias       = map[string]float64{"18-29": 0.55, "30-44": 0.95, "45-59": 1.2, "60-74": 1.25, "75+": 0.8}
	educationBias = map[string]float64{"grunnskole": 0.55, "videregående": 0.85, "kort høyere": 1.15, "lang høyere": 1.55}
)

// drawBehaviour decides how p answers, from one uniform draw and one more
// for what a yes leads to.
func drawBehaviour(rng *rand.Rand, p Person) Behaviour {
	yes := baseYes * ageBias[p.AgeBand] * educationBias[p.Education]
	u, v := rng.Float64(), rng.Float64()
	switch {
	case u < yes:
		switch {
		case v < shareAbandon:
			return Abandons
		case v < shareAbandon+shareCannot:
			return CannotAttend
		case v < shareAbandon+shareCannot+0.04:
			return UnclearThenYes
		}
		return Volunteer
	case u < yes+rateNo:
		return Declines
	case u < yes+rateNo+rateStop:
		return Stops
	case u < yes+rateNo+rateStop+rateUnclear:
		return Unclear
	}
	return Silent
}

// SaysYes reports whether the behaviour says yes at some point.
func (b Behaviour) SaysYes() bool {
	return b == Volunteer || b == Abandons || b == CannotAttend || b == UnclearThenYes
}

// Completes reports whether the behaviour ends as a complete volunteer.
func (b Behaviour) Completes() bool { return b == Volunteer || b == UnclearThenYes }
