package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Result is one benchmark line of `go test -bench` output.
type Result struct {
	Package string
	Name    string             // without the -GOMAXPROCS suffix, e.g. "BenchmarkSend/sequential"
	N       int64              // iterations
	Metrics map[string]float64 // unit -> value, e.g. "ns/op" -> 1234
	Units   []string           // units in the order printed
}

// Run is everything read from one benchmark run.
type Run struct {
	Results  []Result
	CPU      string   // from the "cpu:" header
	GOOS     string   // from the "goos:" header
	GOARCH   string   // from the "goarch:" header
	Failures []string // "FAIL" and "--- FAIL" lines
}

// Parse reads `go test -bench` output. Lines it does not know are skipped.
func Parse(r io.Reader) (*Run, error) {
	run := &Run{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(text, "pkg: "):
			pkg = strings.TrimPrefix(text, "pkg: ")
		case strings.HasPrefix(text, "cpu: "):
			run.CPU = strings.TrimPrefix(text, "cpu: ")
		case strings.HasPrefix(text, "goos: "):
			run.GOOS = strings.TrimPrefix(text, "goos: ")
		case strings.HasPrefix(text, "goarch: "):
			run.GOARCH = strings.TrimPrefix(text, "goarch: ")
		case strings.HasPrefix(text, "--- FAIL"), strings.HasPrefix(text, "FAIL"):
			run.Failures = append(run.Failures, text)
		case strings.HasPrefix(text, "Benchmark"):
			res, ok, err := parseResult(text)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			if ok {
				res.Package = pkg
				run.Results = append(run.Results, res)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read benchmark output: %w", err)
	}
	return run, nil
}

// parseResult reads "BenchmarkX-2   100   123 ns/op   4 B/op ...". A line
// that names a benchmark but carries no figures (its own log output) is
// skipped with ok false.
func parseResult(text string) (Result, bool, error) {
	fields := strings.Fields(text)
	if len(fields) < 4 || len(fields)%2 != 0 {
		return Result{}, false, nil
	}
	n, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return Result{}, false, nil
	}
	res := Result{Name: trimProcs(fields[0]), N: n, Metrics: map[string]float64{}}
	for i := 2; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return Result{}, false, fmt.Errorf("benchmark %s: value %q for %s is not a number", fields[0], fields[i], fields[i+1])
		}
		unit := fields[i+1]
		res.Metrics[unit] = v
		res.Units = append(res.Units, unit)
	}
	return res, true, nil
}

// trimProcs drops the "-N" GOMAXPROCS suffix go test appends to names.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}
