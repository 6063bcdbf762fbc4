package sortition_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// BenchmarkWholeProcess measures parse + leximin + rounding to 1000 panels +
// draw on each public instance and on synthetic reference-round pools.
func BenchmarkWholeProcess(b *testing.B) {
	for _, in := range instances {
		qb, err := os.ReadFile(filepath.Join(dataDir, in.quotas))
		if err != nil {
			b.Fatal(err)
		}
		pb, err := os.ReadFile(filepath.Join(dataDir, in.people))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				quotas, err := sortition.ParseQuotas(bytes.NewReader(qb), in.quotas)
				if err != nil {
					b.Fatal(err)
				}
				pool, err := sortition.ParsePeople(bytes.NewReader(pb), in.people, sortition.PeopleOptions{Quotas: quotas, HouseholdColumns: in.households})
				if err != nil {
					b.Fatal(err)
				}
				drawOnce(b, pool, quotas, in.seats)
			}
		})
	}
	for _, households := range []bool{false, true} {
		b.Run(fmt.Sprintf("synthetic_370_50_households=%v", households), func(b *testing.B) {
			for b.Loop() {
				pool, quotas := synthInstance(b, 370, 50, households, 2026)
				drawOnce(b, pool, quotas, 50)
			}
		})
	}
}

// drawOnce prepares a leximin draw and draws it.
func drawOnce(b *testing.B, pool *sortition.Pool, quotas []sortition.Quota, seats int) {
	b.Helper()
	rec := prepare(b, pool, quotas, sortition.Params{Seats: seats, Reserves: 10})
	if err := rec.Draw("benchmark"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLegacyMinProbability estimates the legacy algorithm's smallest
// selection probability from 10,000 seeded runs per instance and reports it
// next to leximin's (metrics legacy_min_p and leximin_min_p), with the share
// of seeds for which the legacy greedy finds no panel within its attempts
// (legacy_failed; those runs select nobody). Run it with -benchtime=1x.
func BenchmarkLegacyMinProbability(b *testing.B) {
	const runs = 10000
	type named struct {
		name   string
		pool   *sortition.Pool
		quotas []sortition.Quota
		seats  int
	}
	var all []named
	for _, in := range instances {
		pool, quotas := load(b, in)
		all = append(all, named{in.name, pool, quotas, in.seats})
	}
	pool, quotas := synthInstance(b, 370, 50, false, 2026)
	all = append(all, named{"synthetic_370_50", pool, quotas, 50})
	for _, in := range all {
		b.Run(in.name, func(b *testing.B) {
			legacy := prepare(b, in.pool, in.quotas, sortition.Params{Seats: in.seats, Algorithm: sortition.AlgorithmLegacy})
			lex := prepare(b, in.pool, in.quotas, sortition.Params{Seats: in.seats})
			for b.Loop() {
				count := map[string]int{}
				failed := 0
				for i := range runs {
					r := *legacy
					if err := r.Draw(fmt.Sprint("estimate ", i)); err != nil {
						failed++
						continue
					}
					for _, id := range r.Selected {
						count[id]++
					}
				}
				lowest := runs
				for _, p := range in.pool.People {
					lowest = min(lowest, count[p.ID])
				}
				b.ReportMetric(float64(lowest)/runs, "legacy_min_p")
				b.ReportMetric(float64(failed)/runs, "legacy_failed")
				b.ReportMetric(lex.MinProbability, "leximin_min_p")
				b.ReportMetric(lex.OptimalMinProbability, "leximin_opt_min_p")
			}
		})
	}
}

// BenchmarkVerify measures verifying a drawn leximin record of the reference-round size.
func BenchmarkVerify(b *testing.B) {
	pool, quotas := synthInstance(b, 370, 50, false, 2026)
	rec := prepare(b, pool, quotas, sortition.Params{Seats: 50, Reserves: 10})
	if err := rec.Draw("verify"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{})
		if err != nil || !rep.Verified() {
			b.Fatalf("verify: %v %v", err, rep.Err())
		}
	}
}

// BenchmarkLegacyDraw measures one legacy draw on the reference-round pool:
// the record is prepared once, and each iteration draws a copy of it with a
// different seed.
func BenchmarkLegacyDraw(b *testing.B) {
	b.Run("synthetic_370_50", func(b *testing.B) {
		pool, quotas := synthInstance(b, 370, 50, false, 2026)
		legacy := prepare(b, pool, quotas, sortition.Params{Seats: 50, Algorithm: sortition.AlgorithmLegacy})
		i := 0
		for b.Loop() {
			r := *legacy
			if err := r.Draw(fmt.Sprint("legacy draw ", i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkDrawReserves measures Draw on a prepared leximin record of the
// reference-round size with 10 reserves: the lottery index, the panel and
// the reserves (the cover phase does most of the work).
func BenchmarkDrawReserves(b *testing.B) {
	for _, households := range []bool{false, true} {
		b.Run(fmt.Sprintf("synthetic_370_50_households=%v", households), func(b *testing.B) {
			pool, quotas := synthInstance(b, 370, 50, households, 2026)
			rec := prepare(b, pool, quotas, sortition.Params{Seats: 50, Reserves: 10})
			i := 0
			for b.Loop() {
				r := *rec
				if err := r.Draw(fmt.Sprint("reserves draw ", i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
