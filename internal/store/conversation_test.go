package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestConversations(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		clock := &manualClock{now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.Now)
		c := panel.NewCampaign()
		c.Name, c.InvitationText = "Samtale", "Svar JA"
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportRecipients(ctx, c.ID, []panel.RecipientInput{{Row: 2, Phone: "+4791000001"}, {Row: 3, Phone: "+4791000002"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Enqueue(ctx, []*panel.OutboundMessage{{CampaignID: c.ID, RecipientID: 1, Kind: panel.KindInvitation, Body: "Svar JA", DedupKey: "i/1"}}); err != nil {
			t.Fatal(err)
		}
		claimed, err := s.Claim(ctx, "test", clock.now, 1, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("Claim: %d, %v", len(claimed), err)
		}
		if _, err := s.MarkSentBatch(ctx, "test", []panel.SentResult{{ID: claimed[0].ID, ProviderID: "SM1", Status: "queued"}}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		if _, err := newInbox(t, s, clock.Now).Handle(ctx, panel.InboundSMS{ProviderID: "SMa", From: "+4791000001", To: "+4759440000", Body: "Hva er dette?", ReceivedAt: clock.now}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		if _, err := s.Enqueue(ctx, []*panel.OutboundMessage{{CampaignID: c.ID, RecipientID: 1, Kind: panel.KindDialogue, Body: "Et panel.", DedupKey: "d/1"}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Conversations(ctx, []int64{1, 2}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[1]) != 4 {
			t.Fatalf("got %v, want four messages of recipient 1 and none of 2", got)
		}
		want := []string{"out Svar JA", "in Hva er dette?", "out " + got[1][2].Body, "out Et panel."}
		if got[1][2].Kind != "reply" || got[1][2].Body == "" {
			t.Errorf("message 3: got %+v, want the service's answer", got[1][2])
		}
		for i, e := range got[1] {
			dir := "out"
			if e.Inbound {
				dir = "in"
			}
			if dir+" "+e.Body != want[i] {
				t.Errorf("message %d: got %s %q, want %s", i, dir, e.Body, want[i])
			}
		}
		last, _ := s.Conversations(ctx, []int64{1}, 2)
		if len(last[1]) != 2 || last[1][1].Body != "Et panel." {
			t.Errorf("the last two: got %+v", last[1])
		}
	})
}

// newInbox builds the inbox service on s with the real reminder scheduler
// and draw service behind it, as serve does.
func newInbox(t testing.TB, s *store.Store, now func() time.Time) *inbox.Service {
	t.Helper()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	sched, err := reminder.New(s, reminder.Config{Location: oslo, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	draws, err := draw.New(s, draw.Config{Location: oslo, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	in, err := inbox.New(s, sched, draws, inbox.Config{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return in
}
