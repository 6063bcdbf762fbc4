package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/recipientcsv"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// recipientCSV is a recipient file of n rows (lines 2 to n+1) whose
// numbers start at testPhone(from); line → replaces the row on that line.
func recipientCSV(n, from int, replace map[int]string) string {
	var b strings.Builder
	b.WriteString("Mobil;Kjønn;Bydel\n")
	for i := range n {
		if r, ok := replace[i+2]; ok {
			b.WriteString(r + "\n")
			continue
		}
		fmt.Fprintf(&b, "%s;%s;Østbyen\n", strings.TrimPrefix(string(testPhone(from+i)), "+47"), []string{"kvinne", "mann"}[i%2])
	}
	return b.String()
}

// streamCSV imports text through the recipient scanner.
func streamCSV(t *testing.T, s *store.Store, campaignID int64, text string, partial bool) (panel.ImportResult, error) {
	t.Helper()
	sc, err := recipientcsv.NewScanner(strings.NewReader(text), "NO", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s.ImportRecipientStream(context.Background(), campaignID, sc, partial)
}

// TestImportRecipientStream imports 20,000 rows (four batches) on each
// database: all or nothing, partial, duplicates across batches and
// against the campaign, and the cap on listed rejections.
func TestImportRecipientStream(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newCampaign(t, s, "stream")
		pending := func() int {
			t.Helper()
			counts, err := s.CountRecipientsByState(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return counts[panel.RecipientPending]
		}

		res, err := streamCSV(t, s, c.ID, recipientCSV(20000, 0, nil), false)
		if err != nil || res.Imported != 20000 || len(res.Rejected) != 0 || res.RejectedUnlisted != 0 {
			t.Fatalf("first import: got %+v, %v; want 20000 imported", res, err)
		}
		if got := pending(); got != 20000 {
			t.Fatalf("got %d recipients, want 20000", got)
		}
		r, err := s.FindRecipient(ctx, 20000)
		if err != nil || r.Attributes["district"] != "Østbyen" || r.Attributes["gender"] != "mann" || !strings.HasPrefix(r.PseudoID, "r") {
			t.Fatalf("recipient 20000: got %+v, %v", r, err)
		}

		// A second file: numbers 20000..39999, but line 15002 repeats a
		// number the campaign has, line 19000 repeats line 3 (another
		// batch), line 20001 is not a number.
		bad := map[int]string{15002: strings.TrimPrefix(string(testPhone(7)), "+47") + ";mann;Vest",
			19000: strings.TrimPrefix(string(testPhone(20001)), "+47") + ";mann;Vest", 20001: "nummer;mann;Vest"}
		text := recipientCSV(20000, 20000, bad)
		wantRejected := []panel.RowError{
			{Row: 15002, Error: "phone number is already imported in this campaign"},
			{Row: 19000, Error: "phone number repeats row 3"},
			{Row: 20001},
		}
		_, err = streamCSV(t, s, c.ID, text, false)
		var ie *panel.ImportError
		if !errors.As(err, &ie) || panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("all or nothing: got %v, want an EINVALID *ImportError", err)
		}
		checkRejected(t, ie.Rejected, wantRejected)
		if got := pending(); got != 20000 {
			t.Fatalf("after a refused import: got %d recipients, want 20000 (nothing stored)", got)
		}

		res, err = streamCSV(t, s, c.ID, text, true)
		if err != nil || res.Imported != 19997 {
			t.Fatalf("partial: got %+v, %v; want 19997 imported", res.Imported, err)
		}
		checkRejected(t, res.Rejected, wantRejected)
		if got := pending(); got != 39997 {
			t.Fatalf("after a partial import: got %d recipients, want 39997", got)
		}

		// 3000 bad rows and one good: 1000 listed, 2000 counted, nothing stored.
		many := map[int]string{}
		for line := 2; line <= 3001; line++ {
			many[line] = ";kvinne;Nord"
		}
		_, err = streamCSV(t, s, c.ID, recipientCSV(3001, 50000, many), false)
		if !errors.As(err, &ie) || len(ie.Rejected) != panel.MaxListedRejections || ie.Unlisted != 2000 ||
			ie.Rejected[0].Row != 2 || ie.Rejected[999].Row != 1001 || !strings.Contains(ie.Error(), "3000 rows rejected") {
			t.Fatalf("many rejections: got %v (%d listed, %d unlisted)", err, len(ie.Rejected), ie.Unlisted)
		}
		if got := pending(); got != 39997 {
			t.Fatalf("after a refused import: got %d recipients, want 39997", got)
		}
	})
}

// checkRejected compares rejected rows (an empty wanted Error matches any).
func checkRejected(t *testing.T, got, want []panel.RowError) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got rejected %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Row != want[i].Row || want[i].Error != "" && got[i].Error != want[i].Error {
			t.Errorf("rejected %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
