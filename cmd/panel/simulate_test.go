package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/simulate"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// Size of the rounds in TestSimulate.
const (
	simInvitations = 400
	simSeats       = 12
	simReserves    = 5
	simDeclines    = 1
)

// simulateReport is the --json report's contract fields (README, "The
// whole round, simulated") and the reconciliation counts.
type simulateReport struct {
	Invited        *int               `json:"invited"`
	Sent           int                `json:"sent"`
	RefusedAtSend  int                `json:"refused_at_send"`
	Delivered      *int               `json:"delivered"`
	Undelivered    int                `json:"undelivered"`
	Failed         *int               `json:"failed"`
	Volunteers     *int               `json:"volunteers"`
	OptedOut       *int               `json:"opted_out"`
	Selected       []string           `json:"selected"`
	Reserves       []string           `json:"reserves"`
	MinProbability *float64           `json:"min_probability"`
	Replacements   []json.RawMessage  `json:"replacements"`
	Verification   string             `json:"verification"`
	Reminders      map[string]int     `json:"reminders"`
	Seconds        map[string]float64 `json:"seconds"`
}

// runSimulateJSON runs "panel simulate --json" through run and decodes its
// report; database "" is the default fresh SQLite file.
func runSimulateJSON(t *testing.T, seed, database string) simulateReport {
	t.Helper()
	args := []string{"simulate", "--json", "--quiet", "--seed", seed,
		"--invitations", strconv.Itoa(simInvitations), "--seats", strconv.Itoa(simSeats),
		"--reserves", strconv.Itoa(simReserves), "--declines", strconv.Itoa(simDeclines)}
	if database != "" {
		args = append(args, "--database", database)
	}
	stdout, stderr, err := runCmd(t, nil, args...)
	if err != nil {
		t.Fatalf("simulate --seed %q: %v\nstderr:\n%s\nstdout:\n%s", seed, err, stderr, stdout)
	}
	if stderr != "" {
		t.Errorf("simulate --quiet wrote to stderr: %q", stderr)
	}
	var rep simulateReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("simulate --json printed something that is not one JSON object: %v\n%s", err, stdout)
	}
	checkSimulateReport(t, rep)
	return rep
}

// checkSimulateReport checks the contract fields of one report.
func checkSimulateReport(t *testing.T, rep simulateReport) {
	t.Helper()
	for name, v := range map[string]*int{"invited": rep.Invited, "delivered": rep.Delivered, "failed": rep.Failed,
		"volunteers": rep.Volunteers, "opted_out": rep.OptedOut} {
		if v == nil {
			t.Errorf("report: %s is missing", name)
		}
	}
	if t.Failed() {
		return
	}
	if *rep.Invited != simInvitations {
		t.Errorf("invited: got %d, want %d", *rep.Invited, simInvitations)
	}
	if *rep.Delivered+*rep.Failed != *rep.Invited || *rep.Failed == 0 {
		t.Errorf("delivered %d + failed %d: want invited %d, with some failed (the round makes some numbers fail)", *rep.Delivered, *rep.Failed, *rep.Invited)
	}
	if rep.Sent+rep.RefusedAtSend != *rep.Invited || rep.Delivered != nil && *rep.Delivered+rep.Undelivered != rep.Sent ||
		rep.RefusedAtSend+rep.Undelivered != *rep.Failed || rep.RefusedAtSend == 0 || rep.Undelivered == 0 {
		t.Errorf("sent %d + refused %d must be invited %d, delivered %d + undelivered %d must be sent, refused + undelivered must be failed %d (both some)",
			rep.Sent, rep.RefusedAtSend, *rep.Invited, *rep.Delivered, rep.Undelivered, *rep.Failed)
	}
	if *rep.Volunteers < simSeats+simReserves || *rep.Volunteers > *rep.Delivered/4 {
		t.Errorf("volunteers: got %d, want between %d and a quarter of the %d reached", *rep.Volunteers, simSeats+simReserves, *rep.Delivered)
	}
	if *rep.OptedOut < 1 || *rep.OptedOut > *rep.Delivered/20 {
		t.Errorf("opted_out: got %d, want a few of the %d reached", *rep.OptedOut, *rep.Delivered)
	}
	if len(rep.Selected) != simSeats || len(rep.Reserves) != simReserves {
		t.Errorf("selected %d and reserves %d, want %d and %d", len(rep.Selected), len(rep.Reserves), simSeats, simReserves)
	}
	for _, id := range rep.Reserves {
		if slices.Contains(rep.Selected, id) {
			t.Errorf("%s is both selected and a reserve", id)
		}
	}
	if rep.MinProbability == nil || *rep.MinProbability <= 0 || *rep.MinProbability > 1 {
		t.Errorf("min_probability: got %v, want in (0, 1]", rep.MinProbability)
	}
	if len(rep.Replacements) != simDeclines {
		t.Errorf("replacements: got %d, want %d", len(rep.Replacements), simDeclines)
	}
	if rep.Verification != "verified" {
		t.Errorf("verification: got %q, want \"verified\"", rep.Verification)
	}
	if len(rep.Reminders) != len(simulate.ReferenceMeetings) {
		t.Errorf("reminders: got %v, want one entry per reference meeting", rep.Reminders)
	}
	for _, m := range simulate.ReferenceMeetings {
		if got := rep.Reminders[m.Title]; got != 2*simSeats {
			t.Errorf("reminders[%q]: got %d, want %d (2 per member)", m.Title, got, 2*simSeats)
		}
	}
	for _, stage := range []string{"invite", "replies", "quotas", "draw", "notify", "replace", "reminders", "total"} {
		if s, ok := rep.Seconds[stage]; !ok || s < 0 {
			t.Errorf("seconds[%q]: got %v (present %v), want a wall time", stage, s, ok)
		}
	}
}

