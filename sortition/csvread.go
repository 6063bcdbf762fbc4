package sortition

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readCSV reads a whole CSV file: the header (trimmed, a leading byte order
// mark removed) and the data rows. Short rows are allowed here and reported by
// the callers with their row number.
func readCSV(r io.Reader, file string) (header []string, rows [][]string, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	all, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, &InputError{File: file, Row: pe.StartLine, Message: "not valid CSV: " + pe.Err.Error()}
		}
		return nil, nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(all) == 0 {
		return nil, nil, &InputError{File: file, Message: "the file is empty: it needs a header row"}
	}
	header = all[0]
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		header[i] = strings.TrimSpace(h)
	}
	rows = all[1:]
	// Drop trailing rows that are entirely empty (spreadsheet exports).
	for len(rows) > 0 && blankRow(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	return header, rows, nil
}

// blankRow reports whether every cell of a row is empty after trimming.
func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnIndex finds a header column case-insensitively; -1 if absent.
func columnIndex(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(h, strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

// cell returns the trimmed cell at column i, or "" when the row is short.
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// fold is the case-insensitive matching key of a value.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
