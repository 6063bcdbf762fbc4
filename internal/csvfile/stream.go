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
	"golang.org/x/text/transform"
)

// ChunkSize is how much of a file NewReader reads before the first row:
// the encoding is detected and the separator sniffed from it.
const ChunkSize = 64 << 10

// Reader reads a CSV file row by row, holding only a chunk of it in
// memory: the same encodings, separators and errors as Read.
type Reader struct {
	// Header is the first record, each name trimmed of spaces.
	Header []string
	// Comma is the separator sniffed from the first chunk.
	Comma rune

	cr    *csv.Reader
	check *checkReader
	enc   *string
}

// NewReader reads the first chunk of r (ChunkSize bytes), detects its
// encoding, sniffs its separator and reads the header. Errors are those of
// Read.
func NewReader(r io.Reader) (*Reader, error) {
	buf := make([]byte, ChunkSize)
	n, err := io.ReadFull(r, buf)
	eof := false
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		eof = true
	case err != nil:
		return nil, fmt.Errorf("csvfile: read: %w", err)
	}
	head := buf[:n]
	enc, skip, newDecoder := detect(head, eof)
	var rest io.Reader = strings.NewReader("")
	if !eof {
		rest = r
	}
	src := io.MultiReader(bytes.NewReader(head[skip:]), rest)
	cr := &Reader{enc: &enc}
	var text io.Reader
	switch enc {
	case UTF8:
		text = &utf8OrCP1252{src: src, enc: cr.enc, ascii: true}
	case UTF16LE, UTF16BE:
		text = transform.NewReader(&evenReader{src: src}, newDecoder().Transformer)
	default:
		text = transform.NewReader(src, newDecoder().Transformer)
	}
	sample := sampleText(head[skip:], enc, eof, newDecoder)
	if eof && strings.TrimSpace(sample) == "" {
		return nil, &Error{Message: "the file is empty: the first line must be a header"}
	}
	cr.check = &checkReader{src: text, enc: cr.enc, line: 1}
	cr.Comma = sniff(sample)
	cr.cr = csv.NewReader(cr.check)
	cr.cr.Comma = cr.Comma
	cr.cr.FieldsPerRecord = -1
	rec, err := cr.read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{Message: "the file is empty: the first line must be a header"}
	}
	if err != nil {
		return nil, err
	}
	cr.Header = make([]string, len(rec))
	for i, h := range rec {
		cr.Header[i] = strings.TrimSpace(h)
	}
	return cr, nil
}

// Encoding is the text encoding the file is read in (UTF8, UTF16LE,
// UTF16BE or Windows1252). A file that starts as plain ASCII and has
// Windows-1252 letters later is reported as Windows1252 from then on.
func (r *Reader) Encoding() string { return *r.enc }

// Next returns the next data record, skipping blank ones, or io.EOF after
// the last. Errors are those of Read.
func (r *Reader) Next() (Row, error) {
	for {
		rec, err := r.read()
		if err != nil {
			return Row{}, err
		}
		if blank(rec) {
			continue
		}
		line, _ := r.cr.FieldPos(0)
		row := Row{Line: line, Fields: rec}
		for i, c := range rec {
			if len(c) > MaxCellLength && utf8.RuneCountInString(strings.TrimSpace(c)) > MaxCellLength {
				row.LongCell = i + 1
				break
			}
		}
		return row, nil
	}
}

// read reads one record, turning CSV syntax errors into *Error.
func (r *Reader) read() ([]string, error) {
	rec, err := r.cr.Read()
	if err == nil || errors.Is(err, io.EOF) {
		return rec, err
	}
	var ce *Error
	if errors.As(err, &ce) {
		return nil, ce
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, &Error{Line: pe.Line, Column: pe.Column, Message: "not valid CSV: " + pe.Err.Error()}
	}
	return nil, fmt.Errorf("csvfile: read: %w", err)
}

// detect names the encoding of a file from its first chunk (see the package
// comment): skip is the length of a UTF-8 byte order mark to drop, and
// newDecoder makes the decoder for UTF-16 and Windows-1252.
func detect(head []byte, eof bool) (enc string, skip int, newDecoder func() *encoding.Decoder) {
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		return UTF8, 3, nil
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		return UTF16LE, 0, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		return UTF16BE, 0, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder
	case len(head) >= 2 && zeroShare(head, 1) > 0.3:
		return UTF16LE, 0, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewDecoder
	case len(head) >= 2 && zeroShare(head, 0) > 0.3:
		return UTF16BE, 0, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewDecoder
	case utf8.Valid(head[:completeUTF8(head, eof)]):
		return UTF8, 0, nil
	}
	return Windows1252, 0, charmap.Windows1252.NewDecoder
}

// completeUTF8 is the length of head without a rune cut off at its end
// (unless the file ends there).
func completeUTF8(head []byte, eof bool) int {
	if eof {
		return len(head)
	}
	for i := len(head) - 1; i >= 0 && i >= len(head)-utf8.UTFMax; i-- {
		if utf8.RuneStart(head[i]) {
			if !utf8.FullRune(head[i:]) {
				return i
			}
			break
		}
	}
	return len(head)
}

// sampleText is the first chunk as text for sniffing: whole lines only,
// unless it is the whole file.
func sampleText(head []byte, enc string, eof bool, newDecoder func() *encoding.Decoder) string {
	var text string
	switch enc {
	case UTF8:
		text = string(head[:completeUTF8(head, eof)])
		if !utf8.ValidString(text) { // plain ASCII first, Windows-1252 later
			text, _ = charmap.Windows1252.NewDecoder().String(text)
		}
	default:
		if enc == UTF16LE || enc == UTF16BE {
			head = head[:len(head)&^1]
		}
		text, _ = newDecoder().String(string(head))
	}
	if !eof {
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			text = text[:i+1]
		}
	}
	return text
}

