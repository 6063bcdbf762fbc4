package drawcli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/citizenspanel/panel/sortition"
)

// drawFlags are the options of panel draw.
type drawFlags struct {
	categories, respondents, seed, algorithm, addressColumns, idColumn, out string
	seats, reserves, panels                                                 int
	timeLimit                                                               time.Duration
}

// parseDrawFlags parses and checks the panel draw arguments.
func parseDrawFlags(args []string, stderr io.Writer) (*drawFlags, error) {
	f := &drawFlags{}
	fs := flag.NewFlagSet("draw", flag.ContinueOnError)
	fs.StringVar(&f.categories, "categories", "", "quota CSV file (category,name,min,max or feature,value,min,max[,min_flex,max_flex]); required")
	fs.StringVar(&f.respondents, "respondents", "", "respondents CSV file: an id column and one column per category; required")
	fs.IntVar(&f.seats, "seats", 0, "panel size; required")
	fs.StringVar(&f.seed, "seed", "", "the public seed, a UTF-8 string; without it a committed record is written, to complete with panel reveal")
	fs.StringVar(&f.algorithm, "algorithm", sortition.AlgorithmLeximin, "leximin, maximin or legacy")
	fs.IntVar(&f.reserves, "reserves", 0, "number of ordered reserves")
	fs.StringVar(&f.addressColumns, "address-columns", "", "comma-separated address columns: at most one person per address")
	fs.StringVar(&f.idColumn, "id-column", "", "id column (default: id, then nationbuilder_id, else row numbers)")
	fs.IntVar(&f.panels, "panels", sortition.DefaultPanels, "panels in the published lottery (leximin, maximin)")
	fs.StringVar(&f.out, "out", "", "write the record here (default: standard output)")
	fs.DurationVar(&f.timeLimit, "time-limit", 0, "stop computing the lottery after this long (e.g. 90s, 5m) and write no record; 0: no limit")
	if err := parseFlags(fs, args, stderr); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("draw: unexpected argument %q", fs.Arg(0))
	}
	var missing []string
	for name, v := range map[string]string{"categories": f.categories, "respondents": f.respondents} {
		if v == "" {
			missing = append(missing, "--"+name)
		}
	}
	if f.seats <= 0 {
		missing = append(missing, "--seats (a positive number)")
	}
	if len(missing) > 0 {
		return nil, usagef("draw: missing %s", strings.Join(slices.Sorted(slices.Values(missing)), ", "))
	}
	if f.panels <= 0 {
		return nil, usagef("draw: --panels must be positive")
	}
	if f.reserves < 0 {
		return nil, usagef("draw: --reserves must not be negative")
	}
	if !utf8.ValidString(f.seed) {
		return nil, usagef("draw: the seed is not valid UTF-8")
	}
	if f.timeLimit < 0 {
		return nil, usagef("draw: --time-limit must not be negative")
	}
	return f, nil
}

// Draw runs "panel draw": it reads the quota and respondents files, prepares
// the draw (lottery and commitment), draws with the seed, writes the record as
// JSON to --out or stdout, and prints a short summary (to stdout when the
// record goes to a file, else to stderr). Without --seed it writes the
// committed record (no seed and nothing the seed decides), which Reveal
// completes. Errors name the file, row, column or category at fault; see
// ExitCode for the exit status they call for.
func Draw(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseDrawFlags(args, stderr)
	if err != nil {
		return err
	}
	quotas, err := readQuotas(f.categories)
	if err != nil {
		return err
	}
	if err := sortition.CheckQuotas(quotas, f.seats, f.categories); err != nil {
		return err
	}
	pool, err := readPeople(f.respondents, sortition.PeopleOptions{Quotas: quotas, IDColumn: f.idColumn, HouseholdColumns: splitList(f.addressColumns)})
	if err != nil {
		return err
	}
	summary := stderr
	if f.out != "" {
		summary = stdout
	}
	for _, n := range pool.Notices {
		fmt.Fprintln(stderr, "note:", n)
	}
	params := sortition.Params{Seats: f.seats, Reserves: f.reserves, Algorithm: f.algorithm, Software: Software}
	if f.algorithm != sortition.AlgorithmLegacy {
		params.Panels = f.panels
	}
	rec, err := prepare(ctx, pool, quotas, params, f.timeLimit, stderr)
	var inf *sortition.InfeasibleError
	if errors.As(err, &inf) {
		return &infeasibleError{err: err}
	}
	if err != nil {
		return err
	}
	if rec.MaxDeviation > 0.01 {
		fmt.Fprintf(stderr, "warning: rounding to %d panels moves a probability by %.4f, more than 0.01: use more --panels (e.g. %d)\n", rec.PanelsCount, rec.MaxDeviation, sortition.DefaultPanels)
	}
	if f.seed != "" {
		if err := rec.Draw(f.seed); err != nil {
			return fmt.Errorf("draw: %w", err)
		}
	}
	if err := writeRecord(rec, f.out, stdout); err != nil {
		return err
	}
	printSummary(summary, rec, f.out)
	return nil
}

// writeRecord writes the record to path, or to w if path is empty.
func writeRecord(rec *sortition.Record, path string, w io.Writer) error {
	if path == "" {
		return sortition.WriteRecord(w, rec)
	}
	var b bytes.Buffer
	if err := sortition.WriteRecord(&b, rec); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write record: %w", err)
	}
	return nil
}

// printSummary prints what a person reading the terminal needs.
func printSummary(w io.Writer, rec *sortition.Record, out string) {
	fmt.Fprintf(w, "algorithm:       %s, %d seats from %d people\n", rec.Algorithm, rec.Seats, len(rec.Pool))
	fmt.Fprintf(w, "commitment:      %s\n", rec.Commitment)
	if rec.Seed == "" {
		fmt.Fprintf(w, "seed:            none yet: publish the commitment, then run panel reveal %s --seed S\n", orStdout(out))
		return
	}
	if rec.LotteryIndex != nil {
		fmt.Fprintf(w, "lottery index:   %d of %d panels\n", *rec.LotteryIndex, rec.PanelsCount)
		fmt.Fprintf(w, "min probability: %.6f (optimum before rounding %.6f)\n", rec.MinProbability, rec.OptimalMinProbability)
	}
	fmt.Fprintf(w, "selected:        %s\n", strings.Join(rec.Selected, " "))
	if len(rec.Reserves) > 0 {
		fmt.Fprintf(w, "reserves:        %s\n", strings.Join(rec.Reserves, " "))
	}
	if out != "" {
		fmt.Fprintf(w, "record:          %s\n", out)
	}
}

// orStdout names the record file for messages.
func orStdout(path string) string {
	if path == "" {
		return "RECORD.json"
	}
	return path
}
