package sortition_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/citizenspanel/panel/sortition"
	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

// nationalCase is a generated pool (see package poolgen) with a time budget:
// a run that has not finished by then is stopped and reported as such.
type nationalCase struct {
	people, seats, categories int
	seeds                     []uint64
	budget                    time.Duration
}

// BenchmarkNationalDraw measures the whole process of panel draw (parse the
// two CSV files, leximin, rounding to 1000 panels, commitment, draw with 10
// reserves) on generated pools shaped like those of national assemblies,
// on several seeds. The budget is 1.5 times the target; a stopped run
// reports stopped=1, the level reached and the gap between its certified
// bounds, and its ns/op is the budget (so the target shows as not met).
func BenchmarkNationalDraw(b *testing.B) {
	for _, c := range []nationalCase{
		{825, 75, 4, []uint64{1, 2, 3}, 15 * time.Second},
		{1727, 110, 7, []uint64{1, 2, 3}, 90 * time.Second},
		{4000, 200, 7, []uint64{1, 2}, 180 * time.Second},
	} {
		for _, seed := range c.seeds {
			b.Run(fmt.Sprintf("%d_%d_%d/seed=%d", c.people, c.seats, c.categories, seed), func(b *testing.B) {
				benchNational(b, c.people, c.seats, c.categories, seed, c.budget)
			})
		}
	}
}

// BenchmarkNationalScaling measures the same whole process against pool
// size with 4 categories (seats about 9% of the pool) and with 7 categories
// (seats 5%), and against the number of categories (825 people, 75 seats),
// seed 1, budget 60 s each.
func BenchmarkNationalScaling(b *testing.B) {
	for _, people := range []int{200, 400, 825, 1200, 2000} {
		b.Run(fmt.Sprintf("people=%d_cats=4", people), func(b *testing.B) {
			benchNational(b, people, max(20, people*75/825), 4, 1, time.Minute)
		})
	}
	for _, people := range []int{500, 1000, 2000, 4000} {
		b.Run(fmt.Sprintf("people=%d_cats=7", people), func(b *testing.B) {
			benchNational(b, people, people/20, 7, 1, time.Minute)
		})
	}
	for cats := 2; cats <= 7; cats++ {
		b.Run(fmt.Sprintf("people=825_cats=%d", cats), func(b *testing.B) {
			benchNational(b, 825, 75, cats, 1, time.Minute)
		})
	}
}

func benchNational(b *testing.B, people, seats, cats int, seed uint64, budget time.Duration) {
	g, err := poolgen.Generate(poolgen.Config{People: people, Seats: seats, Categories: cats, Seed: seed})
	if err != nil {
		b.Fatal(err)
	}
	qb, pb := g.QuotasCSV(), g.PeopleCSV()
	b.ResetTimer()
	// A classic loop: a stopped run ends the benchmark early.
	for range b.N {
		quotas, err := sortition.ParseQuotas(bytes.NewReader(qb), "categories.csv")
		if err != nil {
			b.Fatal(err)
		}
		pool, err := sortition.ParsePeople(bytes.NewReader(pb), "respondents.csv", sortition.PeopleOptions{Quotas: quotas, HouseholdColumns: []string{poolgen.AddressColumn}})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), budget)
		rec, err := sortition.Prepare(ctx, pool, quotas, sortition.Params{Seats: seats, Reserves: 10})
		cancel()
		var stopped *sortition.StoppedError
		if errors.As(err, &stopped) {
			r := stopped.Reached
			b.ReportMetric(1, "stopped")
			b.ReportMetric(float64(r.Level), "level")
			b.ReportMetric(float64(r.FixedPeople)/float64(r.People), "fixed_share")
			b.ReportMetric(r.Upper-r.Lower, "gap")
			return
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := rec.Draw("national benchmark"); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(rec.OptimalMinProbability, "min_p")
		b.ReportMetric(rec.MaxDeviation*float64(rec.PanelsCount), "deviation_per_m")
	}
	b.ReportMetric(maxRSS(b)/(1<<20), "maxrss_MB")
}

// maxRSS is the benchmark process's peak resident set so far, in bytes: an
// upper bound on the run's own peak, as the largest pools run last.
func maxRSS(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Maxrss) * 1024 // kilobytes on Linux
}
