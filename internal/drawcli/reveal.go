package drawcli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/citizenspanel/panel/sortition"
)

// Reveal runs "panel reveal RECORD --seed S [--out F]": it checks that
// RECORD is a committed record that verifies (commitment, lottery, no seed
// yet), draws with the seed and writes the completed record to --out or
// stdout, byte for byte what "panel draw" with the same seed writes.
func Reveal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var seed, out string
	fs := flag.NewFlagSet("reveal", flag.ContinueOnError)
	fs.StringVar(&seed, "seed", "", "the public seed, a UTF-8 string; required")
	fs.StringVar(&out, "out", "", "write the completed record here (default: standard output)")
	positional, err := parseInterleaved(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("reveal: want exactly one committed record file, got %d (usage: panel reveal RECORD.json --seed S [--out F])", len(positional))
	}
	if seed == "" {
		return usagef("reveal: missing --seed")
	}
	if !utf8.ValidString(seed) {
		return usagef("reveal: the seed is not valid UTF-8")
	}
	rec, err := readRecord(positional[0])
	if err != nil {
		return err
	}
	if rec.Seed != "" {
		return fmt.Errorf("reveal %s: the record already has a seed (%q); verify it with panel verify", positional[0], rec.Seed)
	}
	rep, err := sortition.Verify(ctx, rec, sortition.VerifyOptions{})
	if err != nil {
		return fmt.Errorf("reveal %s: %w", positional[0], err)
	}
	if err := rep.Err(); err != nil {
		return fmt.Errorf("reveal %s: %w", positional[0], err)
	}
	if err := rec.Draw(seed); err != nil {
		return fmt.Errorf("reveal: %w", err)
	}
	if err := writeRecord(rec, out, stdout); err != nil {
		return err
	}
	summary := stderr
	if out != "" {
		summary = stdout
	}
	printSummary(summary, rec, out)
	return nil
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	var positional []string
	for {
		if err := parseFlags(fs, args, stderr); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
