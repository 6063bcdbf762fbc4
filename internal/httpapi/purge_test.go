package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/sortition"
)

// purgeAnswerBody is the answer of POST .../purge.
type purgeAnswerBody struct {
	panel.PurgeResult
	Changed bool `json:"changed"`
}

// purgeFixture fills e's campaign with personal data everywhere a purge
// must reach: a non-volunteer recipient, an imported volunteer without a
// phone, dialogue answers, SMS out (sent with a provider error, and
// queued) and in, an absence, and a drawn record of the panel's
// pseudonyms. It returns the meeting and the stored record.
func purgeFixture(t *testing.T, e *storeEnv) (*panel.Meeting, string) {
	t.Helper()
	ctx := context.Background()
	cid := e.campaign.ID
	e.exec(t, fmt.Sprintf(`INSERT INTO recipients (campaign_id, phone, pseudonym, state, attributes) VALUES (%d, '+4799000001', 'r-x', 'invited', '{"gender":"mann"}')`, cid))
	e.exec(t, fmt.Sprintf(`INSERT INTO volunteers (campaign_id, external_id, source, complete, household_key, category_values) VALUES (%d, 'web-7', 'import', true, 'Gate 9', '{"gender":"kvinne"}')`, cid))
	e.exec(t, `INSERT INTO volunteer_answers (volunteer_id, question, answer) SELECT id, 'education', 'høyere utdanning' FROM volunteers WHERE recipient_id IS NOT NULL`)
	var msgs []*panel.OutboundMessage
	for _, r := range e.ints(t, `SELECT id FROM recipients WHERE campaign_id = ? ORDER BY id`, cid) {
		msgs = append(msgs,
			&panel.OutboundMessage{CampaignID: cid, RecipientID: r[0], Kind: panel.KindInvitation, Body: "Hei! Vil du være med i innbyggerpanelet?", DedupKey: fmt.Sprintf("invitation/%d", r[0])},
			&panel.OutboundMessage{CampaignID: cid, RecipientID: r[0], Kind: panel.KindNotification, Body: "Takk for svaret ditt.", DedupKey: fmt.Sprintf("notification/%d", r[0])})
		e.exec(t, `INSERT INTO inbound_messages (provider_id, from_number, to_number, body, recipient_id, campaign_id, reply, state)
SELECT 'SM' || id, phone, '+4759000000', 'JA, gjerne', id, campaign_id, 'Takk!', 'handled' FROM recipients WHERE id = ?`, r[0])
	}
	if n, err := e.st.Enqueue(ctx, msgs); err != nil || n != len(msgs) {
		t.Fatalf("Enqueue: got %d, %v; want %d", n, err, len(msgs))
	}
	e.exec(t, `UPDATE outbound_messages SET state = 'delivered', provider_id = 'SMout' || id, last_error = 'The number +4791000001 ...' WHERE kind = 'invitation'`)
	e.exec(t, `INSERT INTO message_status_events (outbound_message_id, provider_id, status) SELECT id, provider_id, 'delivered' FROM outbound_messages WHERE provider_id IS NOT NULL`)
	e.exec(t, `UPDATE draws SET snapshot = '{"people":[{"id":"web-7","values":{"gender":"kvinne"}}]}' WHERE campaign_id = ?`, cid)

	m := &panel.Meeting{CampaignID: cid, Title: "Samling 1", StartsAt: time.Date(2026, 11, 25, 18, 0, 0, 0, e.loc), Place: "Rådhuset"}
	if err := e.st.CreateMeeting(ctx, m); err != nil {
		t.Fatalf("CreateMeeting: %v", err)
	}
	if _, err := e.sched.CantAttend(ctx, e.members[1].RecipientID, "KAN IKKE, er bortreist"); err != nil {
		t.Fatalf("CantAttend: %v", err)
	}

	var csv strings.Builder
	csv.WriteString("id,gender\n")
	for _, r := range e.ints(t, `SELECT volunteer_id FROM panel_members ORDER BY id`) {
		fmt.Fprintf(&csv, "p%d,kvinne\n", r[0])
	}
	quotas, err := sortition.ParseQuotas(strings.NewReader("category,name,min,max\ngender,kvinne,2,2\n"), "quotas.csv")
	if err != nil {
		t.Fatalf("ParseQuotas: %v", err)
	}
	pool, err := sortition.ParsePeople(strings.NewReader(csv.String()), "pool.csv", sortition.PeopleOptions{Quotas: quotas})
	if err != nil {
		t.Fatalf("ParsePeople: %v", err)
	}
	rec, err := sortition.Prepare(ctx, pool, quotas, sortition.Params{Seats: 2, Reserves: 1, Algorithm: sortition.AlgorithmLegacy})
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if err := rec.Draw("3-5-1-6"); err != nil {
		t.Fatalf("Draw: %v", err)
	}
	var buf bytes.Buffer
	if err := sortition.WriteRecord(&buf, rec); err != nil {
		t.Fatalf("WriteRecord: %v", err)
	}
	e.exec(t, `UPDATE draws SET record = ? WHERE campaign_id = ?`, buf.String(), cid)
	return m, buf.String()
}

