package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// What a volunteer's notification says, as the resident reads it.
const (
	toldSelected    = "selected"
	toldReserve     = "reserve"
	toldNotSelected = "not selected"
)

// classify reads a notification the way its recipient would.
func classify(body string) string {
	b := strings.ToLower(body)
	switch {
	case strings.Contains(b, "reserve"):
		return toldReserve
	case strings.Contains(b, "bekreft") || strings.Contains(b, "confirm"):
		return toldSelected
	}
	return toldNotSelected
}

// notify sends the draw's notifications and waits until every volunteer
// has theirs.
func (r *round) notify(ctx context.Context) error {
	before := r.messageCounts()
	// Notify is idempotent: each notification has its own dedup key.
	if err := r.api.call(ctx, "POST", fmt.Sprintf("/api/v1/draws/%d/notify", r.draw), nil, "", nil); err != nil {
		return err
	}
	want := r.report.Volunteers
	return waitFor(ctx, 5*time.Minute, "a notification to every volunteer", func() (bool, error) {
		return len(r.newMessages(before)) >= want, nil
	})
}

// messageCounts returns how many messages each number has received.
func (r *round) messageCounts() map[string]int {
	counts := map[string]int{}
	for _, m := range r.cfg.Twilio.Messages() {
		counts[m.To]++
	}
	return counts
}

// newMessages returns, per number, the text of the latest message received
// since the counts in before, for numbers that received one.
func (r *round) newMessages(before map[string]int) map[string]string {
	seen := map[string]int{}
	latest := map[string]string{}
	for _, m := range r.cfg.Twilio.Messages() {
		seen[m.To]++
		if seen[m.To] > before[m.To] {
			latest[m.To] = m.Body
		}
	}
	return latest
}

// history is the replacements in a published record.
type history struct {
	History []Replacement `json:"history"`
}

// replace lets the selected answer: a few chosen by the seed decline, the
// rest confirm; then waits until each decline is replaced, and lets the
// replacements confirm in turn.
func (r *round) replace(ctx context.Context) error {
	told := r.newMessages(map[string]int{})
	var selected []*Person
	for phone, body := range told {
		if classify(body) == toldSelected {
			selected = append(selected, r.byPhone[phone])
		}
	}
	sort.Slice(selected, func(i, j int) bool { return selected[i].Row < selected[j].Row })
	if len(selected) != r.cfg.Seats {
		return fmt.Errorf("%d residents were told they are selected, want %d", len(selected), r.cfg.Seats)
	}
	decliners := map[*Person]bool{}
	for _, i := range pickRows(r.cfg.Seed, "decline", len(selected), r.cfg.Declines) {
		decliners[selected[i]] = true
	}
	before := r.messageCounts()
	// Declines go one at a time, in row order, each replaced before the
	// next: which reserve takes a seat depends on the seats already
	// refilled, so the order must not depend on timing.
	var h history
	declined := 0
	for _, p := range selected {
		if !decliners[p] {
			continue
		}
		if _, err := r.text(ctx, p, phrasing(r.cfg.Seed, p, "decline seat", "NEI", "Nei, dessverre", "nei takk")); err != nil {
			return err
		}
		declined++
		err := waitFor(ctx, 2*time.Minute, "the decline to be replaced", func() (bool, error) {
			var raw []byte
			if err := r.api.call(ctx, "GET", fmt.Sprintf("/public/draws/%d", r.draw), nil, "", &raw); err != nil {
				return false, err
			}
			if err := json.Unmarshal(raw, &h); err != nil {
				return false, err
			}
			return len(h.History) >= declined, nil
		})
		if err != nil {
			return err
		}
	}
	var confirmers []*Person
	for _, p := range selected {
		if !decliners[p] {
			confirmers = append(confirmers, p)
		}
	}
	err := r.each(ctx, confirmers, func(ctx context.Context, p *Person) error {
		_, err := r.text(ctx, p, phrasing(r.cfg.Seed, p, "confirm", "JA", "BEKREFT", "Ja, jeg bekrefter"))
		return err
	})
	if err != nil {
		return err
	}
	r.report.Replacements = h.History
	var replacements []*Person
	err = waitFor(ctx, 2*time.Minute, "the replacements' notifications", func() (bool, error) {
		replacements = replacements[:0]
		for phone, body := range r.newMessages(before) {
			if classify(body) == toldSelected {
				replacements = append(replacements, r.byPhone[phone])
			}
		}
		return len(replacements) >= len(decliners), nil
	})
	if err != nil {
		return err
	}
	sort.Slice(replacements, func(i, j int) bool { return replacements[i].Row < replacements[j].Row })
	if err := r.each(ctx, replacements, func(ctx context.Context, p *Person) error {
		_, err := r.text(ctx, p, "JA")
		return err
	}); err != nil {
		return err
	}
	// The final panel: everyone who confirmed.
	for _, p := range selected {
		if !decliners[p] {
			r.countPanel(p)
		}
	}
	for _, p := range replacements {
		r.countPanel(p)
	}
	if _, err := r.publicRecord(ctx); err != nil {
		return err
	}
	return nil
}

// countPanel adds p to the panel's counts per category.
func (r *round) countPanel(p *Person) {
	for c, v := range p.Values() {
		if r.report.PanelByCategory[c] == nil {
			r.report.PanelByCategory[c] = map[string]int{}
		}
		r.report.PanelByCategory[c][v]++
		for i := range r.report.Pool {
			if r.report.Pool[i].Category != c {
				continue
			}
			for j := range r.report.Pool[i].Values {
				if r.report.Pool[i].Values[j].Value == v {
					r.report.Pool[i].Values[j].Panel++
				}
			}
		}
	}
}