// TestSimulate runs "panel simulate --json" on a small round: on SQLite
// twice with one seed and once with another, and on PostgreSQL. The report
// has the contract fields, the same seed gives the same panel and
// reserves (on either database), and another seed another panel.
func TestSimulate(t *testing.T) {
	t.Parallel()
	pg := storetest.Postgres(t)
	reports := map[string]chan simulateReport{"a": make(chan simulateReport, 1), "a again": make(chan simulateReport, 1),
		"b": make(chan simulateReport, 1), "postgres a": make(chan simulateReport, 1)}
	t.Run("rounds", func(t *testing.T) {
		for _, tc := range []struct{ name, seed, database string }{
			{"a", "seed a", ""},
			{"a again", "seed a", ""},
			{"b", "seed b", ""},
			{"postgres a", "seed a", "postgres"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				database := ""
				if tc.database == "postgres" {
					pg.SkipIfUnavailable(t)
					database = pg.URL
				}
				reports[tc.name] <- runSimulateJSON(t, tc.seed, database)
			})
		}
	})
	got := func(name string) (simulateReport, bool) {
		select {
		case r := <-reports[name]:
			return r, true
		default:
			return simulateReport{}, false
		}
	}
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		stdout, stderr, err := runCmd(t, nil, "simulate", "--seed", "seed a", "--invitations", strconv.Itoa(simInvitations),
			"--seats", strconv.Itoa(simSeats), "--reserves", strconv.Itoa(simReserves), "--declines", strconv.Itoa(simDeclines))
		if err != nil {
			t.Fatalf("simulate: %v\nstderr:\n%s\nstdout:\n%s", err, stderr, stdout)
		}
		if strings.Contains(stderr, os.TempDir()) || strings.Contains(stderr, "logs:") || strings.Contains(stderr, "WARN") {
			t.Errorf("stderr names a directory the round deletes, or has warnings:\n%s", stderr)
		}
		if n := strings.Count(stderr, "\n[") + strings.Count(stderr[:min(len(stderr), 1)], "["); n != 7 {
			t.Errorf("got %d stage lines, want 7:\n%s", n, stderr)
		}
		if !regexp.MustCompile(`\[1/7\] invite +\d+ invited: \d+ delivered, \d+ failed \(`).MatchString(stderr) {
			t.Errorf("the invite stage line does not give its counts:\n%s", stderr)
		}
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`(\d+) accepted by Twilio, (\d+) refused at once \(not a mobile number\)`),
			regexp.MustCompile(`failed: \d+ refused \+ \d+ not delivered = \d+; delivered \d+ \+ failed \d+ = ` + strconv.Itoa(simInvitations) + ` invited`),
			regexp.MustCompile(`Samling 1 +2 reminders × ` + strconv.Itoa(simSeats) + ` members = ` + strconv.Itoa(2*simSeats) + ` SMS`),
			regexp.MustCompile(`SMS through Twilio: \d+ = \d+ invitations \+ \d+ draw notifications`),
			regexp.MustCompile(`Every number is accounted for\.`),
		} {
			if !want.MatchString(stdout) {
				t.Errorf("the report lacks %s:\n%s", want, stdout)
			}
		}
		// The answers add up to the delivered invitations, in the report's own words.
		m := regexp.MustCompile(`(\d+) \+ (\d+) \+ (\d+) \+ (\d+) \+ (\d+) = (\d+)\n`).FindStringSubmatch(stdout)
		d := regexp.MustCompile(`Answers from the (\d+) who got the invitation`).FindStringSubmatch(stdout)
		if m == nil || d == nil {
			t.Fatalf("the report does not add up the answers:\n%s", stdout)
		}
		sum := 0
		for _, x := range m[1:6] {
			n, _ := strconv.Atoi(x)
			sum += n
		}
		if strconv.Itoa(sum) != m[6] || m[6] != d[1] {
			t.Errorf("answers %v sum to %d, the report says %s of %s delivered", m[1:6], sum, m[6], d[1])
		}
		if strings.Contains(stdout, "quotas NOT kept") {
			t.Errorf("the report says quotas NOT kept without which:\n%s", stdout)
		}
	})
	a, okA := got("a")
	again, okAgain := got("a again")
	b, okB := got("b")
	pgA, okPG := got("postgres a")
	if okA && okAgain && (!slices.Equal(a.Selected, again.Selected) || !slices.Equal(a.Reserves, again.Reserves)) {
		t.Errorf("the same seed twice: selected %v then %v, reserves %v then %v", a.Selected, again.Selected, a.Reserves, again.Reserves)
	}
	if okA && okPG && (!slices.Equal(a.Selected, pgA.Selected) || !slices.Equal(a.Reserves, pgA.Reserves)) {
		t.Errorf("the same seed on SQLite and PostgreSQL: selected %v and %v, reserves %v and %v", a.Selected, pgA.Selected, a.Reserves, pgA.Reserves)
	}
	if okA && okB && slices.Equal(a.Selected, b.Selected) {
		t.Errorf("seeds a and b gave the same panel %v", a.Selected)
	}
}
