// Package recipientcsv reads the recipient file an organiser imports: CSV
// with a phone column and any register columns (gender, age, district,
// ...). Phone numbers are normalised to E.164 (package phone); rows that
// are malformed, have a bad number, a number that cannot receive SMS (a
// landline), or repeat an earlier number are listed with their line
// numbers, so the organiser can fix the file.
//
// The file is read by package csvfile (encodings, separators, quoting) and
// its columns named by package columns (Mobil, Telefon, Kjønn, Bydel, ...
// and an explicit mapping). Rows are numbered as lines of the file, the
// header being line 1, as a spreadsheet numbers them.
package recipientcsv

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/columns"
	"github.com/citizenspanel/panel/internal/csvfile"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

// Limits on the contents of a file.
const (
	MaxColumns     = 50                    // columns in the header
	MaxValueLength = csvfile.MaxCellLength // characters in one register value, as in every import
	MaxNameLength  = 64                    // characters in a column name
)

// PhoneColumn is the required column (after package columns has named
// the columns: Mobil, Telefon and the like read as phone).
const PhoneColumn = columns.Phone

// Result is what Parse read: the good rows, in file order, and the
// rejected ones.
type Result struct {
	Rows     []panel.RecipientInput
	Rejected []panel.RowError
	// Columns are the register columns' names, in file order.
	Columns []string
	// Assigned says what each column of the file became.
	Assigned []panel.ColumnAssignment
}

// NotMobile is the problem of a row whose number is valid but cannot
// receive SMS (a landline or a service number).
const NotMobile = "not a mobile number: it cannot receive SMS"

// Scanner reads a recipient CSV row by row (package csvfile streams it),
// for imports of any size; it implements panel.RecipientSource. Repeated
// numbers are left to the importer, which sees every row.
type Scanner struct {
	rd       *csvfile.Reader
	region   string
	phoneAt  int
	cols     []string
	assigned []panel.ColumnAssignment
}

var _ panel.RecipientSource = (*Scanner)(nil)

// NewScanner reads the header of a recipient CSV. Numbers without a
// country code are read as numbers of region (e.g. "NO"). mapping names
// columns explicitly (may be nil). A file that cannot be read as a
// recipient list at all (no header, no phone column, a column named twice,
// text that is not UTF-8, UTF-16 or Windows-1252) is an EINVALID
// *panel.Error naming the problem and its line. An *http.MaxBytesError
// from r is returned wrapped (errors.As finds it).
func NewScanner(r io.Reader, region string, mapping panel.ColumnMapping) (*Scanner, error) {
	rd, err := csvfile.NewReader(r)
	if err != nil {
		return nil, readError(err)
	}
	if len(rd.Header) > MaxColumns {
		return nil, panel.Errorf(panel.EINVALID, "the header has %d columns; at most %d are allowed", len(rd.Header), MaxColumns)
	}
	names, assigned, err := columns.Resolve(rd.Header, mapping)
	if err != nil {
		return nil, err
	}
	phoneAt, cols, err := parseHeader(rd.Header, names)
	if err != nil {
		return nil, err
	}
	return &Scanner{rd: rd, region: region, phoneAt: phoneAt, cols: cols, assigned: assigned}, nil
}

// Columns are the register columns' names, in file order.
func (s *Scanner) Columns() []string { return s.cols }

// Assigned says what each column of the file became.
func (s *Scanner) Assigned() []panel.ColumnAssignment { return s.assigned }