// personalLeft counts the rows of each table that still hold personal data.
func personalLeft(t *testing.T, e *storeEnv) map[string]int64 {
	t.Helper()
	return map[string]int64{
		"phones":            e.count(t, `SELECT count(*) FROM recipients WHERE phone IS NOT NULL`),
		"attributes":        e.count(t, `SELECT count(*) FROM recipients WHERE attributes <> '{}'`),
		"outbound bodies":   e.count(t, `SELECT count(*) FROM outbound_messages WHERE body <> '' OR last_error IS NOT NULL`),
		"queued":            e.count(t, `SELECT count(*) FROM outbound_messages WHERE state = 'queued'`),
		"inbound":           e.count(t, `SELECT count(*) FROM inbound_messages WHERE from_number IS NOT NULL OR body IS NOT NULL OR reply IS NOT NULL`),
		"answers":           e.count(t, `SELECT count(*) FROM volunteer_answers`),
		"household keys":    e.count(t, `SELECT count(*) FROM volunteers WHERE household_key IS NOT NULL`),
		"absence reasons":   e.count(t, `SELECT count(*) FROM absences WHERE reason <> ''`),
		"panel members":     e.count(t, `SELECT count(*) FROM panel_members`),
		"pseudonyms":        e.count(t, `SELECT count(*) FROM recipients WHERE pseudonym <> ''`),
		"category values":   e.count(t, `SELECT count(*) FROM volunteers WHERE category_values <> '{}'`),
		"audit events":      e.count(t, `SELECT count(*) FROM audit_events`),
		"outbound messages": e.count(t, `SELECT count(*) FROM outbound_messages`),
		"provider ids": e.count(t, `SELECT count(*) FROM outbound_messages WHERE provider_id IS NOT NULL`) +
			e.count(t, `SELECT count(*) FROM inbound_messages WHERE provider_id NOT LIKE 'purged:%'`),
		"status events":  e.count(t, `SELECT count(*) FROM message_status_events`),
		"uploaded ids":   e.count(t, `SELECT count(*) FROM volunteers WHERE source = 'import' AND external_id NOT LIKE 'purged-%'`),
		"draw snapshots": e.count(t, `SELECT count(*) FROM draws WHERE snapshot IS NOT NULL`),
		"provider queue": e.count(t, `SELECT count(*) FROM provider_deletions`),
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		ctx := context.Background()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 3)
		m, record := purgeFixture(t, e)
		path := fmt.Sprintf("/api/v1/campaigns/%d/purge", e.campaign.ID)
		before := personalLeft(t, e)
		if before["phones"] != 4 || before["answers"] != 3 || before["queued"] != 4 || before["absence reasons"] != 1 {
			t.Fatalf("fixture: got %v", before)
		}

		// Refused calls change nothing.
		refused := []struct {
			name, path, token, body string
			wantStatus              int
			wantInMessage           string
		}{
			{"before the end", path, e.org, "", 409, fmt.Sprintf("the panel has not ended: meeting %d", m.ID)},
			{"before the end, empty object", path, e.org, "{}", 409, "has not ended"},
			{"auditor", path, e.aud, "", 403, "may only read"},
			{"auditor, one person", path, e.aud, `{"recipient":1}`, 403, "may only read"},
			{"recipient zero", path, e.org, `{"recipient":0}`, 422, "recipient must be a positive id"},
			{"recipient as text", path, e.org, `{"recipient":"1"}`, 422, "recipient must be a number"},
			{"empty pseudonym", path, e.org, `{"pseudonym":""}`, 422, "pseudonym must not be empty"},
			{"two people", path, e.org, `{"recipient":1,"external_id":"web-7"}`, 422, "exactly one of recipient, pseudonym or external_id"},
			{"unknown field", path, e.org, `{"phone":"+4791000001"}`, 422, `unknown field "phone"`},
			{"malformed", path, e.org, `{"recipient":`, 400, "malformed JSON"},
			{"unknown person", path, e.org, `{"pseudonym":"nobody"}`, 404, `no person with pseudonym "nobody"`},
			{"person of another campaign", path, e.org, `{"recipient":99}`, 404, "no person with recipient 99"},
			{"unknown campaign", "/api/v1/campaigns/99/purge", e.org, "", 404, "campaign not found"},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				r := e.call(t, "POST", tt.path, tt.token, tt.body, tt.wantStatus)
				if got := r.errorBody(t).Message; !strings.Contains(got, tt.wantInMessage) {
					t.Errorf("got message %q, want it to contain %q", got, tt.wantInMessage)
				}
			})
		}
		if after := personalLeft(t, e); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("refused purges changed data: got %v, want %v", after, before)
		}

		// One person at a time, any time, by recipient, pseudonym or external id.
		member0, member1 := e.members[0], e.members[1]
		vid1 := e.count(t, `SELECT volunteer_id FROM panel_members WHERE id = ?`, member1.ID)
		people := []struct {
			name, body string
			want       panel.PurgeResult
		}{
			{"by recipient", fmt.Sprintf(`{"recipient":%d}`, member0.RecipientID),
				panel.PurgeResult{Scope: "person", Recipients: 1, OutboundBodies: 2, CancelledMessages: 1, InboundMessages: 1, Answers: 1, Volunteers: 1, ProviderMessages: 2}},
			{"by panel pseudonym", fmt.Sprintf(`{"pseudonym":"p%d"}`, vid1),
				panel.PurgeResult{Scope: "person", Recipients: 1, OutboundBodies: 2, CancelledMessages: 1, InboundMessages: 1, Answers: 1, Volunteers: 1, Absences: 1, ProviderMessages: 2}},
			{"by external id, no phone", `{"external_id":"web-7"}`,
				panel.PurgeResult{Scope: "person", Volunteers: 1, ExternalIDs: 1}},
			{"again: nothing left", fmt.Sprintf(`{"recipient":%d}`, member0.RecipientID),
				panel.PurgeResult{Scope: "person"}},
		}
		for _, tt := range people {
			audits := e.count(t, `SELECT count(*) FROM audit_events`)
			var got purgeAnswerBody
			decodeAnswer(t, e.call(t, "POST", path, e.org, tt.body, 200), &got)
			if got.PurgeResult != tt.want || got.Changed != tt.want.Changed() {
				t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
			}
			wantAudits := audits
			if tt.want.Changed() {
				wantAudits++
			}
			if n := e.count(t, `SELECT count(*) FROM audit_events`); n != wantAudits {
				t.Errorf("%s: got %d audit events, want %d", tt.name, n, wantAudits)
			}
		}
		if got := e.text(t, `SELECT phone FROM recipients WHERE id = ?`, e.members[2].RecipientID); got == "<null>" {
			t.Errorf("a person purge reached someone else: member 3's phone is gone")
		}
		// A purged person is never messaged again: not enqueued, not reminded.
		n, err := e.st.Enqueue(ctx, []*panel.OutboundMessage{{CampaignID: e.campaign.ID, RecipientID: member0.RecipientID, Kind: panel.KindNotification, Body: "Hei igjen", DedupKey: "after-purge"}})
		if err != nil || n != 0 {
			t.Errorf("Enqueue to a purged recipient: got %d, %v; want 0, nil", n, err)
		}
		if res := e.tick(t, time.Date(2026, 11, 18, 12, 0, 0, 0, e.loc)); res.Sent != 1 {
			t.Errorf("reminders after purging two members: got %d sent, want 1", res.Sent)
		}

		// Everyone, once the last meeting has started.
		e.clock.Set(time.Date(2026, 11, 25, 18, 0, 0, 0, e.loc))
		var all purgeAnswerBody
		decodeAnswer(t, e.call(t, "POST", path, e.org, "", 200), &all)
		want := panel.PurgeResult{Scope: "campaign", Recipients: 2, OutboundBodies: 5, CancelledMessages: 3, InboundMessages: 2, Answers: 1, Volunteers: 1,
			DrawSnapshots: 1, ProviderMessages: 4}
		if all.PurgeResult != want || !all.Changed {
			t.Errorf("campaign purge: got %+v, want %+v", all, want)
		}
		left := personalLeft(t, e)
		for _, k := range []string{"phones", "attributes", "outbound bodies", "queued", "inbound", "answers", "household keys", "absence reasons",
			"provider ids", "status events", "uploaded ids", "draw snapshots"} {
			if left[k] != 0 {
				t.Errorf("after the purge: %d rows still hold %s", left[k], k)
			}
		}
		for _, k := range []string{"panel members", "pseudonyms", "category values"} {
			if left[k] != before[k] {
				t.Errorf("after the purge: got %d %s, want %d kept", left[k], k, before[k])
			}
		}
		// Every provider id left the messages for the deletion queue, once.
		if left["provider queue"] != before["provider ids"] {
			t.Errorf("after the purge: %d provider deletions queued, want %d (one per message)", left["provider queue"], before["provider ids"])
		}
		var shown panel.Campaign
		decodeAnswer(t, e.call(t, "GET", fmt.Sprintf("/api/v1/campaigns/%d", e.campaign.ID), e.org, "", 200), &shown)
		if shown.State != panel.CampaignPurged || shown.PurgedAt == nil {
			t.Errorf("after the purge: campaign state %q, purged_at %v; want purged and a time", shown.State, shown.PurgedAt)
		}
		if got := e.text(t, `SELECT record FROM draws WHERE campaign_id = ?`, e.campaign.ID); got != record {
			t.Errorf("the draw record changed")
		}
		var rec sortition.Record
		if err := json.Unmarshal([]byte(record), &rec); err != nil {
			t.Fatalf("record: %v", err)
		}
		if rep, err := sortition.Verify(ctx, &rec, sortition.VerifyOptions{}); err != nil || !rep.Verified() {
			t.Errorf("the draw record does not verify after the purge: %+v, %v", rep, err)
		}
		r := e.call(t, "GET", "/api/v1/audit/verify", e.aud, "", 200)
		if !strings.Contains(string(r.body), `"ok":true`) {
			t.Errorf("audit verify: got %s", r.body)
		}
		r = e.call(t, "GET", "/api/v1/audit?limit=1000", e.aud, "", 200)
		for _, s := range []string{"+47", "Hei", "KAN IKKE", "Gate", "høyere"} {
			if strings.Contains(string(r.body), s) {
				t.Errorf("the audit log holds personal data %q", s)
			}
		}
		if got := e.auditActions(t, fmt.Sprintf("campaign/%d", e.campaign.ID)); got[len(got)-1] != "campaign.purged by alice" {
			t.Errorf("audit: got %q, want campaign.purged by alice last", got)
		}

		// A second purge changes nothing.
		var again purgeAnswerBody
		decodeAnswer(t, e.call(t, "POST", path, e.org, "", 200), &again)
		if again.Changed || again.PurgeResult != (panel.PurgeResult{Scope: "campaign"}) {
			t.Errorf("second purge: got %+v, want nothing changed", again)
		}
		if final := personalLeft(t, e); fmt.Sprint(final) != fmt.Sprint(left) {
			t.Errorf("second purge changed data: got %v, want %v", final, left)
		}
	})
}

