package drawcli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/citizenspanel/panel/sortition"
)

// verifyFlags are the options of panel verify.
type verifyFlags struct {
	record, respondents, categories, idColumn string
	resolve                                   bool
}

// parseVerifyFlags accepts the record file before, between or after flags.
func parseVerifyFlags(args []string, stderr io.Writer) (*verifyFlags, error) {
	f := &verifyFlags{}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.StringVar(&f.respondents, "respondents", "", "respondents CSV file: check the record's pool against it")
	fs.StringVar(&f.categories, "categories", "", "quota CSV file: check the record's quotas against it")
	fs.StringVar(&f.idColumn, "id-column", "", "id column of the respondents file, as given to panel draw")
	fs.BoolVar(&f.resolve, "resolve", true, "re-solve the leximin or maximin optimum and check the published lottery against it (--resolve=false skips it)")
	positional, err := parseInterleaved(fs, args, stderr)
	if err != nil {
		return nil, err
	}
	if len(positional) != 1 {
		return nil, usagef("verify: want exactly one record file, got %d (usage: panel verify RECORD.json [--respondents R.csv] [--categories C.csv])", len(positional))
	}
	f.record = positional[0]
	return f, nil
}

// Verify runs "panel verify": it re-derives everything in a draw record
// (drawn, or committed before the seed), optionally against the original CSV
// files, re-solves the optimum unless --resolve=false, prints each check and
// "verified: drawn record" or "verified: committed record (before the
// seed)", and returns an error naming every check that failed (what
// differs) otherwise.
func Verify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseVerifyFlags(args, stderr)
	if err != nil {
		return err
	}
	rec, err := readRecord(f.record)
	if err != nil {
		return err
	}
	opts := sortition.VerifyOptions{Resolve: f.resolve}
	quotas := rec.Quotas
	if f.categories != "" {
		if opts.Quotas, err = readQuotas(f.categories); err != nil {
			return err
		}
		quotas = opts.Quotas
	}
	if f.respondents != "" {
		if opts.Pool, err = readPeople(f.respondents, sortition.PeopleOptions{Quotas: quotas, IDColumn: f.idColumn, HouseholdColumns: rec.HouseholdColumns}); err != nil {
			return err
		}
	}
	rep, err := sortition.Verify(ctx, rec, opts)
	if err != nil {
		return fmt.Errorf("verify %s: %w", f.record, err)
	}
	for _, c := range rep.Checks {
		status := "ok  "
		switch {
		case c.Informational:
			status = "info"
		case !c.OK:
			status = "FAIL"
		}
		fmt.Fprintf(stdout, "%s  %-17s %s\n", status, c.Name, c.Detail)
	}
	if err := rep.Err(); err != nil {
		return fmt.Errorf("%s: %w", f.record, err)
	}
	fmt.Fprintln(stdout, "verified:", rep.Kind())
	return nil
}

// readRecord decodes a record file strictly: unknown fields are an error.
func readRecord(path string) (*sortition.Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read record: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	rec := &sortition.Record{}
	if err := dec.Decode(rec); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + strings.Count(string(b[:se.Offset]), "\n")
			return nil, fmt.Errorf("%s: line %d: not valid JSON: %w", path, line, err)
		}
		return nil, fmt.Errorf("%s: not a draw record: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: not a draw record: extra data after the record", path)
	}
	return rec, nil
}
