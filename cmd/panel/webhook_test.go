package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// publicURL is the address the webhook tests pretend Twilio calls (a
// proxy in front of the service); signatures are made for it.
const publicURL = "https://panel.example.org"

// inviteRecipients creates a campaign named name in st with n recipients
// numbered from first, whose invitations were sent, as the sender leaves
// them; it returns their numbers. The database must have had firstID-1
// recipients before (ids are given in import order).
func inviteRecipients(t testing.TB, st *store.Store, name string, first int, firstID int64, n int) (int64, []string) {
	t.Helper()
	ctx := context.Background()
	c := panel.NewCampaign()
	c.Name, c.InvitationText = name, "Hei! Vil du være med i innbyggerpanelet? Svar JA eller NEI."
	if err := st.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	rows := make([]panel.RecipientInput, n)
	phones := make([]string, n)
	msgs := make([]*panel.OutboundMessage, n)
	for i := range rows {
		phones[i] = fmt.Sprintf("+479%07d", first+i)
		rows[i] = panel.RecipientInput{Row: i + 2, Phone: panel.Phone(phones[i]), Attributes: map[string]string{
			"birth_year": fmt.Sprint(1950 + i%50), "gender": []string{"kvinne", "mann"}[i%2]}}
		id := firstID + int64(i)
		// Due in half an hour: a running service's sender leaves them to
		// the Claim below, which looks an hour ahead.
		msgs[i] = &panel.OutboundMessage{CampaignID: c.ID, RecipientID: id, Kind: panel.KindInvitation,
			Body: c.InvitationText, DedupKey: fmt.Sprintf("invitation/%d/%d", c.ID, id),
			NextAttemptAt: time.Now().Add(30 * time.Minute)}
	}
	if _, err := st.ImportRecipients(ctx, c.ID, rows); err != nil {
		t.Fatalf("ImportRecipients: %v", err)
	}
	if r, err := st.FindRecipient(ctx, firstID); err != nil || string(r.Phone) != phones[0] {
		t.Fatalf("recipient %d: got %v, %v; want the first imported", firstID, r, err)
	}
	if _, err := st.Enqueue(ctx, msgs); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	claimed, err := st.Claim(ctx, "setup", time.Now().Add(time.Hour), n, time.Hour)
	if err != nil || len(claimed) != n {
		t.Fatalf("Claim: got %d, %v; want %d", len(claimed), err, n)
	}
	results := make([]panel.SentResult, n)
	for i, m := range claimed {
		results[i] = panel.SentResult{ID: m.ID, ProviderID: fmt.Sprintf("SMinv%d", m.ID), Status: "queued"}
	}
	if lost, err := st.MarkSentBatch(ctx, "setup", results); err != nil || len(lost) > 0 {
		t.Fatalf("MarkSentBatch: lost %v, %v", lost, err)
	}
	return c.ID, phones
}

// openStore opens and migrates the database at dbURL for the test.
func openStore(t testing.TB, dbURL string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return st
}

// signedPost posts form to base+path signed with token for publicURL+path.
func signedPost(c *http.Client, base, path, token string, form url.Values) (int, string, error) {
	sig := faketwilio.New(faketwilio.Options{AuthToken: token}).Sign(publicURL+path, form)
	return postForm(c, base+path, form, sig)
}

func postForm(c *http.Client, target string, form url.Values, sig string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	if sig != "" {
		req.Header.Set("X-Twilio-Signature", sig)
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// TestServeWebhooks checks the wiring of "panel serve": signatures are
// checked with TWILIO_AUTH_TOKEN against PANEL_PUBLIC_URL, and without a
// token every webhook call is refused.
func TestServeWebhooks(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			const token = "0123456789abcdef0123456789abcdef"
			_, phones := inviteRecipients(t, openStore(t, db.URL), "Webhooks", 1, 1, 2)
			env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0",
				"PANEL_PUBLIC_URL": publicURL, "TWILIO_AUTH_TOKEN": token}
			svc := startServe(t, env)
			form := url.Values{"MessageSid": {"SMe2e1"}, "From": {phones[0]}, "To": {"+4759440000"}, "Body": {"Ja takk"}}
			if status, body, err := signedPost(client, svc.url, "/webhooks/twilio/sms", token, form); err != nil || status != 200 ||
				!strings.Contains(body, "<Message>Så fint at du vil være med!") {
				t.Errorf("signed yes: got %d %q, %v; want the welcome in TwiML", status, body, err)
			}
			form.Set("MessageSid", "SMe2e2")
			if status, _, err := signedPost(client, svc.url, "/webhooks/twilio/sms", "wrongtoken", form); err != nil || status != 403 {
				t.Errorf("wrong token: got %d, %v; want 403", status, err)
			}
			st := url.Values{"MessageSid": {"SMinv1"}, "MessageStatus": {"delivered"}}
			if status, _, err := signedPost(client, svc.url, "/webhooks/twilio/status", token, st); err != nil || status != 204 {
				t.Errorf("status callback: got %d, %v; want 204", status, err)
			}
			if r := call(t, "GET", svc.url+"/metrics", "", ""); !strings.Contains(string(r.body), `panel_sms_status_callbacks_total{status="delivered"} 1`) {
				t.Errorf("metrics: want panel_sms_status_callbacks_total{status=\"delivered\"} 1")
			}
			if err := svc.stop(t); err != nil {
				t.Fatalf("serve: %v", err)
			}

			// No token: refused, however it is signed.
			delete(env, "TWILIO_AUTH_TOKEN")
			svc = startServe(t, env)
			form.Set("MessageSid", "SMe2e3")
			for _, key := range []string{token, ""} {
				if status, _, err := signedPost(client, svc.url, "/webhooks/twilio/sms", key, form); err != nil || status != 403 {
					t.Errorf("no TWILIO_AUTH_TOKEN, signed with %q: got %d, %v; want 403", key, status, err)
				}
			}
			for _, want := range []string{"TWILIO_AUTH_TOKEN is not set: every Twilio webhook will be refused", "To try replies locally, run `panel simulate`"} {
				if n := strings.Count(svc.logs.String(), want); n != 1 {
					t.Errorf("serve logs: got %d lines with %q, want 1 (webhooks refused, and how to test replies locally)", n, want)
				}
			}
		})
	}
}
