package sortition

// ProportionalReserves re-derives the reserves of a drawn record by the
// proportional rule alone (the rule used before the cover phase), so tests
// can compare the two.
func ProportionalReserves(rec *Record) ([]string, error) {
	m, err := newModel(rec.Pool, rec.Quotas, rec.Seats)
	if err != nil {
		return nil, err
	}
	panel, err := m.positions(rec.Selected)
	if err != nil {
		return nil, err
	}
	left := make([]bool, len(m.ids))
	for p := range left {
		left[p] = true
	}
	for _, p := range panel {
		left[p] = false
	}
	out := m.proportionalReserves(panel, nil, left, rec.ReservesCount, NewStream(PurposeReserves, rec.Seed))
	ids := make([]string, len(out))
	for i, p := range out {
		ids[i] = m.ids[p]
	}
	return ids, nil
}

// Recommit does what a dishonest operator would after changing a record's
// lottery before publishing its commitment: it recomputes the probabilities
// and min_probability from the lottery and the commitment, so that only
// re-solving the optimum can tell.
func Recommit(rec *Record) error {
	m, err := newModel(rec.Pool, rec.Quotas, rec.Seats)
	if err != nil {
		return err
	}
	if rec.Lottery != nil {
		rec.Probabilities = newTypeModel(m).marginals(rec.Lottery, m)
		rec.MinProbability = minValue(rec.Probabilities, m.ids)
	}
	return rec.commit()
}

// RecommitAsIs recomputes only the commitment.
func RecommitAsIs(rec *Record) error { return rec.commit() }
