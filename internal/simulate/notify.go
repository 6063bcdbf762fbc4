package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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
	r.explainReplacements()
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

// explainReplacements fills in, for each replacement in order, how the
// replacement differs from the member and, when the record says quotas
// were not kept, which quotas the panel breaks from then on and why no
// reserve could keep them.
func (r *round) explainReplacements() {
	panel := slices.Clone(r.report.Selected)
	left := slices.Clone(r.report.Reserves) // reserves not yet on the panel
	since := map[string]string{}            // broken quota → the member whose leaving broke it
	for i := range r.report.Replacements {
		rp := &r.report.Replacements[i]
		if k := slices.Index(panel, rp.Member); k >= 0 {
			panel[k] = rp.Replacement
		} else {
			panel = append(panel, rp.Replacement)
		}
		left = slices.DeleteFunc(left, func(id string) bool { return id == rp.Replacement })
		for _, c := range Categories {
			was, now := canonical(c.Name, r.values[rp.Member][c.Name]), canonical(c.Name, r.values[rp.Replacement][c.Name])
			if was != now {
				rp.Change = append(rp.Change, fmt.Sprintf("%s %s → %s", c.Name, was, now))
			}
		}
		broken := r.brokenQuotas(panel, left)
		still := map[string]string{}
		for _, b := range broken {
			first, ok := since[b.key]
			if !ok {
				first = rp.Member
			}
			still[b.key] = first
			if rp.QuotasKept {
				continue
			}
			if ok {
				rp.QuotasBroken = append(rp.QuotasBroken, fmt.Sprintf("%s still below or above its quota (since %s left)", b.name, first))
			} else {
				rp.QuotasBroken = append(rp.QuotasBroken, b.text)
			}
		}
		since = still
		if !rp.QuotasKept && len(rp.QuotasBroken) == 0 {
			rp.QuotasBroken = []string{"none on the final count"}
		}
	}
}

// brokenQuota is one quota a panel does not meet.
type brokenQuota struct {
	key  string // "category\x00value"
	name string // "category value"
	text string // e.g. "age 18-29: 2 on the panel, minimum 3; no reserve left has it"
}

// brokenQuotas lists the quotas panel does not meet and why the reserves
// left cannot mend them.
func (r *round) brokenQuotas(panel, reserves []string) []brokenQuota {
	count := func(ids []string) map[string]map[string]int {
		n := map[string]map[string]int{}
		for _, id := range ids {
			for c, v := range r.values[id] {
				if n[c] == nil {
					n[c] = map[string]int{}
				}
				n[c][canonical(c, v)]++
			}
		}
		return n
	}
	onPanel, inReserve := count(panel), count(reserves)
	var out []brokenQuota
	for _, c := range r.report.Pool {
		for _, v := range c.Values {
			n, have := onPanel[c.Category][v.Value], inReserve[c.Category][v.Value]
			var text string
			switch {
			case n < v.Min && have == 0:
				text = fmt.Sprintf("%s %s: %d on the panel, minimum %d; no reserve left has it", c.Category, v.Value, n, v.Min)
			case n < v.Min:
				text = fmt.Sprintf("%s %s: %d on the panel, minimum %d; the %d reserves left who have it would break another quota", c.Category, v.Value, n, v.Min, have)
			case n > v.Max:
				text = fmt.Sprintf("%s %s: %d on the panel, maximum %d", c.Category, v.Value, n, v.Max)
			default:
				continue
			}
			out = append(out, brokenQuota{key: c.Category + "\x00" + v.Value, name: c.Category + " " + v.Value, text: text})
		}
	}
	return out
}
