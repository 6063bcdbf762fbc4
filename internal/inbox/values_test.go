package inbox_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestImportedAndSMSVolunteersShareBands: a volunteer imported by CSV with
// an age or a birth year gets the same age band as one recruited by SMS
// whose register row says the same, through the campaign's one set of
// attribute rules.
func TestImportedAndSMSVolunteersShareBands(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 1) // recipient 1: born 1950, kvinne, Midtbyen
		for _, body := range []string{"ja", "4", "ja"} {
			e.send(phone(1), body)
		}
		ds, err := draw.New(s, draw.Config{Now: func() time.Time { return t0 }, Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		csv := "id,gender,age,district,education\n" +
			"imp1,kvinne,76,Midtbyen,lang høyere\n" +
			"imp2,mann,34,Heimdal,grunnskole\n" +
			"imp3,mann,ung,Heimdal,grunnskole\n"
		if _, err := ds.ImportVolunteers(e.ctx, e.campaign.ID, strings.NewReader(csv), panel.ImportOptions{}); err != nil {
			t.Fatalf("ImportVolunteers: %v", err)
		}
		by := map[string]*panel.Volunteer{}
		pool, err := e.svc.Pool(e.ctx, e.campaign.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range pool {
			by[v.Source+"/"+v.ExternalID] = v
		}
		sms := by["sms/"+e.recipient(phone(1)).PseudoID]
		if sms == nil || sms.Values["age"] != "75+" {
			t.Fatalf("SMS volunteer: got %+v, want age 75+", sms)
		}
		for id, want := range map[string]string{"imp1": sms.Values["age"], "imp2": "30-44", "imp3": "ung"} {
			v := by["import/"+id]
			if v == nil || v.Values["age"] != want {
				t.Errorf("imported %s: got %+v, want age %q", id, v, want)
			}
		}

		// A birth year counts too; an age in no band is a row problem.
		csv = "id,gender,birth_year,district,education\nimp4,mann,1992,Heimdal,grunnskole\nimp5,mann,2020,Heimdal,grunnskole\n"
		_, err = ds.ImportVolunteers(e.ctx, e.campaign.ID, strings.NewReader(csv), panel.ImportOptions{})
		var ie *panel.ImportError
		if !errors.As(err, &ie) || len(ie.Rejected) != 1 || ie.Rejected[0].Row != 3 || !strings.Contains(ie.Rejected[0].Error, "birth_year 2020") {
			t.Fatalf("import with a child: got %v, want row 3 refused naming birth_year 2020", err)
		}
		if _, err := ds.ImportVolunteers(e.ctx, e.campaign.ID, strings.NewReader(csv), panel.ImportOptions{Partial: true}); err != nil {
			t.Fatalf("partial import: %v", err)
		}
		v, err := s.ListPool(e.ctx, e.campaign.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range v {
			if x.ExternalID == "imp4" && (x.Values["age"] != "30-44" || x.Values["birth_year"] != "") {
				t.Errorf("imp4: got values %v, want age 30-44 and no birth_year", x.Values)
			}
		}
	})
}
