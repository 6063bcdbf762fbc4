package store_test

import (
	"context"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestUpdateDraftCampaign(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		mk := func(name string) *panel.Campaign {
			c := panel.NewCampaign()
			c.Name, c.InvitationText = name, "Svar JA"
			if err := s.CreateCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		a, b := mk("Bodø"), mk("Harstad")
		a.Name, a.InvitationText, a.ReplyBy, a.SendRate = "Bodø 2027", "Svar {keyword} innen {deadline}", "2027-01-10", 5
		if err := s.UpdateDraftCampaign(ctx, a); err != nil {
			t.Fatalf("UpdateDraftCampaign: %v", err)
		}
		got, err := s.FindCampaignByID(ctx, a.ID)
		if err != nil || got.Name != "Bodø 2027" || got.ReplyBy != "2027-01-10" || got.SendRate != 5 || got.InvitationText != a.InvitationText {
			t.Errorf("after the edit: got %+v, %v", got, err)
		}
		a.Name = "Harstad"
		if err := s.UpdateDraftCampaign(ctx, a); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Errorf("rename to a taken name: got %v, want conflict", err)
		}
		a.Name, a.SendRate = "Bodø", 0
		if err := s.UpdateDraftCampaign(ctx, a); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("send rate 0: got %v, want invalid", err)
		}
		if _, err := s.StartSending(ctx, b.ID, "Svar JA"); err != nil {
			t.Fatal(err)
		}
		b.InvitationText = "Ny tekst JA"
		if err := s.UpdateDraftCampaign(ctx, b); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Errorf("edit a sending campaign: got %v, want conflict", err)
		}
		missing := *b
		missing.ID = 999
		if err := s.UpdateDraftCampaign(ctx, &missing); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("edit an unknown campaign: got %v, want not_found", err)
		}
		events, _ := s.ListAuditEvents(ctx, panel.AuditFilter{Subject: "campaign/1"})
		if n := len(events); n != 2 || events[1].Action != "campaign.updated" {
			t.Errorf("audit of campaign 1: %d events, want created and one update", n)
		}
	})
}
