package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// TestCloseAndPurge closes a campaign and purges its personal data from
// the overview: confirmation box checked by the server, purge refused
// before close in the person's language, a repeated form acting once,
// auditors refused, and the states shown in the list and the overview.
func TestCloseAndPurge(t *testing.T) {
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		kari, revi, nb := e.browser("en"), e.browser("en"), e.browser("nb")
		kari.signIn("kari")
		revi.signIn("revi")
		nb.signIn("kari")
		camp := &panel.Campaign{Name: "Trondheim", InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
		if err := e.store.CreateCampaign(e.ctx, camp); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/campaigns/%d", camp.ID)
		p := kari.upload(path+"/recipients", "file", "r.csv", []byte(recipientsCSV))
		kari.confirm(path+"/recipients/confirm", formValue(t, p.body, "nonce"), recipientsCSV)

		if p := revi.get(path); strings.Contains(p.body, `id="close-form"`) {
			t.Error("an auditor's overview offers to close the campaign")
		}
		if p := kari.get(path); !strings.Contains(p.body, `id="close-form"`) || strings.Contains(p.body, `id="purge-form"`) {
			t.Error("a draft's overview should offer close and not purge")
		}
		// Purge before close: refused, in each person's language, nothing done.
		if p := kari.post(path+"/purge", url.Values{"nonce": {"p0"}, "confirm": {"yes"}}); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(p.body, "Personal data can be deleted only once recruitment is closed; the campaign is “Draft”.") {
			t.Errorf("purge a draft: got %d, want 422 saying close first\n%s", p.status, p.body)
		}
		if p := nb.post(path+"/purge", url.Values{"nonce": {"p0nb"}, "confirm": {"yes"}}); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(p.body, "kampanjen har status «Utkast»") {
			t.Errorf("purge a draft in bokmål: got %d, want 422 in bokmål\n%s", p.status, p.body)
		}
		for _, tc := range []struct {
			name string
			b    *browser
			form url.Values
			want int
		}{
			{"auditor", revi, url.Values{"nonce": {"a1"}, "confirm": {"yes"}}, http.StatusForbidden},
			{"box not ticked", kari, url.Values{"nonce": {"c0"}}, http.StatusUnprocessableEntity},
		} {
			if p := tc.b.post(path+"/close", tc.form); p.status != tc.want {
				t.Errorf("close, %s: got %d, want %d", tc.name, p.status, tc.want)
			}
		}
		if c, _ := e.store.FindCampaignByID(e.ctx, camp.ID); c.State != panel.CampaignDraft {
			t.Fatalf("after refused closes the campaign is %s, want draft", c.State)
		}

		nonce := formValue(t, kari.get(path).body, "nonce")
		for i := range 2 {
			p := kari.post(path+"/close", url.Values{"nonce": {nonce}, "confirm": {"yes"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("close #%d: got %d\n%s", i+1, p.status, p.body)
			}
			if want := []string{"close", "repeated"}[i]; !strings.HasSuffix(p.location, "notice="+want) {
				t.Errorf("close #%d: went to %s, want notice=%s", i+1, p.location, want)
			}
		}
		p = kari.get(path)
		if !strings.Contains(p.body, `id="campaign-state">Closed`) || !strings.Contains(p.body, `id="purge-form"`) || strings.Contains(p.body, `id="close-form"`) {
			t.Errorf("a closed overview should say Closed and offer purge only\n%s", p.body)
		}
		if p := revi.post(path+"/purge", url.Values{"nonce": {"a2"}, "confirm": {"yes"}}); p.status != http.StatusForbidden {
			t.Errorf("auditor purges: got %d, want 403", p.status)
		}
		if p := kari.post(path+"/purge", url.Values{"nonce": {"u0"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Tick “I understand”") {
			t.Errorf("purge without the box: got %d, want 422 asking for it", p.status)
		}
		nonce = formValue(t, p.body, "nonce")
		for i := range 2 {
			if p := kari.post(path+"/purge", url.Values{"nonce": {nonce}, "confirm": {"yes"}}); p.status != http.StatusSeeOther {
				t.Fatalf("purge #%d: got %d\n%s", i+1, p.status, p.body)
			}
		}
		c, err := e.store.FindCampaignByID(e.ctx, camp.ID)
		if err != nil || c.State != panel.CampaignPurged || c.PurgedAt == nil {
			t.Fatalf("after purge: %+v, %v; want purged with purged_at", c, err)
		}
		events, err := e.store.ListAuditEvents(e.ctx, panel.AuditFilter{Limit: 1000})
		purges := 0
		for _, ev := range events {
			if ev.Action == "campaign.purged" {
				purges++
			}
		}
		if err != nil || purges != 1 {
			t.Errorf("campaign.purged events: %d, %v; want one for a double submit", purges, err)
		}
		p = kari.get(path)
		if !strings.Contains(p.body, `id="campaign-state">Personal data deleted`) || !strings.Contains(p.body, `id="purged-at"`) || strings.Contains(p.body, `id="final-actions"`) {
			t.Errorf("a purged overview should say so, with the time, and offer nothing\n%s", p.body)
		}
		if p := nb.get("/campaigns"); !strings.Contains(p.body, "Personopplysninger slettet") {
			t.Errorf("the bokmål list should show the purged state\n%s", p.body)
		}
	})
}

// TestPurgeWaitsForTheLastMeeting refuses to purge a closed campaign
// whose panel still has a meeting to come, saying so in the person's
// language, and purges nothing.
func TestPurgeWaitsForTheLastMeeting(t *testing.T) {
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		camp := &panel.Campaign{Name: "Bergen", InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
		if err := e.store.CreateCampaign(e.ctx, camp); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.CloseCampaign(e.ctx, camp.ID); err != nil {
			t.Fatal(err)
		}
		m := &panel.Meeting{CampaignID: camp.ID, Title: "Første samling", StartsAt: e.clock.Now().Add(72 * time.Hour)}
		if err := e.store.CreateMeeting(e.ctx, m); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/campaigns/%d", camp.ID)
		for lang, want := range map[string]string{
			"nb": "Personopplysningene kan ikke slettes ennå: panelet har møter som ikke er holdt.",
			"en": "The personal data cannot be deleted yet: the panel has meetings still to be held.",
		} {
			b := e.browser(lang)
			b.signIn("kari")
			if p := b.post(path+"/purge", url.Values{"nonce": {"m-" + lang}, "confirm": {"yes"}}); p.status != http.StatusConflict || !strings.Contains(p.body, want) {
				t.Errorf("%s: purge before the meeting: got %d, want 409 saying %q\n%s", lang, p.status, want, p.body)
			}
		}
		if c, err := e.store.FindCampaignByID(e.ctx, camp.ID); err != nil || c.State != panel.CampaignClosed {
			t.Errorf("after a refused purge: %+v, %v; want still closed", c, err)
		}
	})
}
