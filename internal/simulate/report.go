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
	Seed    string `json:"seed"`
	Invited int    `json:"invited"`
	// Sent is how many invitations Twilio accepted; RefusedAtSend were
	// refused at once (not a mobile number), so Invited = Sent +
	// RefusedAtSend.
	Sent          int `json:"sent"`
	RefusedAtSend int `json:"refused_at_send"`
	// Delivered reached the phone; Undelivered were accepted but reported
	// undelivered, so Sent = Delivered + Undelivered and Failed =
	// RefusedAtSend + Undelivered.
	Delivered   int `json:"delivered"`
	Undelivered int `json:"undelivered"`
	Failed      int `json:"failed"`
	Volunteers  int `json:"volunteers"` // complete volunteers in the pool
	SaidYes     int `json:"said_yes"`   // said yes, complete or not
	Declined    int `json:"declined"`
	OptedOut    int `json:"opted_out"`
	Unclear     int `json:"unclear"` // unclear replies left for the organisers' inbox
	Silent      int `json:"silent"`  // never answered, the unreached (Failed) included
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

	// Reminders is meeting title → reminder SMS sent (each member gets
	// RemindersPerMember of them per meeting).
	Reminders map[string]int `json:"reminders"`
	// RemindersPerMember is how many reminders each member gets before a
	// meeting (the default policy: 7 days and 1 day before); Members is
	// the final panel's size.
	RemindersPerMember int `json:"reminders_per_member"`
	Members            int `json:"members"`
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
	// Change lists the category values in which the replacement differs
	// from the member, e.g. "age 18-29 → 30-44".
	Change []string `json:"change,omitempty"`
	// QuotasBroken lists, when QuotasKept is false, each quota the panel
	// breaks after this replacement, e.g. "age 18-29: 2 on the panel,
	// minimum 3".
	QuotasBroken []string `json:"quotas_broken,omitempty"`
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

// WriteText writes the report for an organiser to read: every count
// with what it is made of, so that the numbers visibly add up.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Round (seed %q)\n", r.Seed)
	fmt.Fprintf(&b, "Invitations\n")
	fmt.Fprintf(&b, "  %d residents invited\n", r.Invited)
	fmt.Fprintf(&b, "  %d accepted by Twilio, %d refused at once (not a mobile number)\n", r.Sent, r.RefusedAtSend)
	fmt.Fprintf(&b, "  %d delivered, %d not delivered (reported undelivered by the network)\n", r.Delivered, r.Undelivered)
	fmt.Fprintf(&b, "  failed: %d refused + %d not delivered = %d; delivered %d + failed %d = %d invited\n",
		r.RefusedAtSend, r.Undelivered, r.Failed, r.Delivered, r.Failed, r.Delivered+r.Failed)
	noAnswer := r.Silent - r.Failed
	fmt.Fprintf(&b, "Answers from the %d who got the invitation\n", r.Delivered)
	fmt.Fprintf(&b, "  %d said yes: %d answered every question and are in the pool, %d stopped before the end\n",
		r.SaidYes, r.Volunteers, r.SaidYes-r.Volunteers)
	fmt.Fprintf(&b, "  %d said no, %d opted out (STOP), %d unclear (in the organisers' inbox), %d did not answer\n",
		r.Declined, r.OptedOut, r.Unclear, noAnswer)
	fmt.Fprintf(&b, "  %d + %d + %d + %d + %d = %d\n", r.SaidYes, r.Declined, r.OptedOut, r.Unclear, noAnswer,
		r.SaidYes+r.Declined+r.OptedOut+r.Unclear+noAnswer)
	fmt.Fprintf(&b, "Pool of %d against the quotas (population share, pool, quota, final panel)\n", r.Volunteers)
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
	fmt.Fprintf(&b, "  selection probability: lowest %.4f, highest %.4f\n", r.MinProbability, r.MaxProbability)
	fmt.Fprintf(&b, "  %d selected and %d reserves drawn from the pool of %d\n", len(r.Selected), len(r.Reserves), r.Volunteers)
	if len(r.Replacements) > 0 {
		fmt.Fprintf(&b, "  %d selected declined; a reserve took each seat:\n", len(r.Replacements))
	}
	broken := false
	for _, rp := range r.Replacements {
		change := "same values"
		if len(rp.Change) > 0 {
			change = strings.Join(rp.Change, ", ")
		}
		if rp.QuotasKept {
			fmt.Fprintf(&b, "    %s → %s: %s; every quota kept\n", rp.Member, rp.Replacement, change)
			continue
		}
		broken = true
		fmt.Fprintf(&b, "    %s → %s: %s; quota not kept: %s\n", rp.Member, rp.Replacement, change, strings.Join(rp.QuotasBroken, "; "))
	}
	if broken {
		fmt.Fprintf(&b, "  (when no reserve left keeps every quota, the first reserve on the list takes the seat: a full panel\n")
		fmt.Fprintf(&b, "  comes before exact quotas, and the published record marks the replacement quotas_kept false)\n")
	}
	fmt.Fprintf(&b, "  final panel: %d members (%d selected - %d declined + %d reserves)\n", r.Members, len(r.Selected), len(r.Replacements), len(r.Replacements))
	fmt.Fprintf(&b, "  reserves drawn by category: %s\n", formatCounts(r.ReservesByCategory))
	fmt.Fprintf(&b, "  published record: %s\n", r.Verification)
	fmt.Fprintf(&b, "Reminders\n")
	titles := make([]string, 0, len(r.Reminders))
	sum := 0
	for t, n := range r.Reminders {
		titles = append(titles, t)
		sum += n
	}
	sort.Strings(titles)
	for _, t := range titles {
		n := r.Reminders[t]
		if r.RemindersPerMember > 0 && r.Members > 0 && n == r.RemindersPerMember*r.Members {
			fmt.Fprintf(&b, "  %-12s %d reminders × %d members = %d SMS\n", t, r.RemindersPerMember, r.Members, n)
		} else {
			fmt.Fprintf(&b, "  %-12s %d SMS to %d members\n", t, n, r.Members)
		}
	}
	fmt.Fprintf(&b, "  %d reminder SMS in all\n", sum)
	m := r.Messages
	fmt.Fprintf(&b, "SMS through Twilio: %d = %d invitations + %d draw notifications (%d selected, of them %d reserves stepping in; %d reserve; %d not selected) + %d reminders",
		m["total"], m["invitations"], m["notifications"], m["told_selected"], len(r.Replacements), m["told_reserve"], m["told_not_selected"], m["reminders"])
	if m["other"] > 0 {
		fmt.Fprintf(&b, " + %d other", m["other"])
	}
	fmt.Fprintf(&b, "\n  (answers in the conversation go back in the webhook reply and are not counted here)\n")
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
