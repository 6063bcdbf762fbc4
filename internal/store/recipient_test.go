package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// testPhone returns a distinct valid Norwegian mobile number for i.
func testPhone(i int) panel.Phone { return panel.Phone(fmt.Sprintf("+479%07d", i)) }

// recipientRows returns n import rows numbered from row 2 (after a header).
func recipientRows(n int) []panel.RecipientInput {
	rows := make([]panel.RecipientInput, n)
	for i := range rows {
		rows[i] = panel.RecipientInput{
			Row:        i + 2,
			Phone:      testPhone(i),
			Attributes: map[string]string{"gender": []string{"kvinne", "mann"}[i%2], "age": fmt.Sprint(18 + i%70)},
		}
	}
	return rows
}

// newCampaign stores a campaign and fails t if it cannot.
func newCampaign(t testing.TB, s *store.Store, name string) *panel.Campaign {
	t.Helper()
	c := validCampaign(name)
	if err := s.CreateCampaign(context.Background(), c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	return c
}

func TestImportRecipients(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newCampaign(t, s, "import")
		n, err := s.ImportRecipients(ctx, c.ID, recipientRows(4000))
		if err != nil {
			t.Fatalf("ImportRecipients: %v", err)
		}
		if n != 4000 {
			t.Fatalf("got %d imported, want 4000", n)
		}
		counts, err := s.CountRecipientsByState(ctx, c.ID)
		if err != nil {
			t.Fatalf("CountRecipientsByState: %v", err)
		}
		if len(counts) != 1 || counts[panel.RecipientPending] != 4000 {
			t.Errorf("got counts %v, want pending 4000 only", counts)
		}
		// A fresh database numbers recipients from 1 in import order.
		r, err := s.FindRecipient(ctx, 1)
		if err != nil {
			t.Fatalf("FindRecipient: %v", err)
		}
		if r.Phone != testPhone(0) || r.Attributes["gender"] != "kvinne" || r.Attributes["age"] != "18" ||
			r.State != panel.RecipientPending || r.CampaignID != c.ID {
			t.Errorf("got %+v, want the first row's number, attributes gender=kvinne age=18, pending", r)
		}
		if len(r.PseudoID) != 17 || r.PseudoID[0] != 'r' {
			t.Errorf("got pseudonym %q, want r and 16 characters", r.PseudoID)
		}
		if _, err := s.FindRecipient(ctx, 1<<40); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND for an unknown recipient", err)
		}
	})
}

func TestImportRecipientsRejects(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newCampaign(t, s, "rejects")
		if _, err := s.ImportRecipients(ctx, c.ID, recipientRows(3)); err != nil {
			t.Fatalf("first import: %v", err)
		}
		tests := []struct {
			name     string
			campaign int64
			rows     []panel.RecipientInput
			wantCode string
			wantRows []panel.RowError
		}{
			{
				name:     "duplicate inside the file",
				campaign: c.ID,
				rows:     []panel.RecipientInput{{Row: 2, Phone: testPhone(10)}, {Row: 3, Phone: testPhone(11)}, {Row: 4, Phone: testPhone(10)}},
				wantCode: panel.ECONFLICT,
				wantRows: []panel.RowError{{Row: 4, Error: "phone number repeats row 2"}},
			},
			{
				name:     "already imported",
				campaign: c.ID,
				rows:     []panel.RecipientInput{{Row: 2, Phone: testPhone(20)}, {Row: 3, Phone: testPhone(1)}},
				wantCode: panel.ECONFLICT,
				wantRows: []panel.RowError{{Row: 3, Error: "phone number is already imported in this campaign"}},
			},
			{
				name:     "not E.164 and empty",
				campaign: c.ID,
				rows:     []panel.RecipientInput{{Row: 2, Phone: "91234567"}, {Row: 3, Phone: testPhone(30)}, {Row: 4}},
				wantCode: panel.EINVALID,
				wantRows: []panel.RowError{
					{Row: 2, Error: "phone is not in E.164 form (+ and country code)"},
					{Row: 4, Error: "phone is required"},
				},
			},
			{
				name:     "unknown campaign",
				campaign: 1 << 40,
				rows:     []panel.RecipientInput{{Row: 2, Phone: testPhone(40)}},
				wantCode: panel.ENOTFOUND,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := s.ImportRecipients(ctx, tt.campaign, tt.rows)
				if code := panel.ErrorCode(err); code != tt.wantCode || n != 0 {
					t.Fatalf("got %d, code %q (%v), want 0, %q", n, code, err, tt.wantCode)
				}
				var ie *panel.ImportError
				if tt.wantRows != nil {
					if !errors.As(err, &ie) {
						t.Fatalf("got %T, want *panel.ImportError", err)
					}
					if fmt.Sprint(ie.Rejected) != fmt.Sprint(tt.wantRows) {
						t.Errorf("got rejected %v, want %v", ie.Rejected, tt.wantRows)
					}
				}
				counts, err := s.CountRecipientsByState(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if counts[panel.RecipientPending] != 3 {
					t.Errorf("got %d recipients stored, want still 3", counts[panel.RecipientPending])
				}
			})
		}
	})
}

func TestImport10000Recipients(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		c := newCampaign(t, s, "ten thousand")
		n, err := s.ImportRecipients(context.Background(), c.ID, recipientRows(10000))
		if err != nil || n != 10000 {
			t.Fatalf("got %d, %v, want 10000 imported", n, err)
		}
	})
}

// BenchmarkImportRecipients10000 measures importing 10,000 rows (one
// transaction, batched inserts) into a fresh campaign.
func BenchmarkImportRecipients10000(b *testing.B) {
	for _, db := range storetest.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := storetest.Open(b, db)
			rows := recipientRows(10000)
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				c := newCampaign(b, s, fmt.Sprintf("bench %d %d", i, time.Now().UnixNano()))
				b.StartTimer()
				if _, err := s.ImportRecipients(context.Background(), c.ID, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