func TestPurgeWhenTheCampaignIsClosed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		ctx := context.Background()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 1)
		path := fmt.Sprintf("/api/v1/campaigns/%d/purge", e.campaign.ID)
		r := e.call(t, "POST", path, e.org, "", 409)
		if msg := r.errorBody(t).Message; !strings.Contains(msg, "held no meeting and is draft, not closed") {
			t.Errorf("draft without meetings: got %q", msg)
		}
		// A cancelled meeting to come does not hold the purge back.
		m := &panel.Meeting{CampaignID: e.campaign.ID, Title: "Samling 1", StartsAt: time.Date(2026, 12, 1, 18, 0, 0, 0, e.loc)}
		if err := e.st.CreateMeeting(ctx, m); err != nil {
			t.Fatalf("CreateMeeting: %v", err)
		}
		e.call(t, "POST", path, e.org, "", 409)
		if _, err := e.st.CancelMeeting(ctx, m.ID); err != nil {
			t.Fatalf("CancelMeeting: %v", err)
		}
		e.exec(t, `UPDATE campaigns SET state = 'closed' WHERE id = ?`, e.campaign.ID)
		var got purgeAnswerBody
		decodeAnswer(t, e.call(t, "POST", path, e.org, "", 200), &got)
		if !got.Changed || got.Recipients != 1 {
			t.Errorf("closed campaign: got %+v, want one recipient purged", got)
		}
	})
}
