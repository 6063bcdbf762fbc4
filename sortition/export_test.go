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
