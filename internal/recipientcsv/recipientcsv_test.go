package recipientcsv_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/recipientcsv"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantRows  []string // "row:phone:attrs"
		wantRej   []panel.RowError
		wantErr   string
		wantAttrs []string
	}{
		{name: "national and international forms", in: "phone,district\n+47 912 34 567,Midtbyen\n0047-48123456,\n41234567,Heimdal\n",
			wantRows: []string{"2:+4791234567:map[district:Midtbyen]", "3:+4748123456:map[]", "4:+4741234567:map[district:Heimdal]"}, wantAttrs: []string{"district"}},
		{name: "quoted field over two lines keeps line numbers", in: "phone,note\n+4791234567,\"two\nlines\"\n12,x\n",
			wantRows: []string{"2:+4791234567:map[note:two\nlines]"}, wantRej: []panel.RowError{{Row: 4, Error: "not a valid phone number: too short"}}, wantAttrs: []string{"note"}},
		{name: "semicolons and CRLF", in: "\uFEFFNote;PHONE\r\nhei;91234567\r\n", wantRows: []string{"2:+4791234567:map[note:hei]"}, wantAttrs: []string{"note"}},
		{name: "foreign number", in: "phone\n+46701234567\n", wantRows: []string{"2:+46701234567:map[]"}},
		{name: "value too long", in: "phone,x\n91234567," + strings.Repeat("a", 201) + "\n", wantRej: []panel.RowError{{Row: 2, Error: "x is longer than 200 characters"}}, wantAttrs: []string{"x"}},
		{name: "header only", in: "phone\n", wantAttrs: nil},
		{name: "country code in parentheses", in: "phone\n(+47) 912 34 567\n", wantRows: []string{"2:+4791234567:map[]"}},
		{name: "landline rejected", in: "phone\n22 33 44 55\n91234567\n", wantRows: []string{"3:+4791234567:map[]"},
			wantRej: []panel.RowError{{Row: 2, Error: "not a mobile number: it cannot receive SMS"}}},
		{name: "norwegian headers", in: "Mobilnummer;Kjønn;Alder;Bydel;Utdanning;Adresse;Postnummer\n91234567;Kvinne;34;Østbyen;Lang høyere;Åsveien 3;7020\n",
			wantRows:  []string{"2:+4791234567:map[address:Åsveien 3 age:34 district:Østbyen education:Lang høyere gender:Kvinne postcode:7020]"},
			wantAttrs: []string{"gender", "age", "district", "education", "address", "postcode"}},
		{name: "windows-1252", in: "Telefon;Bydel\r\n91234567;\xd8stbyen\r\n", wantRows: []string{"2:+4791234567:map[district:Østbyen]"}, wantAttrs: []string{"district"}},
		{name: "replacement character refused", in: "phone;district\n91234567;\uFFFDstbyen\n", wantErr: "line 2, column 10: the text (read as UTF-8) has the replacement character U+FFFD"},
		{name: "two phone columns", in: "Mobil,Telefon\n1,2\n", wantErr: `columns "Mobil" and "Telefon" would both be read as phone`},
		{name: "no phone column", in: "navn,bydel\nA,B\n", wantErr: `the header has no phone column (it has "navn", "bydel"); name it phone`},
		{name: "too many columns", in: "phone" + strings.Repeat(",c", 50) + "\n", wantErr: "the header has 51 columns; at most 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := recipientcsv.Parse(strings.NewReader(tt.in), "NO", nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(panel.ErrorMessage(err), tt.wantErr) || panel.ErrorCode(err) != panel.EINVALID {
					t.Fatalf("got %v, want invalid containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for _, r := range res.Rows {
				rows = append(rows, fmt.Sprintf("%d:%s:%v", r.Row, r.Phone, r.Attributes))
			}
			if fmt.Sprint(rows) != fmt.Sprint(tt.wantRows) {
				t.Errorf("rows: got %q, want %q", rows, tt.wantRows)
			}
			if fmt.Sprint(res.Rejected) != fmt.Sprint(tt.wantRej) {
				t.Errorf("rejected: got %+v, want %+v", res.Rejected, tt.wantRej)
			}
			if fmt.Sprint(res.Columns) != fmt.Sprint(tt.wantAttrs) {
				t.Errorf("columns: got %v, want %v", res.Columns, tt.wantAttrs)
			}
		})
	}
}

// BenchmarkParse10000 measures reading a 10,000-row recipient file as
// Norwegian Excel saves it (Windows-1252, semicolons, CRLF).
func BenchmarkParse10000(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Mobilnummer;Kj\xf8nn;Alder;Bydel\r\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "9%07d;%s;%d;\xd8stbyen\r\n", i, []string{"kvinne", "mann"}[i%2], 18+i%70)
	}
	file := sb.String()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		res, err := recipientcsv.Parse(strings.NewReader(file), "NO", nil)
		if err != nil || len(res.Rows) != 10000 {
			b.Fatalf("got %d rows, %v", len(res.Rows), err)
		}
	}
}

// TestNorwegianHeadersReachTheDialogue checks that register columns with
// Norwegian headers come out under the names the dialogue's default
// attribute rules read, so the categories they give are not asked again.
func TestNorwegianHeadersReachTheDialogue(t *testing.T) {
	res, err := recipientcsv.Parse(strings.NewReader("Mobil;Kjønn;Fødselsår;Bydel\n91234567;Kvinne;1990;Østbyen\n"), "NO", nil)
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("got %+v, %v", res, err)
	}
	got := panel.MapAttributes(panel.DefaultAttributeRules(), res.Rows[0].Attributes, 2026)
	want := map[string]string{panel.CategoryGender: "kvinne", panel.CategoryAge: "30-44", panel.CategoryDistrict: "østbyen"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
