package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestPurgeAfterARealDraw runs a draw of imported volunteers to the end,
// closes and purges the campaign, and checks table by table that nothing
// personal is left while the published record still verifies.
func TestPurgeAfterARealDraw(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		st := storetest.Open(t, db)
		e := newDrawEnvWith(t, st, func(d *Deps) { d.Purge = st })
		raw := &storeEnv{db: db}
		var camp struct{ ID int64 }
		json.Unmarshal(e.must(t, 201, "POST", "/api/v1/campaigns", e.organiser, "application/json", `{"name":"Trondheim","invitation_text":"Vil du være med? Svar JA eller NEI."}`), &camp)
		base := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
		csv, _ := poolCSV(80)
		e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", csv)
		e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", "id,gender,age,district\nextra1,mann,65+,vest\n")
		e.must(t, 200, "PUT", base+"/quotas", e.organiser, "text/csv", quotasCategoryName)
		var d panel.Draw
		json.Unmarshal(e.must(t, 201, "POST", base+"/draws", e.organiser, "application/json", `{"seats":12,"reserves":6}`), &d)
		dpath, ppath := fmt.Sprintf("/api/v1/draws/%d", d.ID), fmt.Sprintf("/public/draws/%d", d.ID)
		e.must(t, 200, "POST", dpath+"/seed", e.organiser, "application/json", `{"seed":"3-5-1-6"}`)
		e.must(t, 202, "POST", dpath+"/notify", e.organiser, "", "")
		before := raw.text(t, `SELECT record FROM draws WHERE id = ?`, d.ID)
		uploaded := raw.count(t, `SELECT count(*) FROM volunteers WHERE campaign_id = ? AND source = 'import'`, camp.ID)
		if n := raw.count(t, `SELECT count(*) FROM outbound_messages WHERE kind <> 'invitation'`); n == 0 {
			t.Fatal("fixture: the draw notified no one")
		}

		// A campaign without meetings is purged after it is closed.
		if st0, b := e.call(t, "POST", base+"/purge", e.organiser, "", ""); st0 != 409 || !strings.Contains(string(b), "not closed") {
			t.Fatalf("purge before close: got %d %s, want 409", st0, b)
		}
		e.must(t, 200, "POST", base+"/close", e.organiser, "", "")
		var res purgeAnswerBody
		json.Unmarshal(e.must(t, 200, "POST", base+"/purge", e.organiser, "", ""), &res)
		if res.ExternalIDs != int(uploaded) || res.DrawSnapshots != 1 || res.Recipients == 0 || !res.Changed {
			t.Errorf("purge: got %+v, want %d uploaded ids and 1 frozen pool", res.PurgeResult, uploaded)
		}

		left := []struct {
			what, query string
		}{
			{"phone numbers", `SELECT count(*) FROM recipients WHERE phone IS NOT NULL OR attributes <> '{}'`},
			{"ids as uploaded", `SELECT count(*) FROM volunteers WHERE source = 'import' AND external_id NOT LIKE 'purged-%'`},
			{"ids as uploaded in message keys", `SELECT count(*) FROM outbound_messages WHERE dedup_key LIKE '%/w0%' OR dedup_key LIKE '%/extra1'`},
			{"household keys", `SELECT count(*) FROM volunteers WHERE household_key IS NOT NULL`},
			{"frozen pools", `SELECT count(*) FROM draws WHERE snapshot IS NOT NULL`},
			{"message texts", `SELECT count(*) FROM outbound_messages WHERE body <> '' OR last_error IS NOT NULL`},
			{"queued messages", `SELECT count(*) FROM outbound_messages WHERE state = 'queued'`},
			{"provider ids", `SELECT count(*) FROM outbound_messages WHERE provider_id IS NOT NULL`},
			{"answers", `SELECT count(*) FROM volunteer_answers`},
		}
		for _, l := range left {
			if n := raw.count(t, l.query); n != 0 {
				t.Errorf("after the purge %d rows hold %s", n, l.what)
			}
		}
		if after := raw.text(t, `SELECT record FROM draws WHERE id = ?`, d.ID); after != before {
			t.Errorf("the purge changed the draw record")
		}
		verifyPublished(t, e, ppath, d.Commitment)
		if st0, b := e.call(t, "POST", dpath+"/notify", e.organiser, "", ""); st0 != 409 || !strings.Contains(string(b), "purged") {
			t.Errorf("notify after the purge: got %d %s, want 409 saying it was purged", st0, b)
		}
		if st0, b := e.call(t, "POST", base+"/draws", e.organiser, "application/json", `{"seats":12}`); st0 != 409 || !strings.Contains(string(b), "purged") {
			t.Errorf("a new draw after the purge: got %d %s, want 409 saying it was purged", st0, b)
		}
		var c panel.Campaign
		json.Unmarshal(e.must(t, 200, "GET", base, e.auditor, "", ""), &c)
		if c.State != panel.CampaignPurged {
			t.Errorf("campaign state after the purge: got %q, want purged", c.State)
		}
	})
}
