package console_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// benchRecipients is the size of the reference campaign.
const benchRecipients = 4000

// BenchmarkCampaignPage measures the server time of the console's pages
// for a campaign of 4000 invited recipients, 400 volunteers and quotas (target: the
// overview under 50 ms on PostgreSQL), and of the live progress endpoint.
func BenchmarkCampaignPage(b *testing.B) {
	for _, db := range storetest.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := storetest.Open(b, db)
			e := newEnv(b, s, false)
			camp := &panel.Campaign{Name: "Trondheim", InvitationText: "Hei! Vil du være med? Svar {keyword}.", SendRate: 10, Templates: map[string]string{}}
			if err := s.CreateCampaign(e.ctx, camp); err != nil {
				b.Fatal(err)
			}
			rows := make([]panel.RecipientInput, benchRecipients)
			for i := range rows {
				rows[i] = panel.RecipientInput{Row: i + 2, Phone: panel.Phone(fmt.Sprintf("+4790%06d", i)),
					Attributes: map[string]string{"gender": []string{"kvinne", "mann"}[i%2], "district": []string{"Midtbyen", "Heimdal", "Lerkendal", "Østbyen"}[i%4]}}
			}
			if _, err := s.ImportRecipients(e.ctx, camp.ID, rows); err != nil {
				b.Fatal(err)
			}
			// A pool of 400 complete volunteers, as a round of 4000 gets.
			vols := make([]panel.VolunteerInput, 400)
			for i := range vols {
				vols[i] = panel.VolunteerInput{Row: i + 2, ExternalID: fmt.Sprintf("v%04d", i),
					Values: map[string]string{"gender": []string{"kvinne", "mann"}[i%2], "district": []string{"Midtbyen", "Heimdal", "Lerkendal", "Østbyen"}[i%4]}}
			}
			if _, _, err := s.ImportVolunteers(e.ctx, camp.ID, vols, false); err != nil {
				b.Fatal(err)
			}
			if err := s.SetQuotas(e.ctx, camp.ID, []panel.Quota{
				{Category: "gender", Value: "kvinne", Min: 20, Max: 30}, {Category: "gender", Value: "mann", Min: 20, Max: 30},
			}); err != nil {
				b.Fatal(err)
			}
			body, err := invite.Texts{}.RenderInvitation(camp)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.StartSending(e.ctx, camp.ID, body); err != nil {
				b.Fatal(err)
			}
			br := e.browser("")
			br.signIn("kari")
			for _, page := range []struct{ name, path, want string }{
				{"overview", fmt.Sprintf("/campaigns/%d", camp.ID), "4\u00a0000 mottakere"},
				{"progress", fmt.Sprintf("/campaigns/%d/progress?rate=10", camp.ID), `"queued":4000`},
				{"list", "/campaigns", "Trondheim"},
			} {
				b.Run(page.name, func(b *testing.B) {
					if p := br.get(page.path); p.status != http.StatusOK || !strings.Contains(p.body, page.want) {
						b.Fatalf("GET %s: %d, want 200 with %q\n%.2000s", page.path, p.status, page.want, p.body)
					}
					b.ResetTimer()
					for b.Loop() {
						br.get(page.path)
					}
				})
			}
		})
	}
}
