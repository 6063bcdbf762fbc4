package sortition_test

import (
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// reserveRule names a way of ordering the reserves of a drawn record.
type reserveRule struct {
	name     string
	reserves func(*sortition.Record) ([]string, error)
}

// reserveRules are the rule Draw uses and the proportional rule it replaced.
var reserveRules = []reserveRule{
	{"cover", func(r *sortition.Record) ([]string, error) { return r.Reserves, nil }},
	{"proportional", sortition.ProportionalReserves},
}

// coverage is what a reserve list achieves over several seeds.
type coverage struct {
	single   float64 // fraction of panel members that Replace replaces keeping the quotas
	sequence float64 // fraction of replacements, three in a row, that keep the quotas
}

// measureCoverage draws rec with seeds "coverage 0", "coverage 1", ... and
// measures, with the reserves rule gives: for every panel member alone,
// whether Replace keeps the quotas; and for three members in a row (the
// first, middle and last seats, as different as pool order allows), how many
// of the three replacements keep them.
func measureCoverage(t testing.TB, rec *sortition.Record, rule reserveRule, seeds int) coverage {
	t.Helper()
	kept, tried, seqKept, seqTried := 0, 0, 0, 0
	for s := range seeds {
		r := *rec
		if err := r.Draw(fmt.Sprint("coverage ", s)); err != nil {
			t.Fatal(err)
		}
		reserves, err := rule.reserves(&r)
		if err != nil {
			t.Fatal(err)
		}
		r.Reserves = reserves
		for _, member := range r.Selected {
			one := r
			one.History = nil
			_, ok, err := sortition.Replace(&one, member, nil)
			if err != nil {
				t.Fatal(err)
			}
			tried++
			if ok {
				kept++
			}
		}
		seq := r
		seq.History = nil
		n := len(r.Selected)
		for _, member := range []string{r.Selected[0], r.Selected[n/2], r.Selected[n-1]} {
			_, ok, err := sortition.Replace(&seq, member, nil)
			if err != nil {
				t.Fatal(err)
			}
			seqTried++
			if ok {
				seqKept++
			}
		}
	}
	return coverage{single: float64(kept) / float64(tried), sequence: float64(seqKept) / float64(seqTried)}
}

// TestReserveCoverage measures, on the reference-round pool (370 people, 50
// seats, 10 reserves) over 50 seeds, how often Replace keeps the quotas with
// the cover rule and with the proportional rule it replaced.
func TestReserveCoverage(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 370, 50, false, 2026)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 50, Reserves: 10})
	got := map[string]coverage{}
	for _, rule := range reserveRules {
		got[rule.name] = measureCoverage(t, rec, rule, 50)
		t.Logf("%s: single %.3f, three in a row %.3f", rule.name, got[rule.name].single, got[rule.name].sequence)
	}
	cover, old := got["cover"], got["proportional"]
	if cover.single < 0.8 {
		t.Errorf("cover rule: %.3f of members replaceable keeping the quotas, want at least 0.8", cover.single)
	}
	if cover.single <= old.single || cover.sequence <= old.sequence {
		t.Errorf("cover rule %+v, want above the proportional rule %+v", cover, old)
	}
}

// BenchmarkReserveCoverage reports the coverage figures of TestReserveCoverage
// (covered_frac: members replaceable keeping the quotas; seq_kept_frac:
// replacements keeping them, three in a row) per rule, with and without
// households. Run it with -benchtime=1x.
func BenchmarkReserveCoverage(b *testing.B) {
	for _, households := range []bool{false, true} {
		pool, quotas := synthInstance(b, 370, 50, households, 2026)
		rec := prepare(b, pool, quotas, sortition.Params{Seats: 50, Reserves: 10})
		for _, rule := range reserveRules {
			b.Run(fmt.Sprintf("%s/households=%v", rule.name, households), func(b *testing.B) {
				for b.Loop() {
					c := measureCoverage(b, rec, rule, 50)
					b.ReportMetric(c.single, "covered_frac")
					b.ReportMetric(c.sequence, "seq_kept_frac")
				}
			})
		}
	}
}
