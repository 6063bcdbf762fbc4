// Package recipientcsv reads the recipient file an organiser imports: CSV
// with a "phone" column and any register columns (gender, age, district,
// ...). Phone numbers are normalised to E.164 (package phone); rows that
// are malformed, have a bad number or repeat an earlier number are listed
// with their line numbers, so the organiser can fix the file.
//
// Tolerated: a UTF-8 byte order mark, CRLF line ends, ";" as the separator
// (as spreadsheets write in Norwegian locales; chosen when the header has a
// ";" and no ","), blank lines, header names in any case and with spaces
// around them. Rows are numbered as lines of the file, the header being
// line 1, as a spreadsheet numbers them.
package recipientcsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

// Limits on the contents of a file.
const (
	MaxColumns     = 50  // columns in the header
	MaxValueLength = 200 // characters in one register value
	MaxNameLength  = 64  // characters in a column name
)

// PhoneColumn is the required column.
const PhoneColumn = "phone"

// Result is what Parse read: the good rows, in file order, and the
// rejected ones.
type Result struct {
	Rows     []panel.RecipientInput
	Rejected []panel.RowError
	// Columns are the register columns, lower-cased, in file order.
	Columns []string
}

// Parse reads a recipient CSV. Numbers without a country code are read as
// numbers of region (e.g. "NO"). A file that cannot be read as a recipient
// list at all (no header, no phone column, a column named twice, a quote
// left open) is an EINVALID *panel.Error naming the problem and its line;
// problems of single rows go into Result.Rejected. An *http.MaxBytesError
// from r is returned as it is.
func Parse(r io.Reader, region string) (Result, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	comma, err := sniffComma(br)
	if err != nil {
		return Result{}, err
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Result{}, panel.Errorf(panel.EINVALID, "the file is empty; the first line must be a header with a %q column", PhoneColumn)
	}
	if err != nil {
		return Result{}, readError(err)
	}
	phoneAt, columns, err := parseHeader(header)
	if err != nil {
		return Result{}, err
	}
	res := Result{Columns: columns}
	first := map[panel.Phone]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, readError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			res.reject(line, fmt.Sprintf("has %d fields, the header has %d", len(rec), len(header)))
			continue
		}
		in, problem := parseRow(rec, phoneAt, columns, region)
		if problem != "" {
			res.reject(line, problem)
			continue
		}
		if prev, dup := first[in.Phone]; dup {
			res.reject(line, fmt.Sprintf("phone number repeats row %d", prev))
			continue
		}
		first[in.Phone] = line
		in.Row = line
		res.Rows = append(res.Rows, in)
	}
	return res, nil
}

func (r *Result) reject(line int, msg string) {
	r.Rejected = append(r.Rejected, panel.RowError{Row: line, Error: msg})
}

// sniffComma picks "," or ";" from the header line.
func sniffComma(br *bufio.Reader) (rune, error) {
	peek, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return 0, err
		}
		return 0, fmt.Errorf("recipientcsv: read: %w", err)
	}
	line, _, _ := bytes.Cut(peek, []byte("\n"))
	if bytes.ContainsRune(line, ';') && !bytes.ContainsRune(line, ',') {
		return ';', nil
	}
	return ',', nil
}

// readError turns a reading error into a message naming the line.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return panel.Errorf(panel.EINVALID, "the file is not valid CSV at line %d, column %d: %s", pe.StartLine, pe.Column, pe.Err)
	}
	return fmt.Errorf("recipientcsv: read: %w", err)
}

// parseHeader finds the phone column and names the register columns.
func parseHeader(header []string) (int, []string, error) {
	if len(header) > MaxColumns {
		return 0, nil, panel.Errorf(panel.EINVALID, "the header has %d columns; at most %d are allowed", len(header), MaxColumns)
	}
	phoneAt := -1
	seen := map[string]int{}
	var columns []string
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case name == "":
			return 0, nil, panel.Errorf(panel.EINVALID, "header column %d has no name", i+1)
		case !utf8.ValidString(name):
			return 0, nil, panel.Errorf(panel.EINVALID, "header column %d is not valid UTF-8 text", i+1)
		case utf8.RuneCountInString(name) > MaxNameLength:
			return 0, nil, panel.Errorf(panel.EINVALID, "header column %d has a name longer than %d characters", i+1, MaxNameLength)
		}
		if prev, dup := seen[name]; dup {
			return 0, nil, panel.Errorf(panel.EINVALID, "header column %d %q repeats column %d", i+1, name, prev)
		}
		seen[name] = i + 1
		if name == PhoneColumn {
			phoneAt = i
			continue
		}
		columns = append(columns, name)
	}
	if phoneAt < 0 {
		return 0, nil, panel.Errorf(panel.EINVALID, "the header has no %q column (it has %s)", PhoneColumn, strings.Join(quoteAll(header), ", "))
	}
	return phoneAt, columns, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", strings.TrimSpace(s))
	}
	return out
}

// parseRow reads one record; problem is "" when it is good. Messages never
// repeat the number.
func parseRow(rec []string, phoneAt int, columns []string, region string) (panel.RecipientInput, string) {
	raw := strings.TrimSpace(rec[phoneAt])
	if raw == "" {
		return panel.RecipientInput{}, "phone is empty"
	}
	p, err := phone.Normalize(raw, region)
	if err != nil {
		return panel.RecipientInput{}, panel.ErrorMessage(err)
	}
	attrs := make(map[string]string, len(columns))
	j := 0
	for i, v := range rec {
		if i == phoneAt {
			continue
		}
		name := columns[j]
		j++
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			continue
		case !utf8.ValidString(v):
			return panel.RecipientInput{}, fmt.Sprintf("%s is not valid UTF-8 text", name)
		case utf8.RuneCountInString(v) > MaxValueLength:
			return panel.RecipientInput{}, fmt.Sprintf("%s is longer than %d characters", name, MaxValueLength)
		}
		attrs[name] = v
	}
	return panel.RecipientInput{Phone: p, Attributes: attrs}, ""
}
