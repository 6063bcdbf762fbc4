package httpapi

import (
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestPurgeByPhone(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		e := newStoreEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), 2)
		const number, other = "+4791000001", "+4791000002" // members 1 and 2 of the first campaign
		var second panel.Campaign
		decodeAnswer(t, e.call(t, "POST", "/api/v1/campaigns", e.org, `{"name":"Bergen","invitation_text":"Hei! Svar JA."}`, 201), &second)
		e.exec(t, `INSERT INTO recipients (campaign_id, phone, pseudonym, state, attributes) VALUES (?, ?, 'b1', 'invited', '{"district":"Årstad"}')`, second.ID, number)
		e.exec(t, `INSERT INTO inbound_messages (provider_id, from_number, to_number, body, recipient_id, campaign_id, state)
SELECT 'SMin' || id, phone, '+4759000000', 'JA', id, campaign_id, 'handled' FROM recipients`)
		e.exec(t, `INSERT INTO inbound_messages (provider_id, from_number, to_number, body, state) VALUES ('SMlost1', ?, '+4759000000', 'Hvem er dere?', 'ignored')`, number)
		e.exec(t, `INSERT INTO inbound_messages (provider_id, from_number, to_number, body, state) VALUES ('SMlost2', '+4798765432', '+4759000000', 'Hallo?', 'ignored')`)
		e.exec(t, `INSERT INTO message_status_events (provider_id, status) VALUES ('SMstray', 'delivered')`)

		refused := []struct {
			name, body string
			status     int
			want       string
		}{
			{"no field", `{}`, 422, "give exactly one of phone or unknown_inbound"},
			{"both", `{"phone":"+4791000001","unknown_inbound":true}`, 422, "got both"},
			{"not a number", `{"phone":"ring meg"}`, 422, "phone:"},
			{"nobody has it", `{"phone":"+4791999999"}`, 404, "no recipient and no message holds this phone number"},
		}
		for _, tt := range refused {
			r := e.call(t, "POST", "/api/v1/purge", e.org, tt.body, tt.status)
			if msg := r.errorBody(t).Message; !strings.Contains(msg, tt.want) {
				t.Errorf("%s: got %q, want it to contain %q", tt.name, msg, tt.want)
			}
		}
		e.call(t, "POST", "/api/v1/purge", e.aud, `{"phone":"+4791000001"}`, 403)

		// Written as organisers get it on the phone.
		var got purgeAnswerBody
		decodeAnswer(t, e.call(t, "POST", "/api/v1/purge", e.org, `{"phone":"+47 910 00 001"}`, 200), &got)
		want := panel.PurgeResult{Scope: "phone", Recipients: 2, InboundMessages: 3, Volunteers: 1, ProviderMessages: 3}
		if got.PurgeResult != want || !got.Changed {
			t.Errorf("purge by phone: got %+v, want %+v", got.PurgeResult, want)
		}
		if n := e.count(t, `SELECT count(*) FROM recipients WHERE phone = ?`, number); n != 0 {
			t.Errorf("%d recipients still hold the number", n)
		}
		if n := e.count(t, `SELECT count(*) FROM inbound_messages WHERE from_number = ? OR body IS NULL AND from_number IS NOT NULL`, number); n != 0 {
			t.Errorf("%d messages still hold the number", n)
		}
		for _, keep := range []string{other} {
			if n := e.count(t, `SELECT count(*) FROM recipients WHERE phone = ?`, keep); n != 1 {
				t.Errorf("the purge reached %s: %d recipients hold it, want 1", keep, n)
			}
		}
		if n := e.count(t, `SELECT count(*) FROM inbound_messages WHERE from_number = '+4798765432'`); n != 1 {
			t.Errorf("the purge reached an unknown number's message")
		}
		r := e.call(t, "GET", "/api/v1/audit?limit=1000", e.aud, "", 200)
		if strings.Contains(string(r.body), "91000001") || !strings.Contains(string(r.body), `"person.purged"`) {
			t.Errorf("audit: want person.purged without the number, got %s", r.body)
		}
		// Nothing left: asking again finds no one.
		e.call(t, "POST", "/api/v1/purge", e.org, `{"phone":"+4791000001"}`, 404)

		// Messages from numbers in no campaign, on request.
		decodeAnswer(t, e.call(t, "POST", "/api/v1/purge", e.org, `{"unknown_inbound":true}`, 200), &got)
		if got.InboundMessages != 2 || !got.Changed {
			t.Errorf("unknown inbound: got %+v, want 2 purged (the one left and the one purged by phone)", got)
		}
		if n := e.count(t, `SELECT count(*) FROM inbound_messages WHERE recipient_id IS NULL AND campaign_id IS NULL`); n != 0 {
			t.Errorf("%d messages from unknown numbers left", n)
		}
		if n := e.count(t, `SELECT count(*) FROM inbound_messages`); n != 3 {
			t.Errorf("got %d inbound messages left, want the campaigns' 3", n)
		}
		if n := e.count(t, `SELECT count(*) FROM message_status_events`); n != 0 {
			t.Errorf("%d status callbacks of unknown messages left", n)
		}
		if n := e.count(t, `SELECT count(*) FROM provider_deletions WHERE provider_id IN ('SMlost1', 'SMlost2')`); n != 2 {
			t.Errorf("got %d of the unknown numbers' messages queued for deletion at the provider, want 2", n)
		}
		decodeAnswer(t, e.call(t, "POST", "/api/v1/purge", e.org, `{"unknown_inbound":true}`, 200), &got)
		if got.Changed {
			t.Errorf("second unknown inbound purge: got %+v, want nothing", got)
		}
		if got := e.auditActions(t, ""); len(got) == 0 || !strings.Contains(strings.Join(got, ","), "inbound.unknown_purged by alice") {
			t.Errorf("audit: got %q, want inbound.unknown_purged by alice", got)
		}
	})
}
