package leximin

// Generated builds the instance of a generated pool (see generatedInstance).
var Generated = generatedInstance

// ViaRelaxation runs the relaxation path of solveLottery on its own: it
// returns the relaxation's level values and the lottery viaRelaxation
// writes, nil when it cannot write the relaxation's point as one.
func ViaRelaxation(in *Instance) (levels []float64, l *Lottery, err error) {
	r, err := newTestColgen(in).relaxedLeximin()
	if err != nil {
		return nil, nil, err
	}
	l, err = newTestColgen(in).viaRelaxation()
	return r.Levels, l, err
}
