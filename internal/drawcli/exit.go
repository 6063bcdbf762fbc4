package drawcli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/citizenspanel/panel/sortition"
)

// Exit statuses of the offline commands (see ExitCode).
const (
	ExitFailure    = 1 // the command ran and failed: bad input file, record does not verify
	ExitUsage      = 2 // a command line the command does not understand, or --help
	ExitInfeasible = 3 // the quotas cannot be met by any panel from the pool
)

// usageError is a command line the command does not understand.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// ExitCode is the exit status for the error: ExitUsage for a usage error,
// ExitInfeasible for infeasible quotas, else ExitFailure.
func (e *usageError) ExitCode() int { return ExitUsage }

// usagef makes a usage error.
func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// infeasibleError wraps a sortition.InfeasibleError for its exit status.
type infeasibleError struct{ err error }

func (e *infeasibleError) Error() string { return e.err.Error() }
func (e *infeasibleError) Unwrap() error { return e.err }

// ExitCode is ExitInfeasible.
func (e *infeasibleError) ExitCode() int { return ExitInfeasible }

// ExitCode returns the exit status a command's error calls for: 0 for nil,
// ExitUsage, ExitInfeasible or ExitFailure.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var c interface{ ExitCode() int }
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	var inf *sortition.InfeasibleError
	if errors.As(err, &inf) {
		return ExitInfeasible
	}
	return ExitFailure
}

// parseFlags parses a command's flags; every failure (unknown flag, a value
// that does not parse, -h or --help, which print the flags) is a usage error.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usagef("%s: help requested", fs.Name())
		}
		return usagef("%s: %w", fs.Name(), err)
	}
	return nil
}
