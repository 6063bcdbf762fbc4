package csvfile_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/citizenspanel/panel/internal/csvfile"
)

// latin1 encodes s in Windows-1252, as Norwegian Excel saves CSV.
func latin1(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// utf16 encodes s in UTF-16 with a byte order mark.
func utf16(t *testing.T, s string, order xunicode.Endianness, bom xunicode.BOMPolicy) []byte {
	t.Helper()
	b, err := xunicode.UTF16(order, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRead(t *testing.T) {
	const norwegian = "Mobilnummer;Kjønn;Bydel;Adresse\r\n912 34 567;Kvinne;Østbyen;Åsveien 3\r\n"
	want := [][]string{{"Mobilnummer", "Kjønn", "Bydel", "Adresse"}, {"912 34 567", "Kvinne", "Østbyen", "Åsveien 3"}}
	tests := []struct {
		name     string
		raw      []byte
		want     [][]string
		comma    rune
		encoding string
	}{
		{"utf-8 semicolons crlf", []byte(norwegian), want, ';', csvfile.UTF8},
		{"utf-8 with bom", append([]byte("\xEF\xBB\xBF"), norwegian...), want, ';', csvfile.UTF8},
		{"windows-1252 from excel", latin1(t, norwegian), want, ';', csvfile.Windows1252},
		{"utf-16le with bom", utf16(t, norwegian, xunicode.LittleEndian, xunicode.UseBOM), want, ';', csvfile.UTF16LE},
		{"utf-16be with bom", utf16(t, norwegian, xunicode.BigEndian, xunicode.UseBOM), want, ';', csvfile.UTF16BE},
		{"utf-16le without bom", utf16(t, norwegian, xunicode.LittleEndian, xunicode.IgnoreBOM), want, ';', csvfile.UTF16LE},
		{"tabs", []byte(strings.ReplaceAll(norwegian, ";", "\t")), want, '\t', csvfile.UTF8},
		{"commas", []byte(strings.ReplaceAll(norwegian, ";", ",")), want, ',', csvfile.UTF8},
		{"quoted separators and line breaks", []byte("phone;note\n\"912 34 567\";\"a; b\nc \"\"d\"\"\"\n"),
			[][]string{{"phone", "note"}, {"912 34 567", "a; b\nc \"d\""}}, ';', csvfile.UTF8},
		{"commas inside values, semicolon separator", []byte("a;b\n1,5;2,5\n3,0;4,0\n"),
			[][]string{{"a", "b"}, {"1,5", "2,5"}, {"3,0", "4,0"}}, ';', csvfile.UTF8},
		{"blank lines and separator-only rows dropped", []byte("a;b\n\n1;2\n;;\n ; \n3;4\n"),
			[][]string{{"a", "b"}, {"1", "2"}, {"3", "4"}}, ';', csvfile.UTF8},
		{"as many commas as semicolons in the header", []byte("Navn, etternavn;Mobil\nOla, Nordmann;91234567\n"),
			[][]string{{"Navn, etternavn", "Mobil"}, {"Ola, Nordmann", "91234567"}}, ';', csvfile.UTF8},
		{"one column", []byte("phone\n91234567\n"), [][]string{{"phone"}, {"91234567"}}, ',', csvfile.UTF8},
		{"header trimmed", []byte(" phone , gender \n1,2\n"), [][]string{{"phone", "gender"}, {"1", "2"}}, ',', csvfile.UTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := csvfile.Read(bytes.NewReader(tc.raw))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			got := [][]string{f.Header}
			for _, r := range f.Rows {
				got = append(got, r.Fields)
			}
			if !equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if f.Comma != tc.comma {
				t.Errorf("got separator %q, want %q", f.Comma, tc.comma)
			}
			if f.Encoding != tc.encoding {
				t.Errorf("got encoding %s, want %s", f.Encoding, tc.encoding)
			}
		})
	}
}

func TestReadLines(t *testing.T) {
	f, err := csvfile.Read(strings.NewReader("a;b\r\n1;\"x\r\ny\"\r\n\r\n2;z\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range f.Rows {
		lines = append(lines, r.Line)
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 5 {
		t.Errorf("got row lines %v, want [2 5]", lines)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name       string
		raw        []byte
		line, col  int
		wantSubstr string
	}{
		{"empty", nil, 0, 0, "empty"},
		{"only spaces", []byte(" \r\n"), 0, 0, "empty"},
		{"replacement character", []byte("a;b\n1;Tr\uFFFDndheim\n"), 2, 5, `U+FFFD`},
		{"open quote", []byte("a,b\n1,\"x\n"), 2, 0, "not valid CSV"},
		{"stray quote", []byte("a,b\n1,x\"y\n"), 2, 4, "not valid CSV"},
		{"control character", []byte("a,b\n1,\x01\n"), 2, 3, "control character"},
		{"windows-1252 undefined byte", []byte("a;b\n1;\x81\xf8\n"), 2, 3, "neither UTF-8 nor Windows-1252"},
		{"cut utf-16", append(utf16(t, "a;b\n", xunicode.LittleEndian, xunicode.UseBOM), 'x'), 0, 0, "odd number of bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := csvfile.Read(bytes.NewReader(tc.raw))
			var ce *csvfile.Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *csvfile.Error", err)
			}
			if ce.Line != tc.line || (tc.col != 0 && ce.Column != tc.col) {
				t.Errorf("got line %d column %d, want line %d column %d (%v)", ce.Line, ce.Column, tc.line, tc.col, err)
			}
			if !strings.Contains(err.Error(), tc.wantSubstr) {
				t.Errorf("got %q, want it to mention %q", err, tc.wantSubstr)
			}
			if tc.wantSubstr == "U+FFFD" && !strings.Contains(err.Error(), "CSV UTF-8") {
				t.Errorf("got %q, want the advice to save as CSV UTF-8", err)
			}
		})
	}
}

// failingReader returns an error after its contents.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadPassesReaderErrors(t *testing.T) {
	sentinel := errors.New("too large")
	_, err := csvfile.Read(failingReader{sentinel})
	if !errors.Is(err, sentinel) {
		t.Errorf("got %v, want the reader's error wrapped", err)
	}
}

func TestNormalize(t *testing.T) {
	r, err := csvfile.Normalize(bytes.NewReader(latin1(t, "category;name;min;max\r\nbydel;Østbyen;1;2\r\n;;;\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if want := "category,name,min,max\nbydel,Østbyen,1,2\n"; string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
}

func equal(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") || len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}

// FuzzRead checks that Read never panics, never returns text with U+FFFD
// or invalid UTF-8, and that every row it returns is not blank.
func FuzzRead(f *testing.F) {
	f.Add([]byte("Mobil;Kjønn\r\n912 34 567;K\r\n"))
	f.Add([]byte("\xEF\xBB\xBFphone,gender\n\"1\",\"a,b\"\n"))
	f.Add([]byte("\xFF\xFEa\x00;\x00b\x00\n\x00"))
	f.Add([]byte("a\tb\n\xf8\xe5\t\xe6\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		file, err := csvfile.Read(bytes.NewReader(raw))
		if err != nil {
			var ce *csvfile.Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %T %v, want a *csvfile.Error", err, err)
			}
			return
		}
		check := func(s string) {
			if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
				t.Fatalf("got text %q with invalid UTF-8 or U+FFFD", s)
			}
		}
		for _, h := range file.Header {
			check(h)
		}
		for _, r := range file.Rows {
			empty := true
			for _, c := range r.Fields {
				check(c)
				empty = empty && strings.TrimSpace(c) == ""
			}
			if empty || r.Line < 2 {
				t.Fatalf("got blank row or bad line %d: %q", r.Line, r.Fields)
			}
		}
	})
}
