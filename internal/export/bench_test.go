package export_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// BenchmarkPoolExport writes the reference round's pool (370 volunteers
// with phone numbers and four categories) from SQLite, per format.
func BenchmarkPoolExport(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b, storetest.SQLite(b))
	c := panel.NewCampaign()
	c.Name, c.InvitationText = "Trondheim", "Vil du være med? Svar JA eller NEI."
	if err := st.CreateCampaign(ctx, c); err != nil {
		b.Fatal(err)
	}
	districts := []string{"Midtbyen", "Østbyen", "Lerkendal", "Heimdal"}
	rows := make([]panel.VolunteerInput, 370)
	for i := range rows {
		rows[i] = panel.VolunteerInput{Row: i + 2, ExternalID: fmt.Sprintf("v%04d", i+1), Phone: panel.Phone(fmt.Sprintf("+4791%06d", i+1)),
			Values: map[string]string{"gender": []string{"kvinne", "mann"}[i%2], "age": "30-44", "district": districts[i%4], "education": "videregående"}}
	}
	if _, _, err := st.ImportVolunteers(ctx, c.ID, rows, false); err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		b.Fatal(err)
	}
	x, err := export.New(st, st, loc)
	if err != nil {
		b.Fatal(err)
	}
	actor := panel.Actor{Name: "ola", Role: panel.RoleOrganiser}
	for _, format := range []string{export.CSV, export.XLSX} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := x.Write(ctx, io.Discard, c.ID, export.Pool, format, actor, export.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
