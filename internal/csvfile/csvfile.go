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
package csvfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
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
}

// Error is a file that cannot be read as CSV. Line and Column are 1-based;
// zero when they do not apply.
type Error struct {
	Line    int
	Column  int
	Message string
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

// Read reads a whole CSV file from r. Errors of r (such as an
// *http.MaxBytesError) are returned wrapped, so errors.As finds them; a file
// that is not CSV is an *Error. An empty file is an *Error too.
func Read(r io.Reader) (*File, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("csvfile: read: %w", err)
	}
	text, enc, err := decode(raw)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Message: "the file is empty: the first line must be a header"}
	}
	comma := sniff(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	f := &File{Comma: comma, Encoding: enc}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{Line: pe.Line, Column: pe.Column, Message: "not valid CSV: " + pe.Err.Error()}
			}
			return nil, fmt.Errorf("csvfile: parse: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if f.Header == nil {
			f.Header = make([]string, len(rec))
			for i, h := range rec {
				f.Header[i] = strings.TrimSpace(h)
			}
			continue
		}
		if blank(rec) {
			continue
		}
		f.Rows = append(f.Rows, Row{Line: line, Fields: rec})
	}
	return f, nil
}

// Normalize reads a CSV file like Read and writes it back as UTF-8,
// comma-separated CSV with the same header and rows, for parsers that
// expect that form (package sortition). Blank rows are left out.
func Normalize(r io.Reader) (io.Reader, error) {
	f, err := Read(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(f.Header)
	for _, row := range f.Rows {
		_ = w.Write(row.Fields)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("csvfile: write: %w", err)
	}
	return &b, nil
}

// decode turns a file's bytes into text and names the encoding it found
// (see the package comment). A UTF-8 byte order mark is removed.
func decode(raw []byte) (text, enc string, err error) {
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")):
		raw, enc = raw[3:], UTF8
	case bytes.HasPrefix(raw, []byte("\xFF\xFE")):
		dec, enc = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder(), UTF16LE
	case bytes.HasPrefix(raw, []byte("\xFE\xFF")):
		dec, enc = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder(), UTF16BE
	case len(raw) >= 2 && zeroShare(raw, 1) > 0.3:
		dec, enc = xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewDecoder(), UTF16LE
	case len(raw) >= 2 && zeroShare(raw, 0) > 0.3:
		dec, enc = xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewDecoder(), UTF16BE
	case utf8.Valid(raw):
		enc = UTF8
	default:
		dec, enc = charmap.Windows1252.NewDecoder(), Windows1252
	}
	if dec != nil {
		if (enc == UTF16LE || enc == UTF16BE) && len(raw)%2 != 0 {
			return "", "", &Error{Message: "the file looks like UTF-16 text but has an odd number of bytes (it is cut off); " + saveAsUTF8}
		}
		b, err := dec.Bytes(raw)
		if err != nil {
			return "", "", &Error{Message: fmt.Sprintf("the file is not valid %s text: %v; %s", enc, err, saveAsUTF8)}
		}
		raw = b
	}
	text = string(raw)
	if err := checkText(text, enc); err != nil {
		return "", "", err
	}
	return text, enc, nil
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

// checkText refuses text with replacement or control characters, naming
// the first one's line and column (in characters).
func checkText(text, enc string) error {
	line, col := 1, 0
	for _, r := range text {
		col++
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == '\r' || r == '\t':
		case r == utf8.RuneError && enc == Windows1252:
			return &Error{Line: line, Column: col, Message: "the file is neither UTF-8 nor Windows-1252 (Latin-1) text: this character is not a letter in either; " + saveAsUTF8}
		case r == utf8.RuneError:
			return &Error{Line: line, Column: col, Message: fmt.Sprintf("the text (read as %s) has the replacement character U+FFFD, left by an earlier conversion that lost a letter; %s", enc, saveAsUTF8)}
		case r == '\uFEFF' && line == 1 && col == 1:
		case unicode.IsControl(r):
			return &Error{Line: line, Column: col, Message: fmt.Sprintf("the text (read as %s) has the control character U+%04X, so it is not a text file in an encoding this service reads; %s", enc, r, saveAsUTF8)}
		}
	}
	return nil
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
