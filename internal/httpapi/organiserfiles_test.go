package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// cp1252 encodes s as Norwegian Excel's "CSV (semikolonseparert)" does.
func cp1252(t *testing.T, s string) string {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOrganiserFiles imports volunteers and quotas the way organisers'
// spreadsheets write them: Windows-1252, semicolons, CRLF, Norwegian
// headers, and a column mapping.
func TestOrganiserFiles(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := newDrawEnv(t, st)
		newCampaign := func(name string) string {
			var camp struct{ ID int64 }
			json.Unmarshal(e.must(t, 201, "POST", "/api/v1/campaigns", e.organiser, "application/json", fmt.Sprintf(`{"name":%q,"invitation_text":"Vil du være med? Svar JA eller NEI."}`, name)), &camp)
			return fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
		}

		t.Run("volunteers in windows-1252 with norwegian headers", func(t *testing.T) {
			base := newCampaign("volunteers cp1252")
			file := cp1252(t, "ID;Mobil;Kjønn;Bydel;Adresse\r\nv1;(+47) 912 34 567;Kvinne;Østbyen;Åsveien 3\r\nv2;;Mann;Østbyen;åsveien 3\r\nv3;;Mann;Midtbyen;Kongens gate 1\r\n;;;;\r\n")
			b := e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", file)
			var res struct {
				Imported int
				Columns  []panel.ColumnAssignment
			}
			if err := json.Unmarshal(b, &res); err != nil {
				t.Fatal(err)
			}
			if res.Imported != 3 {
				t.Errorf("got %d imported, want 3 (%s)", res.Imported, b)
			}
			var cols []string
			for _, c := range res.Columns {
				cols = append(cols, c.Column+">"+c.As)
			}
			if got, want := strings.Join(cols, ","), "ID>id,Mobil>phone,Kjønn>gender,Bydel>district,Adresse>address"; got != want {
				t.Errorf("got columns %s, want %s", got, want)
			}
			var camp struct{ ID int64 }
			fmt.Sscanf(base, "/api/v1/campaigns/%d", &camp.ID)
			pool, err := st.ListPool(context.Background(), camp.ID)
			if err != nil {
				t.Fatal(err)
			}
			households := map[string]int{}
			for _, v := range pool {
				for _, val := range v.Values {
					if strings.ContainsRune(val, '\uFFFD') {
						t.Errorf("volunteer %s stored a replacement character: %q", v.ExternalID, val)
					}
				}
				households[v.HouseholdKey]++
				if v.ExternalID == "v1" && v.Values["district"] != "østbyen" {
					t.Errorf("v1: got district %q, want østbyen", v.Values["district"])
				}
			}
			if len(households) != 2 {
				t.Errorf("got %d households, want 2 (v1 and v2 share Åsveien 3)", len(households))
			}
		})

		t.Run("norwegian quota categories match norwegian volunteer headers", func(t *testing.T) {
			base := newCampaign("kjønn and bydel")
			e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", "ID;Kjønn;Bydel\nv1;kvinne;Midtbyen\nv2;mann;Heimdal\nv3;kvinne;Heimdal\nv4;mann;Midtbyen\n")
			b := e.must(t, 200, "PUT", base+"/quotas?seats=2", e.organiser, "text/csv", "category;name;min;max\nKjønn;kvinne;1;1\nKjønn;mann;1;1\nBydel;Midtbyen;1;1\nBydel;Heimdal;1;1\n")
			if !strings.Contains(string(b), `"category":"gender"`) || !strings.Contains(string(b), `"category":"district"`) {
				t.Errorf("got %s, want the categories named gender and district", b)
			}
		})

		t.Run("volunteers with a column mapping", func(t *testing.T) {
			base := newCampaign("volunteers mapping")
			b := e.must(t, 200, "POST", base+"/volunteers?columns=id:Nr,district:Sted", e.organiser, "text/csv", "Nr,Sted,Kjønn\nv1,Midtbyen,kvinne\n")
			if !strings.Contains(string(b), `{"column":"Sted","as":"district","by":"mapping"}`) {
				t.Errorf("got %s, want Sted mapped to district", b)
			}
		})

		t.Run("volunteer with a landline", func(t *testing.T) {
			base := newCampaign("volunteers landline")
			st0, b := e.call(t, "POST", base+"/volunteers", e.organiser, "text/csv", "id,phone,gender\nv1,22 33 44 55,kvinne\n")
			if st0 != 422 || !strings.Contains(string(b), "not a mobile number") {
				t.Errorf("got %d %s, want 422 naming the landline", st0, b)
			}
		})

		t.Run("quotas with semicolons in windows-1252", func(t *testing.T) {
			base := newCampaign("quotas cp1252")
			file := cp1252(t, "category;name;min;max\r\nbydel;Østbyen;1;3\r\nbydel;Midtbyen;0;2\r\n")
			b := e.must(t, 200, "PUT", base+"/quotas", e.organiser, "text/csv", file)
			var ans struct{ Quotas []panel.Quota }
			if err := json.Unmarshal(b, &ans); err != nil {
				t.Fatalf("%v: %s", err, b)
			}
			qs := ans.Quotas
			if len(qs) != 2 || qs[0].Category != "district" || qs[0].Value != "Østbyen" || qs[0].Max != 3 {
				t.Errorf("got %+v, want district (from bydel) Østbyen 1-3 and Midtbyen 0-2", qs)
			}
		})

		t.Run("quotas with tabs and a bad number", func(t *testing.T) {
			base := newCampaign("quotas tabs")
			st0, b := e.call(t, "PUT", base+"/quotas", e.organiser, "text/csv", "category\tname\tmin\tmax\ngender\tkvinne\tx\t3\n")
			if st0 != 422 || !strings.Contains(string(b), "row 2") {
				t.Errorf("got %d %s, want 422 naming row 2", st0, b)
			}
		})
	})
}
