package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Machine describes where the benchmarks ran.
type Machine struct {
	Date      string // e.g. "2026-11-25"
	CPU       string
	Cores     int
	MemoryGiB float64
	GoVersion string
	OS        string
}

// Verdict is a target with what was measured against it.
type Verdict struct {
	Target   Target
	Value    float64 // scaled for display
	Found    bool
	Met      bool
	Measured string // formatted value, or "not run"
}

// Check matches every target against the run. A target with no matching
// benchmark is "not run" and not met.
func Check(run *Run, ts []Target) []Verdict {
	out := make([]Verdict, 0, len(ts))
	for _, t := range ts {
		v := Verdict{Target: t, Measured: "not run"}
		for _, r := range run.Results {
			if r.Name != t.Bench || !packageMatches(r.Package, t.Package) {
				continue
			}
			raw, ok := r.Metrics[t.Metric]
			if !ok {
				continue
			}
			v.Found = true
			v.Met = (t.Max == 0 || raw <= t.Max) && (t.Min == 0 || raw >= t.Min)
			scale := t.Scale
			if scale == 0 {
				scale = 1
			}
			v.Value = raw / scale
			v.Measured = formatFloat(v.Value) + " " + displayUnit(t)
		}
		out = append(out, v)
	}
	return out
}

// packageMatches reports whether the import path pkg ends in suffix at a
// path boundary.
func packageMatches(pkg, suffix string) bool {
	return pkg == suffix || strings.HasSuffix(pkg, "/"+suffix)
}

func displayUnit(t Target) string {
	if t.Unit != "" {
		return t.Unit
	}
	return t.Metric
}

// formatFloat prints v with about four significant digits.
func formatFloat(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 1000 || v <= -1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// Write renders BENCHMARKS.md.
func Write(w io.Writer, m Machine, run *Run, verdicts []Verdict) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmarks\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (`internal/benchreport`) from `go test -bench` output; do not edit by hand.\n\n")
	fmt.Fprintf(&b, "| | |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| date | %s |\n| machine | %s, %d cores, %.0f GiB memory, %s |\n| Go | %s |\n\n", m.Date, m.CPU, m.Cores, m.MemoryGiB, m.OS, m.GoVersion)

	met := 0
	for _, v := range verdicts {
		if v.Met {
			met++
		}
	}
	fmt.Fprintf(&b, "## Targets (%d of %d met)\n\n", met, len(verdicts))
	fmt.Fprintf(&b, "| issue | target | measured | met |\n| --- | --- | --- | --- |\n")
	for _, v := range verdicts {
		mark := "no"
		if v.Met {
			mark = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", v.Target.Issue, v.Target.What, v.Measured, mark)
	}
	first := true
	for _, v := range verdicts {
		if v.Target.Independent == "" {
			continue
		}
		if first {
			fmt.Fprintf(&b, "\n## Independent figures\n\n| target | measured here | independent |\n| --- | --- | --- |\n")
			first = false
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", v.Target.What, v.Measured, v.Target.Independent)
	}
	if len(run.Failures) > 0 {
		fmt.Fprintf(&b, "\n## Failures\n\n```\n%s\n```\n", strings.Join(run.Failures, "\n"))
	}

	fmt.Fprintf(&b, "\n## Every benchmark\n\n")
	byPkg := map[string][]Result{}
	var pkgs []string
	for _, r := range run.Results {
		if _, ok := byPkg[r.Package]; !ok {
			pkgs = append(pkgs, r.Package)
		}
		byPkg[r.Package] = append(byPkg[r.Package], r)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		fmt.Fprintf(&b, "### %s\n\n| benchmark | iterations | figures |\n| --- | --- | --- |\n", p)
		for _, r := range byPkg[p] {
			figs := make([]string, 0, len(r.Units))
			for _, u := range r.Units {
				figs = append(figs, formatMetric(r.Metrics[u], u))
			}
			fmt.Fprintf(&b, "| %s | %d | %s |\n", strings.ReplaceAll(r.Name, "|", `\|`), r.N, strings.Join(figs, ", "))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatMetric prints a figure with a readable unit: durations per op in
// the largest fitting unit, the rest as printed by go test.
func formatMetric(v float64, unit string) string {
	if unit == "ns/op" {
		switch {
		case v >= 1e9:
			return formatFloat(v/1e9) + " s/op"
		case v >= 1e6:
			return formatFloat(v/1e6) + " ms/op"
		case v >= 1e3:
			return formatFloat(v/1e3) + " µs/op"
		}
	}
	return formatFloat(v) + " " + unit
}
