package httpapi

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestCampaignLifecycle(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 1)
		path := fmt.Sprintf("/api/v1/campaigns/%d", e.campaign.ID)
		state := func() panel.Campaign {
			var c panel.Campaign
			decodeAnswer(t, e.call(t, "GET", path, e.org, "", 200), &c)
			return c
		}

		// A draft takes every change.
		var got panel.Campaign
		decodeAnswer(t, e.call(t, "PATCH", path, e.org, `{"invitation_text":"Hei! Vil du være med? Svar JA.","send_rate":5,"templates":{"draw_selected":"Du er trukket ut."}}`, 200), &got)
		if got.InvitationText != "Hei! Vil du være med? Svar JA." || got.SendRate != 5 || got.Templates["draw_selected"] != "Du er trukket ut." || got.Name != "Trondheim" {
			t.Errorf("PATCH of a draft: got %+v", got)
		}
		if c := state(); c.InvitationText != got.InvitationText || c.SendRate != 5 {
			t.Errorf("PATCH was not stored: got %+v", c)
		}

		// Age bands, while a draft: checked, stored as written back, [] is the default.
		if r := e.call(t, "PATCH", path, e.org, `{"age_bands":["18-44","40-59","60+"]}`, 422); !strings.Contains(r.errorBody(t).Message, `age_bands[1] "40-59" overlaps`) {
			t.Errorf("overlapping age bands: got %q, want it to name age_bands[1]", r.errorBody(t).Message)
		}
		decodeAnswer(t, e.call(t, "PATCH", path, e.org, `{"age_bands":["18-34"," 35 - 69 ","70+"]}`, 200), &got)
		want := []string{"18-34", "35-69", "70+"}
		if c := state(); !slices.Equal(got.AgeBands, want) || !slices.Equal(c.AgeBands, want) || c.InvitationText != "Hei! Vil du være med? Svar JA." {
			t.Errorf("PATCH of age bands: answered %q, stored %+v; want %q and nothing else changed", got.AgeBands, c, want)
		}
		decodeAnswer(t, e.call(t, "PATCH", path, e.org, `{"age_bands":[]}`, 200), &got)
		if c := state(); !slices.Equal(got.AgeBands, panel.DefaultAgeBandLabels()) || !slices.Equal(c.AgeBands, panel.DefaultAgeBandLabels()) {
			t.Errorf("PATCH of age bands to []: answered %q, stored %q; want the default", got.AgeBands, c.AgeBands)
		}
		decodeAnswer(t, e.call(t, "PATCH", path, e.org, `{"age_bands":["18-34","35-69","70+"]}`, 200), &got)

		// Sending: texts are frozen, settings are not.
		e.exec(t, `UPDATE campaigns SET state = 'sending' WHERE id = ?`, e.campaign.ID)
		e.exec(t, `INSERT INTO outbound_messages (campaign_id, recipient_id, kind, body, dedup_key) VALUES (?, ?, 'invitation', 'Hei', 'inv-x')`, e.campaign.ID, e.members[0].RecipientID)
		refused := []struct {
			name, body string
			status     int
			want       string
		}{
			{"texts while sending", `{"invitation_text":"Ny tekst"}`, 409, "only while it is a draft"},
			{"templates while sending", `{"templates":{}}`, 409, "only while it is a draft"},
			{"age bands while sending", `{"age_bands":["18-29","30+"]}`, 409, "age_bands can change only while it is a draft"},
			{"bad send rate", `{"send_rate":0}`, 422, "send_rate must be between"},
			{"bad quiet hours", `{"quiet_hours":"25:00-08:00"}`, 422, "quiet_hours"},
			{"nothing", `{}`, 422, "give at least one of"},
			{"unknown field", `{"state":"draft"}`, 422, `unknown field "state"`},
		}
		for _, tt := range refused {
			r := e.call(t, "PATCH", path, e.org, tt.body, tt.status)
			if msg := r.errorBody(t).Message; !strings.Contains(msg, tt.want) {
				t.Errorf("%s: got %q, want it to contain %q", tt.name, msg, tt.want)
			}
		}
		e.call(t, "PATCH", path, e.aud, `{"send_rate":2}`, 403)
		decodeAnswer(t, e.call(t, "PATCH", path, e.org, `{"send_rate":2.5,"quiet_hours":""}`, 200), &got)
		if got.SendRate != 2.5 || got.QuietHours != "" || got.State != panel.CampaignSending {
			t.Errorf("PATCH of settings while sending: got %+v", got)
		}

		// Close: recruitment over, queued invitations cancelled, purge allowed.
		e.call(t, "POST", path+"/close", e.aud, "", 403)
		decodeAnswer(t, e.call(t, "POST", path+"/close", e.org, "", 200), &got)
		if got.State != panel.CampaignClosed {
			t.Errorf("close: got state %q, want closed", got.State)
		}
		if n := e.count(t, `SELECT count(*) FROM outbound_messages WHERE campaign_id = ? AND state = 'queued'`, e.campaign.ID); n != 0 {
			t.Errorf("after close: %d invitations still queued, want 0", n)
		}
		if r := e.call(t, "POST", path+"/close", e.org, "", 409); !strings.Contains(r.errorBody(t).Message, "closed already") {
			t.Errorf("second close: got %q", r.errorBody(t).Message)
		}
		if got := e.auditActions(t, fmt.Sprintf("campaign/%d", e.campaign.ID)); !strings.Contains(strings.Join(got, ","), "campaign.closed by alice") ||
			!strings.Contains(strings.Join(got, ","), "campaign.updated by alice") {
			t.Errorf("audit: got %q, want campaign.updated and campaign.closed", got)
		}

		// Purge: the state reads purged, nothing changes any more.
		e.call(t, "POST", path+"/purge", e.org, "", 200)
		if c := state(); c.State != panel.CampaignPurged || c.PurgedAt == nil {
			t.Errorf("after the purge: got state %q, purged_at %v; want purged", c.State, c.PurgedAt)
		}
		var list campaignList
		decodeAnswer(t, e.call(t, "GET", "/api/v1/campaigns?state=purged", e.org, "", 200), &list)
		if list.Total != 1 || list.Campaigns[0].ID != e.campaign.ID {
			t.Errorf("?state=purged: got %+v", list)
		}
		decodeAnswer(t, e.call(t, "GET", "/api/v1/campaigns?state=closed", e.org, "", 200), &list)
		if list.Total != 0 {
			t.Errorf("?state=closed after the purge: got %d, want 0 (it shows as purged)", list.Total)
		}
		e.call(t, "PATCH", path, e.org, `{"send_rate":3}`, 409)
		e.call(t, "POST", path+"/close", e.org, "", 409)
		e.call(t, "PATCH", "/api/v1/campaigns/999", e.org, `{"send_rate":3}`, 404)
		e.call(t, "POST", "/api/v1/campaigns/999/close", e.org, "", 404)
	})
}
