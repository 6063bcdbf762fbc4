package main

import (
	"encoding/json"
	"sort"
	"strconv"
	"testing"

	"github.com/citizenspanel/panel/internal/store/storetest"
)

// Size of BenchmarkSoakRound's round.
const (
	soakInvitations = 20000
	soakSeats       = 50
	soakReserves    = 10
	soakDeclines    = 3
)

// BenchmarkSoakRound plays the whole round with 20,000 invitations on
// PostgreSQL through "panel simulate" (the service on loopback, the real
// Twilio client against the fake Twilio, signed webhooks), checks that the
// report is consistent and the record verified, and reports the wall time
// of each stage in seconds (invite_s, replies_s, ..., total_s). Sending
// alone takes over 200 s at the campaign's highest send rate (100/s): run
// it once, e.g. go test -run '^$' -bench SoakRound -benchtime 1x -timeout 30m.
func BenchmarkSoakRound(b *testing.B) {
	probe := storetest.Postgres(b)
	probe.SkipIfUnavailable(b)
	var last map[string]float64
	for b.Loop() {
		db := storetest.Postgres(b)
		stdout, stderr, err := runCmd(b, nil, "simulate", "--json", "--quiet", "--seed", "soak",
			"--invitations", strconv.Itoa(soakInvitations), "--seats", strconv.Itoa(soakSeats),
			"--reserves", strconv.Itoa(soakReserves), "--declines", strconv.Itoa(soakDeclines),
			"--database", db.URL)
		if err != nil {
			b.Fatalf("simulate: %v\nstderr:\n%s\nstdout:\n%.4000s", err, stderr, stdout)
		}
		var rep struct {
			Invited      int                `json:"invited"`
			Delivered    int                `json:"delivered"`
			Failed       int                `json:"failed"`
			Volunteers   int                `json:"volunteers"`
			Selected     []string           `json:"selected"`
			Verification string             `json:"verification"`
			Consistent   bool               `json:"consistent"`
			Seconds      map[string]float64 `json:"seconds"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			b.Fatalf("report: %v", err)
		}
		if !rep.Consistent || rep.Verification != "verified" || rep.Invited != soakInvitations || len(rep.Selected) != soakSeats {
			b.Fatalf("report: consistent %v, verification %q, invited %d, selected %d\n%.4000s",
				rep.Consistent, rep.Verification, rep.Invited, len(rep.Selected), stdout)
		}
		b.Logf("invited %d, delivered %d, failed %d, volunteers %d; seconds %v", rep.Invited, rep.Delivered, rep.Failed, rep.Volunteers, rep.Seconds)
		last = rep.Seconds
	}
	stages := make([]string, 0, len(last))
	for s := range last {
		stages = append(stages, s)
	}
	sort.Strings(stages)
	for _, s := range stages {
		b.ReportMetric(last[s], s+"_s")
	}
	b.ReportMetric(0, "ns/op")
}
