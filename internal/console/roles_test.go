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

// withInboxMessage makes a campaign with invited recipients, one of whom
// wrote something the service could not read, which waits in the inbox.
func withInboxMessage(t *testing.T, e *env) (*panel.Campaign, *panel.InboundMessage) {
	t.Helper()
	ctx := e.ctx
	camp := &panel.Campaign{Name: "Tromsø", InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
	if err := e.store.CreateCampaign(ctx, camp); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ImportRecipients(ctx, camp.ID, []panel.RecipientInput{
		{Row: 2, Phone: "+4791000001", Attributes: map[string]string{"gender": "kvinne"}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Enqueue(ctx, []*panel.OutboundMessage{{CampaignID: camp.ID, RecipientID: 1, Kind: panel.KindInvitation, Body: "Svar JA", DedupKey: "inv/1"}}); err != nil {
		t.Fatal(err)
	}
	claimed, err := e.store.Claim(ctx, "test", e.clock.Now().Add(time.Hour), 1, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("Claim: %d, %v", len(claimed), err)
	}
	if _, err := e.store.MarkSentBatch(ctx, "test", []panel.SentResult{{ID: claimed[0].ID, ProviderID: "SM1", Status: "queued"}}); err != nil {
		t.Fatal(err)
	}
	in := newInbox(t, e.store, e.clock.Now)
	// A message the service cannot read goes to the inbox (and gets a
	// reminder of the choices).
	for i, body := range []string{"Hvem er dere egentlig?"} {
		if _, err := in.Handle(ctx, panel.InboundSMS{ProviderID: fmt.Sprintf("SMin%d", i), From: "+4791000001", To: "+4759440000", Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _, err := in.Inbox(ctx, camp.ID, panel.InboxFilter{State: panel.InboxOpen})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("inbox: got %d messages, %v; want 1", len(msgs), err)
	}
	return camp, msgs[0]
}

func TestRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	camp, msg := withInboxMessage(t, e)
	id := fmt.Sprint(camp.ID)
	pages := []string{"/campaigns", "/campaigns/" + id, "/campaigns/" + id + "/progress", "/inbox", "/audit"}
	organiserOnly := []string{"/campaigns/new", "/campaigns/" + id + "/recipients"}
	posts := []string{"/campaigns/new", "/campaigns/" + id + "/send", "/campaigns/" + id + "/pause", fmt.Sprintf("/inbox/%d/resolve", msg.ID)}

	auditor := e.browser("")
	auditor.signIn("revi")
	for _, p := range pages {
		got := auditor.get(p)
		if got.status != http.StatusOK {
			t.Errorf("auditor GET %s: got %d, want 200", p, got.status)
		}
		if strings.Contains(got.body, "+4791000001") || strings.Contains(got.body, "Hvem er dere") {
			t.Errorf("auditor GET %s shows a phone number or a message body", p)
		}
		if strings.Contains(got.body, `action="/campaigns/`+id+`/send"`) || strings.Contains(got.body, "/resolve") {
			t.Errorf("auditor GET %s offers an action", p)
		}
	}
	for _, p := range organiserOnly {
		if got := auditor.get(p); got.status != http.StatusForbidden {
			t.Errorf("auditor GET %s: got %d, want 403", p, got.status)
		}
	}
	for _, p := range posts {
		if got := auditor.post(p, url.Values{"nonce": {"x"}, "campaign": {id}}); got.status != http.StatusForbidden {
			t.Errorf("auditor POST %s: got %d, want 403", p, got.status)
		}
	}

	caller := e.browser("")
	caller.signIn("ringer")
	for _, p := range append(pages, organiserOnly...) {
		if got := caller.get(p); got.status != http.StatusForbidden {
			t.Errorf("caller GET %s: got %d, want 403", p, got.status)
		}
	}
	if got := caller.post(posts[1], url.Values{"nonce": {"x"}}); got.status != http.StatusForbidden {
		t.Errorf("caller POST send: got %d, want 403", got.status)
	}
	if n, _ := e.store.CountMessagesByState(e.ctx, camp.ID, panel.KindInvitation); n[panel.MessageSent] != 1 {
		t.Errorf("the refused posts changed the outbox: %v", n)
	}
}

func TestInboxReplyAndResolve(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, false)
		camp, msg := withInboxMessage(t, e)
		b := e.browser("")
		b.signIn("kari")
		page := b.get(fmt.Sprintf("/inbox?campaign=%d", camp.ID))
		for _, want := range []string{"Hvem er dere egentlig?", "Svar JA"} {
			if !strings.Contains(page.body, want) {
				t.Fatalf("organiser's inbox lacks %q of the conversation\n%s", want, page.body)
			}
		}
		nonce := formValue(t, page.body, "nonce")
		reply := url.Values{"campaign": {fmt.Sprint(camp.ID)}, "nonce": {nonce}, "body": {"Vi er kommunen. Ring oss gjerne."}}
		for i, want := range []string{"notice=replied", "notice=repeated"} {
			p := b.post(fmt.Sprintf("/inbox/%d/reply", msg.ID), reply)
			if p.status != http.StatusSeeOther || !strings.Contains(p.location, want) {
				t.Errorf("reply %d: got %d to %q, want %s", i+1, p.status, p.location, want)
			}
		}
		n, err := s.CountMessagesByState(e.ctx, camp.ID, panel.KindDialogue)
		if err != nil || n[panel.MessageQueued] != 1 {
			t.Errorf("dialogue messages queued: got %v (%v), want exactly 1", n, err)
		}
		empty := url.Values{"campaign": {fmt.Sprint(camp.ID)}, "nonce": {"n2"}, "body": {"  "}}
		if p := b.post(fmt.Sprintf("/inbox/%d/reply", msg.ID), empty); p.status != http.StatusUnprocessableEntity {
			t.Errorf("empty reply: got %d, want 422", p.status)
		}
		p := b.post(fmt.Sprintf("/inbox/%d/resolve", msg.ID), url.Values{"campaign": {fmt.Sprint(camp.ID)}, "resolution": {"Svarte på SMS"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("resolve: got %d\n%s", p.status, p.body)
		}
		again := b.post(fmt.Sprintf("/inbox/%d/resolve", msg.ID), url.Values{"campaign": {fmt.Sprint(camp.ID)}, "resolution": {"Svarte på SMS"}})
		if again.status != http.StatusSeeOther || !strings.Contains(again.location, "notice=repeated") {
			t.Errorf("resolve again: got %d to %q, want a redirect saying it was done once", again.status, again.location)
		}
		if open := b.get(fmt.Sprintf("/inbox?campaign=%d", camp.ID)); strings.Contains(open.body, "Hvem er dere egentlig?") {
			t.Errorf("resolved message still listed as open")
		}
		if done := b.get(fmt.Sprintf("/inbox?campaign=%d&state=resolved", camp.ID)); !strings.Contains(done.body, "Svarte på SMS") {
			t.Errorf("resolved list lacks the note")
		}
	})
}

func TestAuditPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	withInboxMessage(t, e)
	b := e.browser("en")
	b.signIn("revi")
	p := b.get("/audit")
	if !strings.Contains(p.body, "The chain is verified") || !strings.Contains(p.body, "user.signed_in") || !strings.Contains(p.body, "campaign.created") {
		t.Errorf("audit page lacks the verification or events\n%s", p.body)
	}
	p = b.get("/audit?action=user.")
	if strings.Contains(p.body, "campaign.created") || !strings.Contains(p.body, "user.signed_in") {
		t.Errorf("audit filtered by action user.: wrong events")
	}
}
