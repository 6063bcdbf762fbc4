package simulate

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Report is what a round did. The JSON field names invited, delivered,
// failed, volunteers, opted_out, selected, reserves, min_probability,
// replacements, verification, reminders and seconds are a contract
// (README, "The whole round, simulated"); the rest may grow.
type Report struct {
	Seed       string `json:"seed"`
	Invited    int    `json:"invited"`
	Delivered  int    `json:"delivered"`
	Failed     int    `json:"failed"`
	Volunteers int    `json:"volunteers"` // complete volunteers in the pool
	SaidYes    int    `json:"said_yes"`   // said yes, complete or not
	Declined   int    `json:"declined"`
	OptedOut   int    `json:"opted_out"`
	Unclear    int    `json:"unclear"` // unclear replies left for the organisers' inbox
	Silent     int    `json:"silent"`
	// Pool is the pool's composition per category against the quotas.
	Pool []CategoryReport `json:"pool"`
	// QuotasLowered lists quota minimums lowered to what the pool holds.
	QuotasLowered []string `json:"quotas_lowered,omitempty"`

	DrawID         int64    `json:"draw_id"`
	Commitment     string   `json:"commitment"`
	MinProbability float64  `json:"min_probability"`
	MaxProbability float64  `json:"max_probability"`
	Selected       []string `json:"selected"`
	Reserves       []string `json:"reserves"`
	// PanelByCategory and ReservesByCategory count the final panel (after
	// replacements) and the reserves drawn, per category value.
	PanelByCategory    map[string]map[string]int `json:"panel_by_category"`
	ReservesByCategory map[string]map[string]int `json:"reserves_by_category"`
	Replacements       []Replacement             `json:"replacements"`
	Verification       string                    `json:"verification"`

	// Reminders is meeting title → reminders sent.
	Reminders map[string]int `json:"reminders"`
	// Messages counts what the fake Twilio received, per kind of message
	// the round expects, and the most any one number got of one kind.
	Messages map[string]int `json:"messages"`
	// Seconds is stage → wall time.
	Seconds map[string]float64 `json:"seconds"`
	// Consistent is true when every number is accounted for; Problems
	// lists what does not add up.
	Consistent bool     `json:"consistent"`
	Problems   []string `json:"problems,omitempty"`
}

// CategoryReport is one category of the pool against its quotas.
type CategoryReport struct {
	Category string        `json:"category"`
	Values   []ValueReport `json:"values"`
}

// ValueReport is one category value: the population share, the pool
// count and the quota.
type ValueReport struct {
	Value      string  `json:"value"`
	Population float64 `json:"population_share"`
	Pool       int     `json:"pool"`
	Min        int     `json:"min"`
	Max        int     `json:"max"`
	Panel      int     `json:"panel"`
}

// Replacement is one member replaced from the reserves.
type Replacement struct {
	Member      string `json:"member"`
	Replacement string `json:"replacement"`
	QuotasKept  bool   `json:"quotas_kept"`
}

func newReport(cfg Config) *Report {
	return &Report{
		Seed:               cfg.Seed,
		PanelByCategory:    map[string]map[string]int{},
		ReservesByCategory: map[string]map[string]int{},
		Reminders:          map[string]int{},
		Messages:           map[string]int{},
		Seconds:            map[string]float64{},
	}
}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a person to read at a glance.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Round (seed %q)\n", r.Seed)
	fmt.Fprintf(&b, "  invited %d, delivered %d, failed %d\n", r.Invited, r.Delivered, r.Failed)
	fmt.Fprintf(&b, "  said yes %d, complete volunteers %d, declined %d, opted out %d, unclear %d, silent %d\n",
		r.SaidYes, r.Volunteers, r.Declined, r.OptedOut, r.Unclear, r.Silent)
	fmt.Fprintf(&b, "Pool against quotas (population share → pool, quota, panel)\n")
	for _, c := range r.Pool {
		fmt.Fprintf(&b, "  %s\n", c.Category)
		for _, v := range c.Values {
			fmt.Fprintf(&b, "    %-14s %5.1f%%  pool %4d  quota %2d-%-2d  panel %2d\n", v.Value, 100*v.Population, v.Pool, v.Min, v.Max, v.Panel)
		}
	}
	for _, q := range r.QuotasLowered {
		fmt.Fprintf(&b, "  note: %s\n", q)
	}
	fmt.Fprintf(&b, "Draw %d (%s)\n", r.DrawID, r.Commitment)
	fmt.Fprintf(&b, "  selection probability min %.4f, max %.4f\n", r.MinProbability, r.MaxProbability)
	fmt.Fprintf(&b, "  selected %d, reserves %d, replacements %d\n", len(r.Selected), len(r.Reserves), len(r.Replacements))
	for _, rp := range r.Replacements {
		kept := "quotas kept"
		if !rp.QuotasKept {
			kept = "quotas NOT kept"
		}
		fmt.Fprintf(&b, "    %s → %s (%s)\n", rp.Member, rp.Replacement, kept)
	}
	fmt.Fprintf(&b, "  reserves by category: %s\n", formatCounts(r.ReservesByCategory))
	fmt.Fprintf(&b, "  published record: %s\n", r.Verification)
	fmt.Fprintf(&b, "Reminders sent per meeting\n")
	titles := make([]string, 0, len(r.Reminders))
	for t := range r.Reminders {
		titles = append(titles, t)
	}
	sort.Strings(titles)
	for _, t := range titles {
		fmt.Fprintf(&b, "  %-24s %d\n", t, r.Reminders[t])
	}
	fmt.Fprintf(&b, "Messages at the fake Twilio: %s\n", formatFlat(r.Messages))
	fmt.Fprintf(&b, "Wall time (s): %s\n", formatSeconds(r.Seconds))
	if r.Consistent {
		fmt.Fprintf(&b, "Every number is accounted for.\n")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "PROBLEM: %s\n", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatCounts(m map[string]map[string]int) string {
	var parts []string
	for _, c := range Categories {
		var vs []string
		for _, s := range c.Shares {
			vs = append(vs, fmt.Sprintf("%s %d", s.Value, m[c.Name][s.Value]))
		}
		parts = append(parts, c.Name+": "+strings.Join(vs, ", "))
	}
	return strings.Join(parts, "; ")
}

func formatFlat(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func formatSeconds(m map[string]float64) string {
	order := []string{"invite", "replies", "quotas", "draw", "notify", "replace", "reminders", "total"}
	var parts []string
	for _, k := range order {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %.1f", k, v))
		}
	}
	return strings.Join(parts, ", ")
}
