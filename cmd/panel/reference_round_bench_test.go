package main

import (
	"encoding/json"
	"testing"
)

// BenchmarkReferenceRound runs `panel simulate` with its defaults (the
// reference round: 4000 invitations, 50 seats, 10 reserves) on a fresh
// SQLite database and reports the wall time of the whole round and of each
// stage, in seconds. Issue 8 asks for the round in under 60 s.
func BenchmarkReferenceRound(b *testing.B) {
	for b.Loop() {
		stdout, stderr, err := runCmd(b, nil, "simulate", "--quiet", "--json")
		if err != nil {
			b.Fatalf("simulate: %v\n%s", err, stderr)
		}
		var report struct {
			Consistent bool               `json:"consistent"`
			Seconds    map[string]float64 `json:"seconds"`
		}
		if err := json.Unmarshal([]byte(stdout), &report); err != nil {
			b.Fatalf("report: %v", err)
		}
		if !report.Consistent {
			b.Fatalf("the round's numbers do not add up:\n%s", stdout)
		}
		for stage, s := range report.Seconds {
			b.ReportMetric(s, stage+"_s")
		}
	}
}
