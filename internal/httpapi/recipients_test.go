package httpapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// lookupAnswer is the answer of the recipient searches and lists.
type lookupAnswer struct {
	Recipients []panel.RecipientDetail  `json:"recipients"`
	Total      int                      `json:"total"`
	Phone      string                   `json:"phone"`
	Unmatched  []panel.RecipientMessage `json:"unmatched"`
}

// TestFindingAPerson: an organiser who gets a call finds the person by
// their number in any common format, in one campaign or all, with every
// message both ways and its state, and the failed numbers with Twilio's
// reason; an auditor gets 403 and never a number.
func TestFindingAPerson(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := newReplyEnv(t, st, 3, "")
		ctx := t.Context()
		id := e.campaign.ID
		if got := e.sms(invitee(1), "Ja"); got == "" {
			t.Fatal("the yes got no reply")
		}
		// The invitation to recipient 3 is resent and Twilio refuses it.
		if _, err := st.Enqueue(ctx, []*panel.OutboundMessage{{CampaignID: id, RecipientID: 3, Kind: panel.KindInvitation,
			Body: "Hei igjen", DedupKey: "resend/3"}}); err != nil {
			t.Fatal(err)
		}
		claimed, err := st.Claim(ctx, "test", time.Now().Add(time.Hour), 10, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("Claim: got %d, %v, want 1", len(claimed), err)
		}
		if err := st.Fail(ctx, claimed[0].ID, "test", 21211, "Invalid 'To' Phone Number"); err != nil {
			t.Fatal(err)
		}
		// The same person is in a second campaign.
		other := panel.NewCampaign()
		other.Name, other.InvitationText = "Bergen 2026", "Hei! Svar JA."
		if err := st.CreateCampaign(ctx, other); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportRecipients(ctx, other.ID, []panel.RecipientInput{{Row: 2, Phone: invitee(1)}}); err != nil {
			t.Fatal(err)
		}

		number := string(invitee(1)) // +4790000001
		national := number[3:6] + " " + number[6:8] + " " + number[8:]
		for _, format := range []string{national, "+47 " + national, "0047" + number[3:], "+47-" + number[3:]} {
			var got lookupAnswer
			decodeAnswer(t, e.api("GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients?phone=%s", id, url.QueryEscape(format)), e.org, ""), &got)
			if got.Total != 1 || len(got.Recipients) != 1 || got.Phone != number {
				t.Fatalf("search %q: got %+v, want recipient 1 found as %s", format, got, number)
			}
			r := got.Recipients[0]
			if r.ID != 1 || r.State != panel.RecipientVolunteered || r.Volunteer == "" || string(r.Phone) != number || r.CampaignName != "Trondheim 2026" {
				t.Errorf("search %q: got %+v, want recipient 1, volunteered, with a volunteer state and the number", format, r)
			}
			var dirs []string
			for _, m := range r.Messages {
				dirs = append(dirs, m.Direction+":"+m.Kind+":"+m.State)
			}
			if want := "out:invitation:sent in::handled out:reply:sent"; strings.Join(dirs, " ") != want {
				t.Errorf("search %q: messages got %q, want %q", format, strings.Join(dirs, " "), want)
			}
			if len(r.Messages) == 3 && (r.Messages[1].Body != "Ja" || r.Messages[2].InReplyTo != r.Messages[1].ID || r.Messages[2].Body == "") {
				t.Errorf("search %q: got %+v, want the inbound Ja and the reply to it", format, r.Messages)
			}
		}

		var all lookupAnswer
		decodeAnswer(t, e.api("GET", "/api/v1/recipients?phone="+url.QueryEscape(national), e.org, ""), &all)
		if all.Total != 2 || all.Recipients[0].CampaignID != id || all.Recipients[1].CampaignID != other.ID ||
			all.Recipients[1].State != panel.RecipientPending || len(all.Recipients[1].Messages) != 0 {
			t.Errorf("search in every campaign: got %+v, want recipient 1 here and a pending one in %d", all, other.ID)
		}
		// Someone no campaign invited writes in; the search of every
		// campaign shows the message.
		e.sms(invitee(50), "Hvem er dere?")
		var stranger lookupAnswer
		decodeAnswer(t, e.api("GET", "/api/v1/recipients?phone="+url.QueryEscape(string(invitee(50))), e.org, ""), &stranger)
		if stranger.Total != 0 || len(stranger.Unmatched) != 1 || stranger.Unmatched[0].Body != "Hvem er dere?" || stranger.Unmatched[0].Direction != panel.DirectionIn {
			t.Errorf("a number in no campaign: got %+v, want no recipient and its one SMS unmatched", stranger)
		}
		if len(all.Unmatched) != 0 {
			t.Errorf("a recipient's number: got unmatched %+v, want none", all.Unmatched)
		}
		var none lookupAnswer
		decodeAnswer(t, e.api("GET", "/api/v1/recipients?phone=41234567", e.org, ""), &none)
		if none.Total != 0 || none.Recipients == nil {
			t.Errorf("unknown number: got %+v, want an empty list", none)
		}

		var one panel.RecipientDetail
		decodeAnswer(t, e.api("GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients/3", id), e.org, ""), &one)
		if one.State != panel.RecipientUnreachable || len(one.Messages) != 2 || one.Messages[1].ErrorCode != 21211 ||
			one.Messages[1].State != panel.MessageFailed || one.Messages[1].Error != "Invalid 'To' Phone Number" {
			t.Errorf("recipient 3: got %+v, want unreachable with the failed resend and Twilio's 21211", one)
		}

		var list struct {
			lookupAnswer
			Limit int `json:"limit"`
		}
		decodeAnswer(t, e.api("GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients?state=invited&limit=5", id), e.org, ""), &list)
		if list.Total != 1 || len(list.Recipients) != 1 || list.Recipients[0].ID != 2 || list.Limit != 5 {
			t.Errorf("list of invited: got %+v, want recipient 2 only", list)
		}

		var failed struct {
			Failed []failedNumber `json:"failed"`
			Total  int            `json:"total"`
		}
		decodeAnswer(t, e.api("GET", fmt.Sprintf("/api/v1/campaigns/%d/failed", id), e.org, ""), &failed)
		if failed.Total != 1 || failed.Failed[0].Phone != invitee(3) || failed.Failed[0].ErrorCode != 21211 ||
			failed.Failed[0].Error != "Invalid 'To' Phone Number" || failed.Failed[0].State != panel.RecipientUnreachable {
			t.Errorf("failed numbers: got %+v, want %s with 21211", failed, invitee(3))
		}

		for _, path := range []string{
			fmt.Sprintf("/api/v1/campaigns/%d/recipients?phone=%s", id, url.QueryEscape(national)),
			fmt.Sprintf("/api/v1/campaigns/%d/recipients", id),
			"/api/v1/recipients?phone=" + url.QueryEscape(national),
			fmt.Sprintf("/api/v1/campaigns/%d/recipients/1", id),
			fmt.Sprintf("/api/v1/campaigns/%d/failed", id),
		} {
			r := e.api("GET", path, e.aud, "")
			if r.status != 403 || strings.Contains(string(r.body), number[3:]) || strings.Contains(string(r.body), string(invitee(3))[3:]) {
				t.Errorf("auditor GET %s: got %d %s, want 403 without a number", path, r.status, r.body)
			}
		}

		for _, tt := range []struct{ path, want string }{
			{"/api/v1/recipients", "query parameter phone is required"},
			{"/api/v1/recipients?phone=abc", "query parameter phone is not a phone number"},
			{fmt.Sprintf("/api/v1/campaigns/%d/recipients?state=lost", id), "query parameter state must be one of"},
			{fmt.Sprintf("/api/v1/campaigns/%d/recipients?name=x", id), `unknown query parameter "name"`},
		} {
			r := e.api("GET", tt.path, e.org, "")
			if r.status != 422 && r.status != 400 {
				t.Errorf("GET %s: got %d %s, want a 4xx", tt.path, r.status, r.body)
				continue
			}
			if m := r.errorBody(t).Message; !strings.Contains(m, tt.want) {
				t.Errorf("GET %s: message %q, want it to contain %q", tt.path, m, tt.want)
			}
		}
		for _, path := range []string{fmt.Sprintf("/api/v1/campaigns/%d/recipients/%d", id, 99), fmt.Sprintf("/api/v1/campaigns/%d/recipients/1", other.ID), "/api/v1/campaigns/999/failed"} {
			if r := e.api("GET", path, e.org, ""); r.status != 404 {
				t.Errorf("GET %s: got %d %s, want 404", path, r.status, r.body)
			}
		}
	})
}
