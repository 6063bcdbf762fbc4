// Package csvfile reads the CSV files organisers import (recipients,
// volunteers, quotas, and the offline draw's respondents and categories)
// the way spreadsheets write them.
//
// Accepted: UTF-8 with or without a byte order mark; UTF-16 (little or big
// endian) with a byte order mark, or without one when every other byte is
// zero; Windows-1252, which also covers ISO 8859-1 (Latin-1) text as
// Norwegian Excel's "CSV (semikolonseparert)" writes it. The separator is
// sniffed from the header line: comma, semicolon or tab. CRLF line ends,
// quoted fields (with separators, quotes and line breaks inside), blank
// lines and rows of nothing but separators are handled. A file whose text
// would contain the replacement character U+FFFD or control characters is
// refused with a message that names its line and column and says to save it
// as "CSV UTF-8": what a file says is never silently changed.
//
// Reader streams a file row by row, holding one chunk (ChunkSize) in
// memory: the encoding is detected and the separator sniffed from the first
// chunk, and errors further on name their line as Read's do. Read reads a
// whole file through it. Every cell is capped at MaxCellLength characters,
// for every import: a longer one marks its row (Row.LongCell).
package csvfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Encoding names, as File.Encoding reports them.
const (
	UTF8        = "UTF-8"
	UTF16LE     = "UTF-16LE"
	UTF16BE     = "UTF-16BE"
	Windows1252 = "Windows-1252"
)

// File is a parsed CSV file.
type File struct {
	// Header is the first record, each name trimmed of spaces.
	Header []string
	// Rows are the data records in file order, blank ones left out.
	Rows []Row
	// Comma is the separator found: ',', ';' or '\t'.
	Comma rune
	// Encoding is the text encoding the file was read in (UTF8, UTF16LE,
	// UTF16BE or Windows1252).
	Encoding string
}

// Row is one data record and where it starts in the file.
type Row struct {
	// Line is the file line the record starts on, the header being line 1
	// (as a spreadsheet numbers rows when no cell spans lines).
	Line int
	// Fields are the record's cells, untrimmed; a row may have fewer or
	// more cells than the header.
	Fields []string
	// LongCell is the 1-based column of the first cell longer than
	// MaxCellLength characters (spaces trimmed), or 0 when none is: the
	// importer rejects the row with the message TooLong gives.
	LongCell int
}

// MaxCellLength is the most characters (after trimming spaces) one cell of
// any import may hold: recipients, volunteers, quotas and the offline
// draw's files alike.
const MaxCellLength = 200

// TooLong is the problem of a row whose cell in column name is longer than
// MaxCellLength.
func TooLong(name string) string {
	return fmt.Sprintf("%s is longer than %d characters", name, MaxCellLength)
}

// Error is a file that cannot be read as CSV. Line and Column are 1-based;
// zero when they do not apply.
type Error struct {
	Line    int
	Column  int
	Message string
	// here asks the text checker to fill in Line and Column with its
	// position when the error passes it (the decoder does not count lines).
	here bool
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// saveAsUTF8 is the advice given when the text cannot be trusted.
const saveAsUTF8 = `save it from the spreadsheet as "CSV UTF-8" and import it again`

// Read reads a whole CSV file from r, as a Reader streams it. Errors of r
// (such as an *http.MaxBytesError) are returned wrapped, so errors.As finds
// them; a file that is not CSV is an *Error. An empty file is an *Error too.
// Rows with a cell longer than MaxCellLength are kept, with LongCell set.
func Read(r io.Reader) (*File, error) {
	cr, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	f := &File{Header: cr.Header, Comma: cr.Comma}
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		f.Rows = append(f.Rows, row)
	}
	f.Encoding = cr.Encoding()
	return f, nil
}

// Normalize reads a CSV file like Read and writes it back as UTF-8,
// comma-separated CSV with the same header and rows, for parsers that
// expect that form (package sortition). Blank rows are left out. A cell
// longer than MaxCellLength refuses the file (an *Error naming its line).
func Normalize(r io.Reader) (io.Reader, error) {
	return normalize(r, true)
}

// Transcode is Normalize keeping rows with long cells, for a caller that
// parses the result with a reader that rejects those rows one by one (the
// console's recipient preview).
func Transcode(r io.Reader) (io.Reader, error) {
	return normalize(r, false)
}

func normalize(r io.Reader, capCells bool) (io.Reader, error) {
	f, err := Read(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(f.Header)
	for _, row := range f.Rows {
		if capCells && row.LongCell > 0 {
			return nil, &Error{Line: row.Line, Message: TooLong(f.Header[min(row.LongCell, len(f.Header))-1])}
		}
		_ = w.Write(row.Fields)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("csvfile: write: %w", err)
	}
	return &b, nil
}

// zeroShare is the share of zero bytes at even (odd = 0) or odd (odd = 1)
// offsets among the first 512 such bytes.
func zeroShare(raw []byte, odd int) float64 {
	n, zeros := 0, 0
	for i := odd; i < len(raw) && n < 512; i += 2 {
		n++
		if raw[i] == 0 {
			zeros++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(zeros) / float64(n)
}

// candidates are the separators sniffed, in order of preference on a tie:
// semicolon first, as Norwegian spreadsheets write it and their values
// (decimal commas, "Etternavn, Fornavn") hold commas.
var candidates = []rune{';', ',', '\t'}

// sniff picks the separator: of those that occur in the header line
// (outside quotes), the one that splits the first rows into as many fields
// as the header; among those, the one occurring most often in the header.
// A header with none of them is one column, read with ','.
func sniff(text string) rune {
	header := firstLine(text)
	best, bestCount, bestConsistent := ',', 0, false
	for _, c := range candidates {
		n := countOutsideQuotes(header, c)
		if n == 0 {
			continue
		}
		consistent := consistentWidth(text, c, n+1)
		if (consistent && !bestConsistent) || (consistent == bestConsistent && n > bestCount) {
			best, bestCount, bestConsistent = c, n, consistent
		}
	}
	return best
}

// firstLine is the text up to the first line break outside quotes.
func firstLine(text string) string {
	inQuote := false
	for i, r := range text {
		switch {
		case r == '"':
			inQuote = !inQuote
		case (r == '\n' || r == '\r') && !inQuote:
			return text[:i]
		}
	}
	return text
}

func countOutsideQuotes(s string, c rune) int {
	n, inQuote := 0, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == c && !inQuote:
			n++
		}
	}
	return n
}

// consistentWidth reports whether the first records (up to 20) parse with
// separator c into width fields each (rows of only separators excepted).
func consistentWidth(text string, c rune, width int) bool {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = c
	cr.FieldsPerRecord = -1
	for range 20 {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil || (len(rec) != width && !blank(rec)) {
			return false
		}
	}
	return true
}

// blank reports whether every cell is empty after trimming spaces.
func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
