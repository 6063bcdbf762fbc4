package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/citizenspanel/panel/sortition
cpu: Example CPU @ 2.0GHz
BenchmarkWholeProcess/example_small_20-2         	     100	   9400000 ns/op	  123 B/op	       4 allocs/op
BenchmarkWholeProcess/example_large_200-2        	      10	 613000000 ns/op
some log line from a benchmark
BenchmarkLegacyMinProbability/fixture_150-2      	       1	2000000000 ns/op	         0.0612 legacy_min_p	         0.089 leximin_min_p
PASS
pkg: github.com/citizenspanel/panel/internal/twiliosms
BenchmarkSend/sequential-2 	    5000	    250000 ns/op	      4000 msgs/s
--- FAIL: BenchmarkBroken
FAIL	github.com/citizenspanel/panel/internal/broken	0.1s
`

func TestParse(t *testing.T) {
	run, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(run.Results), 4; got != want {
		t.Fatalf("got %d results, want %d", got, want)
	}
	r := run.Results[2]
	if r.Name != "BenchmarkLegacyMinProbability/fixture_150" || r.Package != "github.com/citizenspanel/panel/sortition" {
		t.Errorf("got %s in %s, want the legacy benchmark in sortition", r.Name, r.Package)
	}
	if got := r.Metrics["legacy_min_p"]; got != 0.0612 {
		t.Errorf("legacy_min_p: got %v, want 0.0612", got)
	}
	if got := run.Results[3].Package; got != "github.com/citizenspanel/panel/internal/twiliosms" {
		t.Errorf("package of the last result: got %q", got)
	}
	if run.CPU != "Example CPU @ 2.0GHz" || run.GOOS != "linux" || run.GOARCH != "amd64" {
		t.Errorf("headers: got cpu %q goos %q goarch %q", run.CPU, run.GOOS, run.GOARCH)
	}
	if got := len(run.Failures); got != 2 {
		t.Errorf("got %d failure lines, want 2", got)
	}
}

func TestCheck(t *testing.T) {
	run, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	ts := []Target{
		{What: "small", Package: "sortition", Bench: "BenchmarkWholeProcess/example_small_20", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s"},
		{What: "large", Package: "sortition", Bench: "BenchmarkWholeProcess/example_large_200", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s"},
		{What: "send", Package: "internal/twiliosms", Bench: "BenchmarkSend/sequential", Metric: "msgs/s", Min: 1000},
		{What: "wrong package", Package: "internal/store", Bench: "BenchmarkSend/sequential", Metric: "msgs/s", Min: 1000},
		{What: "absent", Package: "sortition", Bench: "BenchmarkNothing", Metric: "ns/op", Max: 1},
	}
	got := Check(run, ts)
	want := []struct {
		met      bool
		measured string
	}{
		{true, "0.0094 s"},
		{false, "0.613 s"},
		{true, "4000 msgs/s"},
		{false, "not run"},
		{false, "not run"},
	}
	for i, w := range want {
		if got[i].Met != w.met || got[i].Measured != w.measured {
			t.Errorf("%s: got met=%t measured %q, want met=%t measured %q", ts[i].What, got[i].Met, got[i].Measured, w.met, w.measured)
		}
	}
}

func TestWrite(t *testing.T) {
	run, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	vs := Check(run, targets)
	if err := Write(&b, Machine{Date: "2026-11-25", CPU: "Example", Cores: 2, MemoryGiB: 24, GoVersion: "go1.26.8", OS: "linux/amd64"}, run, vs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| date | 2026-11-25 |",
		"Example, 2 cores, 24 GiB memory, linux/amd64",
		"| draw (#3) | example_small_20 (n=200, k=20), whole process, under 0.5 s | 0.0094 s | yes |",
		"| draw (#3) | example_large_200 (n=2000, k=200), whole process, under 0.5 s | 0.613 s | no |",
		"### github.com/citizenspanel/panel/sortition",
		"| BenchmarkWholeProcess/example_small_20 | 100 | 9.4 ms/op, 123 B/op, 4 allocs/op |",
		"0.0612 legacy_min_p",
		"## Failures",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, out)
		}
	}
}

// TestWriteIndependent checks that a target with an independent solver's
// figure gets a row in the independent figures, next to the measured one,
// and that targets without one get none.
func TestWriteIndependent(t *testing.T) {
	run, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	ts := []Target{
		{Issue: "x", What: "small under 0.5 s", Package: "sortition", Bench: "BenchmarkWholeProcess/example_small_20", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s", Independent: "solver Y: 12 s"},
		{Issue: "x", What: "large under 0.5 s", Package: "sortition", Bench: "BenchmarkWholeProcess/example_large_200", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s"},
	}
	var b strings.Builder
	if err := Write(&b, Machine{}, run, Check(run, ts)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	_, section, _ := strings.Cut(out, "## Independent figures")
	if !strings.Contains(section, "| small under 0.5 s | 0.0094 s | solver Y: 12 s |") {
		t.Errorf("report lacks the independent figure\n%s", out)
	}
	if strings.Contains(section, "large under 0.5 s") {
		t.Errorf("report lists a target without an independent figure\n%s", out)
	}
}