// Next returns the next row: its phone number normalised to E.164 and its
// register values, or the problem that rejects it (see the package
// comment). It returns io.EOF after the last row; a file that turns out
// not to be CSV further on is an EINVALID *panel.Error naming its line.
func (s *Scanner) Next() (panel.RecipientInput, string, error) {
	row, err := s.rd.Next()
	if errors.Is(err, io.EOF) {
		return panel.RecipientInput{}, "", io.EOF
	}
	if err != nil {
		return panel.RecipientInput{}, "", readError(err)
	}
	in := panel.RecipientInput{Row: row.Line}
	if len(row.Fields) != len(s.rd.Header) {
		return in, fmt.Sprintf("has %d fields, the header has %d", len(row.Fields), len(s.rd.Header)), nil
	}
	if row.LongCell > 0 {
		name := PhoneColumn
		if i := row.LongCell - 1; i != s.phoneAt {
			name = s.cols[i-boolInt(i > s.phoneAt)]
		}
		return in, csvfile.TooLong(name), nil
	}
	parsed, problem := parseRow(row.Fields, s.phoneAt, s.cols, s.region)
	if problem != "" {
		return in, problem, nil
	}
	parsed.Row = row.Line
	return parsed, "", nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Parse reads a whole recipient CSV, as NewScanner and Next do, and
// rejects numbers that repeat an earlier row too. For files that fit in
// memory (the console's preview); imports stream with a Scanner.
func Parse(r io.Reader, region string, mapping panel.ColumnMapping) (Result, error) {
	sc, err := NewScanner(r, region, mapping)
	if err != nil {
		return Result{}, err
	}
	res := Result{Columns: sc.Columns(), Assigned: sc.Assigned()}
	first := map[panel.Phone]int{}
	for {
		in, problem, err := sc.Next()
		if errors.Is(err, io.EOF) {
			return res, nil
		}
		if err != nil {
			return Result{}, err
		}
		if problem != "" {
			res.reject(in.Row, problem)
			continue
		}
		if prev, dup := first[in.Phone]; dup {
			res.reject(in.Row, fmt.Sprintf("phone number repeats row %d", prev))
			continue
		}
		first[in.Phone] = in.Row
		res.Rows = append(res.Rows, in)
	}
}

func (r *Result) reject(line int, msg string) {
	r.Rejected = append(r.Rejected, panel.RowError{Row: line, Error: msg})
}

// readError turns a reading error into a message naming the line.
func readError(err error) error {
	var ce *csvfile.Error
	switch {
	case errors.As(err, &ce) && ce.Line == 0:
		return panel.Errorf(panel.EINVALID, "%s", ce.Message)
	case errors.As(err, &ce):
		return panel.Errorf(panel.EINVALID, "the file cannot be read: %s", ce.Error())
	}
	return fmt.Errorf("recipientcsv: %w", err)
}

// parseHeader finds the phone column and checks the register columns
// names (as package columns resolved them).
func parseHeader(header, names []string) (int, []string, error) {
	phoneAt := -1
	var cols []string
	for i, name := range names {
		switch {
		case name == "":
			return 0, nil, panel.Errorf(panel.EINVALID, "header column %d has no name", i+1)
		case utf8.RuneCountInString(name) > MaxNameLength:
			return 0, nil, panel.Errorf(panel.EINVALID, "header column %d has a name longer than %d characters", i+1, MaxNameLength)
		}
		if name == PhoneColumn {
			phoneAt = i
			continue
		}
		cols = append(cols, name)
	}
	if phoneAt < 0 {
		return 0, nil, panel.Errorf(panel.EINVALID, "the header has no phone column (it has %s); name it phone, Mobil, Mobilnummer or Telefon, or give ?columns=phone:YOUR_HEADER", strings.Join(quoteAll(header), ", "))
	}
	return phoneAt, cols, nil
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
	p, mobile, err := phone.NormalizeMobile(raw, region)
	if err != nil {
		return panel.RecipientInput{}, panel.ErrorMessage(err)
	}
	if !mobile {
		return panel.RecipientInput{}, NotMobile
	}
	attrs := make(map[string]string, len(columns))
	j := 0
	for i, v := range rec {
		if i == phoneAt {
			continue
		}
		name := columns[j]
		j++
		if v = strings.TrimSpace(v); v != "" {
			attrs[name] = v
		}
	}
	return panel.RecipientInput{Phone: p, Attributes: attrs}, ""
}
