package smssim_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/smssim"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestSenderWithSimulatorDelivers runs the real sender over the real store
// with the simulator reporting statuses into the outbox, as the service
// does by default: every status arrives before the id is stored.
func TestSenderWithSimulatorDelivers(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		const n = 500
		c := panel.NewCampaign()
		c.Name, c.InvitationText = "simulated", "Hei! Svar JA eller NEI."
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		rows := make([]panel.RecipientInput, n)
		msgs := make([]*panel.OutboundMessage, n)
		for i := range rows {
			rows[i] = panel.RecipientInput{Row: i + 2, Phone: panel.Phone(fmt.Sprintf("+479%07d", i))}
			msgs[i] = &panel.OutboundMessage{CampaignID: c.ID, RecipientID: int64(i + 1), Kind: panel.KindInvitation,
				Body: c.InvitationText, DedupKey: fmt.Sprintf("invitation/%d", i+1)}
		}
		if _, err := s.ImportRecipients(ctx, c.ID, rows); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Enqueue(ctx, msgs); err != nil {
			t.Fatal(err)
		}
		failing := panel.Phone("+4790000007")
		g := smssim.New(smssim.Config{
			Report: func(ctx context.Context, id, status string, code int) {
				if err := s.ApplyStatus(ctx, id, status, code, time.Now()); err != nil {
					t.Errorf("ApplyStatus: %v", err)
				}
			},
			Outcome: func(m panel.OutboundSMS) smssim.Outcome {
				if m.To == failing {
					return smssim.Outcome{Status: "undelivered", Code: 30003}
				}
				return smssim.Outcome{Status: "delivered"}
			},
		})
		snd, err := sender.New(s, g, sender.Config{Owner: "sim", Rate: math.Inf(1)})
		if err != nil {
			t.Fatal(err)
		}
		if err := snd.Drain(ctx); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		st, err := s.CampaignSendStats(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := (panel.SendStats{Delivered: n - 1, Undelivered: 1}); st != want {
			t.Errorf("got %+v, want %+v", st, want)
		}
		if g.Total() != n || g.CountTo(failing) != 1 {
			t.Errorf("got %d sent, %d to one number, want %d and 1", g.Total(), g.CountTo(failing), n)
		}
	})
}
