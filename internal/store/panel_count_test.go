package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestPanelCounts(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		c := panel.NewCampaign()
		c.Name, c.InvitationText = "Telling", "Svar JA"
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, err := s.PanelCounts(ctx, c.ID); err != nil || got != nil {
			t.Fatalf("before a draw: got %v, %v; want nil", got, err)
		}
		var rows []panel.VolunteerInput
		for i, g := range []string{"kvinne", "kvinne", "mann", "mann"} {
			rows = append(rows, panel.VolunteerInput{Row: i + 2, ExternalID: string(rune('a' + i)), Values: map[string]string{"gender": g}})
		}
		if _, _, err := s.ImportVolunteers(ctx, c.ID, rows, false); err != nil {
			t.Fatal(err)
		}
		d := &panel.Draw{CampaignID: c.ID, Params: panel.DrawParams{Seats: 2, Reserves: 1, Algorithm: "legacy"}, Snapshot: []byte("{}")}
		if err := s.CreateDraw(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClaimCommitting(ctx, "w", time.Now(), time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishCommit(ctx, d.ID, "w", []byte("{}"), "commitment"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.PanelCounts(ctx, c.ID); got != nil {
			t.Errorf("before the seed: got %v, want nil", got)
		}
		members := []panel.SeedMember{{PseudoID: "a", Role: panel.RoleSelected, Rank: 1}, {PseudoID: "c", Role: panel.RoleSelected, Rank: 2}, {PseudoID: "b", Role: panel.RoleReserve, Rank: 1}}
		if err := s.SeedDraw(ctx, d.ID, "seed", []byte("{}"), members, map[string]any{"seed": "seed"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.PanelCounts(ctx, c.ID)
		if err != nil || got["gender"]["kvinne"] != 1 || got["gender"]["mann"] != 1 || len(got["gender"]) != 2 {
			t.Errorf("after the seed: got %v, %v; want one woman and one man (the reserve not counted)", got, err)
		}
	})
}
