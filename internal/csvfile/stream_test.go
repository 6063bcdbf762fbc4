package csvfile_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/citizenspanel/panel/internal/csvfile"
)

// jaggedReader returns at most the next of sizes bytes per Read, in turn,
// so that runes, records and quotes are cut at many places.
type jaggedReader struct {
	data  []byte
	sizes []int
	i     int
}

func (j *jaggedReader) Read(p []byte) (int, error) {
	if len(j.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(j.data), j.sizes[j.i%len(j.sizes)])
	j.i++
	copy(p, j.data[:n])
	j.data = j.data[n:]
	return n, nil
}

// bigFile is a header and rows data rows of Norwegian text, some quoted
// with line breaks inside, several chunks long.
func bigFile(rows int) (string, [][]string) {
	var b strings.Builder
	b.WriteString("Mobilnummer;Kjønn;Bydel;Merknad\r\n")
	want := [][]string{{"Mobilnummer", "Kjønn", "Bydel", "Merknad"}}
	for i := range rows {
		note := fmt.Sprintf("rad %d", i)
		if i%7 == 0 {
			note = fmt.Sprintf("to\nlinjer; «%d»", i)
		}
		rec := []string{fmt.Sprintf("9%07d", i), "Kvinne", "Østbyen", note}
		fmt.Fprintf(&b, "%s;%s;%s;\"%s\"\r\n", rec[0], rec[1], rec[2], note)
		want = append(want, rec)
	}
	return b.String(), want
}

func TestReaderStreamsAcrossChunks(t *testing.T) {
	text, want := bigFile(6000) // about 200 KiB: several chunks
	if len(text) < 3*csvfile.ChunkSize {
		t.Fatalf("file of %d bytes is too small for the test", len(text))
	}
	tests := []struct {
		name     string
		raw      []byte
		encoding string
	}{
		{"utf-8", []byte(text), csvfile.UTF8},
		{"utf-8 with bom", append([]byte("\xEF\xBB\xBF"), text...), csvfile.UTF8},
		{"windows-1252", latin1(t, strings.NewReplacer("«", "<", "»", ">").Replace(text)), csvfile.Windows1252},
		{"utf-16le with bom", utf16(t, text, xunicode.LittleEndian, xunicode.UseBOM), csvfile.UTF16LE},
		{"utf-16be without bom", utf16(t, text, xunicode.BigEndian, xunicode.IgnoreBOM), csvfile.UTF16BE},
	}
	for _, tt := range tests {
		for _, sizes := range [][]int{{1 << 20}, {1, 3, 7, 4093, 65537}} {
			t.Run(fmt.Sprintf("%s/reads of %v", tt.name, sizes), func(t *testing.T) {
				r, err := csvfile.NewReader(&jaggedReader{data: tt.raw, sizes: sizes})
				if err != nil {
					t.Fatal(err)
				}
				if r.Comma != ';' {
					t.Errorf("got separator %q, want ';'", r.Comma)
				}
				if got := strings.Join(r.Header, "|"); got != strings.Join(want[0], "|") {
					t.Errorf("got header %q, want %q", got, want[0])
				}
				line := 2
				for i := 1; ; i++ {
					row, err := r.Next()
					if errors.Is(err, io.EOF) {
						if i != len(want) {
							t.Fatalf("got %d rows, want %d", i-1, len(want)-1)
						}
						break
					}
					if err != nil {
						t.Fatalf("row %d: %v", i, err)
					}
					w := want[i]
					if tt.encoding == csvfile.Windows1252 {
						w = []string{w[0], w[1], w[2], strings.NewReplacer("«", "<", "»", ">").Replace(w[3])}
					}
					if got := strings.Join(row.Fields, "|"); got != strings.Join(w, "|") {
						t.Fatalf("row %d: got %q, want %q", i, row.Fields, w)
					}
					if row.Line != line {
						t.Fatalf("row %d: got line %d, want %d", i, row.Line, line)
					}
					line += 1 + strings.Count(w[3], "\n")
				}
				if got := r.Encoding(); got != tt.encoding {
					t.Errorf("got encoding %s, want %s", got, tt.encoding)
				}
			})
		}
	}
}

func TestReaderErrorsPastTheFirstChunk(t *testing.T) {
	var ascii strings.Builder
	ascii.WriteString("phone,name\n")
	for i := range 5000 {
		fmt.Fprintf(&ascii, "9%07d,name %d\n", i, i)
	}
	const lastLine = 5002 // header, 5000 rows, then the line under test
	tests := []struct {
		name    string
		raw     []byte
		wantErr string // "" when the file reads
		enc     string
	}{
		{"control character names its line", []byte(ascii.String() + "91234567,a\x01b\n"), "line 5002, column 11: the text (read as UTF-8) has the control character U+0001", ""},
		{"replacement character names its line", []byte(ascii.String() + "91234567,a\uFFFDb\n"), "line 5002, column 11: the text (read as UTF-8) has the replacement character", ""},
		{"ascii then windows-1252 reads as windows-1252", append([]byte(ascii.String()), latin1(t, "91234567,Ørje\n")...), "", csvfile.Windows1252},
		{"utf-8 then windows-1252 is refused", append([]byte("phone,name\n91234567,Østbyen\n"+ascii.String()[11:]), latin1(t, "91234567,Ørje\n")...), "column 10: the file starts as UTF-8 text but has bytes here that are not UTF-8", ""},
		{"utf-16 cut off", utf16(t, ascii.String(), xunicode.LittleEndian, xunicode.UseBOM)[:2*len(ascii.String())-1], "odd number of bytes", ""},
		{"quote left open", []byte(ascii.String() + "91234567,\"open\n"), "not valid CSV", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := csvfile.NewReader(&jaggedReader{data: tt.raw, sizes: []int{4093, 5}})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				_, err = r.Next()
				if err != nil {
					break
				}
				n++
			}
			if tt.wantErr == "" {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("got %v, want the whole file", err)
				}
				if n != lastLine-1 {
					t.Errorf("got %d rows, want %d", n, lastLine-1)
				}
				if got := r.Encoding(); got != tt.enc {
					t.Errorf("got encoding %s, want %s", got, tt.enc)
				}
				return
			}
			var ce *csvfile.Error
			if !errors.As(err, &ce) || !strings.Contains(ce.Error(), tt.wantErr) {
				t.Fatalf("got %v, want *csvfile.Error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestReaderMarksLongCells(t *testing.T) {
	long := strings.Repeat("æ", csvfile.MaxCellLength+1)
	exact := "  " + strings.Repeat("æ", csvfile.MaxCellLength) + "  "
	r, err := csvfile.NewReader(strings.NewReader("id,a,b\n1," + exact + ",x\n2,y," + long + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []int{0, 3} {
		row, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if row.LongCell != want {
			t.Errorf("line %d: got LongCell %d, want %d", row.Line, row.LongCell, want)
		}
	}
	if _, err := csvfile.Normalize(strings.NewReader("id,a\n1," + long + "\n")); err == nil || !strings.Contains(err.Error(), "line 2: a is longer than 200 characters") {
		t.Errorf("Normalize: got %v, want the long cell refused", err)
	}
}
