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
	MaxColumns     = 50  // columns in the header
	MaxValueLength = 200 // characters in one register value
	MaxNameLength  = 64  // characters in a column name
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

// Parse reads a recipient CSV. Numbers without a country code are read as
// numbers of region (e.g. "NO"). mapping names columns explicitly (may be
// nil). A file that cannot be read as a recipient list at all (no header, no
// phone column, a column named twice, a quote left open, text that is not
// UTF-8, UTF-16 or Windows-1252) is an EINVALID *panel.Error naming the
// problem and its line; problems of single rows go into Result.Rejected. An
// *http.MaxBytesError from r is returned wrapped (errors.As finds it).
func Parse(r io.Reader, region string, mapping panel.ColumnMapping) (Result, error) {
	f, err := csvfile.Read(r)
	if err != nil {
		return Result{}, readError(err)
	}
	if len(f.Header) > MaxColumns {
		return Result{}, panel.Errorf(panel.EINVALID, "the header has %d columns; at most %d are allowed", len(f.Header), MaxColumns)
	}
	names, assigned, err := columns.Resolve(f.Header, mapping)
	if err != nil {
		return Result{}, err
	}
	phoneAt, cols, err := parseHeader(f.Header, names)
	if err != nil {
		return Result{}, err
	}
	res := Result{Columns: cols, Assigned: assigned}
	first := map[panel.Phone]int{}
	for _, row := range f.Rows {
		line, rec := row.Line, row.Fields
		if len(rec) != len(f.Header) {
			res.reject(line, fmt.Sprintf("has %d fields, the header has %d", len(rec), len(f.Header)))
			continue
		}
		in, problem := parseRow(rec, phoneAt, cols, region)
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
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			continue
		case utf8.RuneCountInString(v) > MaxValueLength:
			return panel.RecipientInput{}, fmt.Sprintf("%s is longer than %d characters", name, MaxValueLength)
		}
		attrs[name] = v
	}
	return panel.RecipientInput{Phone: p, Attributes: attrs}, ""
}