// utf8OrCP1252 passes UTF-8 text through. At the first byte that is not
// UTF-8 it switches to Windows-1252 if everything before was ASCII (so the
// file reads as if it had been Windows-1252 from the start), and fails
// otherwise: a file that mixes the two cannot be trusted.
type utf8OrCP1252 struct {
	src   io.Reader
	enc   *string
	ascii bool // everything so far was ASCII
	latin bool // switched to Windows-1252
	raw   [16 << 10]byte
	carry []byte // a rune cut off at the end of the last read
	out   []byte
	err   error
}

func (d *utf8OrCP1252) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		n, err := d.src.Read(d.raw[len(d.carry):])
		copy(d.raw[:], d.carry)
		data := d.raw[:len(d.carry)+n]
		d.carry = d.carry[:0]
		if err != nil {
			d.err = err
		}
		if derr := d.decode(data, err != nil); derr != nil {
			d.err = derr
		}
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

func (d *utf8OrCP1252) decode(data []byte, atEnd bool) error {
	d.out = d.out[:0]
	for i := 0; i < len(data); {
		b := data[i]
		switch {
		case d.latin:
			d.out = utf8.AppendRune(d.out, charmap.Windows1252.DecodeByte(b))
			i++
			continue
		case b < utf8.RuneSelf:
			d.out = append(d.out, b)
			i++
			continue
		case !atEnd && !utf8.FullRune(data[i:]):
			d.carry = append(d.carry, data[i:]...)
			return nil
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if !d.ascii {
				return &Error{here: true, Message: "the file starts as UTF-8 text but has bytes here that are not UTF-8, so its letters cannot be trusted; " + saveAsUTF8}
			}
			d.latin, *d.enc = true, Windows1252
			continue
		}
		d.ascii = false
		d.out = append(d.out, data[i:i+size]...)
		i += size
	}
	return nil
}

// evenReader fails at the end of a UTF-16 file with an odd number of bytes.
type evenReader struct {
	src io.Reader
	n   int64
}

func (e *evenReader) Read(p []byte) (int, error) {
	n, err := e.src.Read(p)
	e.n += int64(n)
	if errors.Is(err, io.EOF) && e.n%2 != 0 {
		return n, &Error{Message: "the file looks like UTF-16 text but has an odd number of bytes (it is cut off); " + saveAsUTF8}
	}
	return n, err
}

// checkReader passes decoded text through, refusing replacement and
// control characters with their line and column (in characters), as the
// package comment says.
type checkReader struct {
	src       io.Reader
	enc       *string
	line, col int
	pending   []byte // a rune cut off at the end of the last read
}

func (c *checkReader) Read(p []byte) (int, error) {
	n, err := c.src.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		var fe *Error
		switch {
		case errors.As(err, &fe) && fe.here:
			fe.Line, fe.Column, fe.here = c.line, c.col+1, false
			return 0, fe
		case errors.As(err, &fe):
			return 0, fe
		case errors.Is(err, transform.ErrShortSrc) || isDecodeError(err):
			return 0, &Error{Message: fmt.Sprintf("the file is not valid %s text: %v; %s", *c.enc, err, saveAsUTF8)}
		}
		return n, err
	}
	data := p[:n]
	if len(c.pending) > 0 {
		data = append(c.pending, data...)
		c.pending = nil
	}
	for i := 0; i < len(data); {
		if !utf8.FullRune(data[i:]) && !errors.Is(err, io.EOF) {
			c.pending = append([]byte(nil), data[i:]...)
			break
		}
		r, size := utf8.DecodeRune(data[i:])
		i += size
		if cerr := c.checkRune(r); cerr != nil {
			return 0, cerr
		}
	}
	return n, err
}

// checkRune advances the position over r and refuses it if it is not text.
func (c *checkReader) checkRune(r rune) error {
	c.col++
	switch {
	case r == '\n':
		c.line, c.col = c.line+1, 0
	case r == '\r' || r == '\t':
	case r == utf8.RuneError && *c.enc == Windows1252:
		return &Error{Line: c.line, Column: c.col, Message: "the file is neither UTF-8 nor Windows-1252 (Latin-1) text: this character is not a letter in either; " + saveAsUTF8}
	case r == utf8.RuneError:
		return &Error{Line: c.line, Column: c.col, Message: fmt.Sprintf("the text (read as %s) has the replacement character U+FFFD, left by an earlier conversion that lost a letter; %s", *c.enc, saveAsUTF8)}
	case r == '\uFEFF' && c.line == 1 && c.col == 1:
	case r == 0:
		return &Error{Line: c.line, Column: c.col, Message: fmt.Sprintf("the text (read as %s) has a NUL character (U+0000), which is not accepted: it is not a text file in an encoding this service reads; %s", *c.enc, saveAsUTF8)}
	case unicode.IsControl(r):
		return &Error{Line: c.line, Column: c.col, Message: fmt.Sprintf("the text (read as %s) has the control character U+%04X, so it is not a text file in an encoding this service reads; %s", *c.enc, r, saveAsUTF8)}
	}
	return nil
}

// isDecodeError reports whether err came from a text decoder rather than
// from the file's source.
func isDecodeError(err error) bool {
	return errors.Is(err, transform.ErrShortDst) || errors.Is(err, transform.ErrEndOfSpan)
}
