package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	in := fs.String("in", "-", "go test -bench output to read (- for standard input)")
	out := fs.String("out", "BENCHMARKS.md", "report to write")
	date := fs.String("date", time.Now().UTC().Format(time.DateOnly), "date to print in the report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r := stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	run, err := Parse(r)
	if err != nil {
		return err
	}
	if len(run.Results) == 0 {
		return fmt.Errorf("no benchmark results in the input")
	}
	verdicts := Check(run, targets)
	m := Machine{
		Date:      *date,
		CPU:       firstNonEmpty(cpuModel(), run.CPU, "unknown CPU"),
		Cores:     runtime.NumCPU(),
		MemoryGiB: memoryGiB(),
		GoVersion: runtime.Version(),
		OS:        runtime.GOOS + "/" + runtime.GOARCH,
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := Write(f, m, run, verdicts); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	var problems []string
	for _, v := range verdicts {
		if !v.Met {
			problems = append(problems, fmt.Sprintf("target not met: %s (%s): %s", v.Target.What, v.Target.Bench, v.Measured))
		}
	}
	problems = append(problems, run.Failures...)
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problems; report written to %s", len(problems), *out)
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// cpuModel reads the CPU model name on Linux; "" elsewhere.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// memoryGiB reads the total memory on Linux; 0 elsewhere.
func memoryGiB() float64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseFloat(fields[1], 64)
			if err == nil {
				return kb / (1024 * 1024)
			}
		}
	}
	return 0
}
