package sortition

import (
	"fmt"
	"strings"
)

// MaxReportedErrors caps how many row errors ParseQuotas and ParsePeople collect
// before giving up on a file.
const MaxReportedErrors = 50

// InputError is a problem in an input file. It names the file, the 1-based row
// (the header is row 1; 0 when the problem is not tied to one row) and the column
// or category at fault.
type InputError struct {
	File    string // file name as given by the caller
	Row     int    // 1-based row, header = 1; 0 for whole-file problems
	Column  string // column or category name; empty when not tied to one
	Message string // what is wrong, in a sentence for the person who wrote the file
}

// Error formats the error as "file: row R, column "C": message".
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, ": row %d", e.Row)
	}
	if e.Column != "" {
		if e.Row > 0 {
			b.WriteString(",")
		} else {
			b.WriteString(":")
		}
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// InputErrors collects every problem found in the inputs (up to
// MaxReportedErrors), so that all of them can be fixed at once.
type InputErrors []*InputError

// Error lists every problem on its own line.
func (es InputErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// errorList accumulates InputErrors up to the cap.
type errorList struct {
	file string
	errs InputErrors
}

// add records a problem; it reports false once the cap is reached.
func (l *errorList) add(row int, column, format string, args ...any) bool {
	if len(l.errs) >= MaxReportedErrors {
		return false
	}
	l.errs = append(l.errs, &InputError{File: l.file, Row: row, Column: column, Message: fmt.Sprintf(format, args...)})
	return len(l.errs) < MaxReportedErrors
}

// full reports whether the cap has been reached.
func (l *errorList) full() bool { return len(l.errs) >= MaxReportedErrors }

// err returns nil when nothing was recorded.
func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	return l.errs
}
