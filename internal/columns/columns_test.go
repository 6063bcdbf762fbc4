package columns_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/columns"
	"github.com/citizenspanel/panel/internal/panel"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		name    string
		header  []string
		mapping string
		want    []string
		wantBy  []string
	}{
		{"norwegian headers", []string{"Mobilnummer", "Kjønn", "Alder", "Bydel", "Utdanning", "Adresse", "Postnummer"}, "",
			[]string{"phone", "gender", "age", "district", "education", "address", "postcode"},
			[]string{"alias", "alias", "alias", "alias", "alias", "alias", "alias"}},
		{"other norwegian spellings", []string{"Mobil", "Fødselsår", " bydel "}, "",
			[]string{"phone", "birth_year", "district"}, []string{"alias", "alias", "alias"}},
		{"telefon", []string{"Telefon", "Kjønn"}, "", []string{"phone", "gender"}, []string{"alias", "alias"}},
		{"english headers", []string{"Mobile Number", "Sex", "Year of birth", "Postal_Code", "Phone"}, "phone:Phone",
			[]string{"mobile number", "gender", "birth_year", "postcode", "phone"}, []string{"name", "alias", "alias", "alias", "mapping"}},
		{"standard names", []string{"phone", "Gender", "BIRTH_YEAR", "party"}, "",
			[]string{"phone", "gender", "birth_year", "party"}, []string{"name", "name", "name", "name"}},
		{"mapping", []string{"Tlf.", "Område", "Kjønn"}, "phone:Tlf.,district:Område",
			[]string{"phone", "district", "gender"}, []string{"mapping", "mapping", "alias"}},
		{"json mapping", []string{"Nr", "Sted"}, `{"phone":"Nr","district":"sted"}`,
			[]string{"phone", "district"}, []string{"mapping", "mapping"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := columns.ParseMapping(tc.mapping)
			if err != nil {
				t.Fatalf("ParseMapping: %v", err)
			}
			names, as, err := columns.Resolve(tc.header, m)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if strings.Join(names, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got names %q, want %q", names, tc.want)
			}
			for i, a := range as {
				if a.By != tc.wantBy[i] || a.As != tc.want[i] || a.Column != strings.TrimSpace(tc.header[i]) {
					t.Errorf("column %d: got %+v, want %s by %s", i+1, a, tc.want[i], tc.wantBy[i])
				}
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name    string
		header  []string
		mapping string
		want    string
	}{
		{"two phone columns", []string{"Mobil", "Telefon"}, "", `columns "Mobil" and "Telefon" would both be read as phone; say which one with ?columns=phone:Mobil`},
		{"same header twice", []string{"a", "A"}, "", `columns 1 and 2 of the header are both "A"`},
		{"mapping names a missing column", []string{"Mobil"}, "phone:Tlf", `columns: phone:Tlf names no column of the file (its header is "Mobil")`},
		{"one column mapped twice", []string{"Tlf"}, "phone:Tlf,mobile:tlf", `is named twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := columns.ParseMapping(tc.mapping)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = columns.Resolve(tc.header, m)
			if err == nil || !strings.Contains(err.Error(), tc.want) || panel.ErrorCode(err) != panel.EINVALID {
				t.Errorf("got %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

func TestParseMappingErrors(t *testing.T) {
	for _, in := range []string{"phone", "phone:", "Phone Number:x", `{"phone":1}`, "phone:a,phone:b"} {
		if _, err := columns.ParseMapping(in); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("ParseMapping(%q): got %v, want EINVALID", in, err)
		}
	}
}
