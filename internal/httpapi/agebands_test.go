package httpapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestCampaignAgeBands: age bands are set per campaign on creation (and
// while a draft), refused when they leave ages out or overlap, shown in
// every answer, and used when a recipient's birth year becomes a
// volunteer's age band.
func TestCampaignAgeBands(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := newReplyEnv(t, st, 2, "")
		var created panel.Campaign
		r := e.api("POST", "/api/v1/campaigns", e.org, `{"name":"Bands","invitation_text":"Svar {keyword}","age_bands":["18-34"," 35 - 69 ","70-79","80+"]}`)
		if r.status != 201 {
			t.Fatalf("create with age_bands: got %d %s, want 201", r.status, r.body)
		}
		if err := json.Unmarshal(r.body, &created); err != nil {
			t.Fatal(err)
		}
		want := []string{"18-34", "35-69", "70-79", "80+"}
		if !reflect.DeepEqual(created.AgeBands, want) {
			t.Errorf("created age_bands: got %q, want %q", created.AgeBands, want)
		}
		var got panel.Campaign
		decodeAnswer(t, e.api("GET", fmt.Sprintf("/api/v1/campaigns/%d", created.ID), e.aud, ""), &got)
		if !reflect.DeepEqual(got.AgeBands, want) {
			t.Errorf("stored age_bands: got %q, want %q", got.AgeBands, want)
		}
		decodeAnswer(t, e.api("GET", fmt.Sprintf("/api/v1/campaigns/%d", e.campaign.ID), e.aud, ""), &got)
		if !reflect.DeepEqual(got.AgeBands, panel.DefaultAgeBandLabels()) {
			t.Errorf("a campaign without age_bands: got %q, want the default %q", got.AgeBands, panel.DefaultAgeBandLabels())
		}
		for _, tt := range []struct{ bands, want string }{
			{`["20-39","40+"]`, `age_bands[0] "20-39" starts at 20`},
			{`["18-44","40-59","60+"]`, `age_bands[1] "40-59" overlaps`},
			{`["18-29","30-59"]`, "must be open-ended"},
		} {
			r := e.api("POST", "/api/v1/campaigns", e.org, `{"name":"Bad bands","invitation_text":"Svar {keyword}","age_bands":`+tt.bands+`}`)
			if r.status != 422 || !strings.Contains(r.errorBody(t).Message, tt.want) {
				t.Errorf("age_bands %s: got %d %s, want 422 containing %q", tt.bands, r.status, r.body, tt.want)
			}
		}

		// The round's campaign is still a draft: its bands change, and the
		// next volunteer is banded by them. invitee(1) was born in 1950.
		camp, err := st.FindCampaignByID(t.Context(), e.campaign.ID)
		if err != nil {
			t.Fatal(err)
		}
		camp.AgeBands = want
		if err := st.UpdateDraftCampaign(t.Context(), camp); err != nil {
			t.Fatalf("UpdateDraftCampaign: %v", err)
		}
		bad := *camp
		bad.AgeBands = []string{"18-29", "29+"}
		if err := st.UpdateDraftCampaign(t.Context(), &bad); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("update with overlapping bands: got %v, want EINVALID", err)
		}
		keep := *camp
		keep.AgeBands, keep.SendRate = nil, 5 // an edit that does not mention the bands keeps them
		if err := st.UpdateDraftCampaign(t.Context(), &keep); err != nil || !reflect.DeepEqual(keep.AgeBands, want) {
			t.Errorf("update without age bands: got %q, %v; want the bands kept, %q", keep.AgeBands, err, want)
		}
		e.sms(invitee(1), "Ja")
		v, err := st.FindVolunteerByRecipient(t.Context(), 1)
		if err != nil {
			t.Fatalf("FindVolunteerByRecipient: %v", err)
		}
		age := time.Now().Year() - 1950
		wantBand := "70-79"
		if age >= 80 {
			wantBand = "80+"
		}
		if v.Values["age"] != wantBand {
			t.Errorf("volunteer born 1950: got age %q, want %q (the campaign's band, not the default %q)", v.Values["age"], wantBand, "75+")
		}
	})
}
