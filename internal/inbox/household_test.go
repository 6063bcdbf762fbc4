package inbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/sortition"
)

// TestHouseholdRuleForSMSVolunteers: the address columns of the recipients
// import reach the draw for volunteers recruited by SMS, so two of them
// sharing "Tiller ringvei 71" are one household, never both on the panel,
// and the published record verifies; a draw naming a column that no
// volunteer has is refused rather than recorded as a rule it did not
// apply.
func TestHouseholdRuleForSMSVolunteers(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		addresses := []string{"Tiller ringvei 71", " tiller RINGVEI 71", "Munkegata 1", "Olav Tryggvasons gate 5", "Kongens gate 9", "Elgeseter gate 3"}
		e := setupWith(t, s, len(addresses), func(i int) map[string]string {
			return map[string]string{"birth_year": "1980", "gender": []string{"kvinne", "mann"}[i%2],
				"district": "Heimdal", "address": addresses[i]}
		})
		for i := range addresses {
			for _, body := range []string{"ja", "4", "ja"} {
				e.send(phone(i+1), body)
			}
		}
		pair := map[string]bool{e.recipient(phone(1)).PseudoID: true, e.recipient(phone(2)).PseudoID: true}
		ds := newDrawService(t, s)
		qs := []panel.Quota{{Category: "gender", Value: "kvinne", Min: 0, Max: 5}, {Category: "gender", Value: "mann", Min: 0, Max: 5}}
		if _, err := ds.SetQuotas(e.ctx, e.campaign.ID, qs, 5); err != nil {
			t.Fatalf("SetQuotas: %v", err)
		}

		// A column no volunteer has is refused, naming it. (A header
		// the import reads as address, such as "Adresse", names address.)
		_, err := ds.CreateDraw(e.ctx, e.campaign.ID, draw.Request{Seats: 5, Algorithm: sortition.AlgorithmLegacy, AddressColumns: []string{"postnummer"}})
		if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), `"postnummer"`) {
			t.Fatalf("draw with an unknown address column: got %v, want EINVALID naming it", err)
		}

		d, err := ds.CreateDraw(e.ctx, e.campaign.ID, draw.Request{Seats: 5, Algorithm: sortition.AlgorithmLegacy, AddressColumns: []string{"Address"}})
		if err != nil {
			t.Fatalf("CreateDraw: %v", err)
		}
		waitCommitted(t, ds, d.ID)
		raw, err := ds.Seed(e.ctx, d.ID, "20261206")
		if err != nil {
			t.Fatalf("Seed: %v", err)
		}
		var rec sortition.Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatal(err)
		}
		households := map[string]string{}
		for _, p := range rec.Pool {
			households[p.ID] = p.Household
		}
		var keys []string
		for id := range pair {
			keys = append(keys, households[id])
		}
		if keys[0] == "" || keys[0] != keys[1] {
			t.Errorf("record households of the pair: got %q, want one shared key", keys)
		}
		onPanel := 0
		for _, id := range rec.Selected {
			if pair[id] {
				onPanel++
			}
		}
		if onPanel != 1 || len(rec.Selected) != 5 {
			t.Errorf("got %d of the household on a panel of %d, want exactly 1 of 5", onPanel, len(rec.Selected))
		}
		rep, err := sortition.Verify(context.Background(), &rec, sortition.VerifyOptions{})
		if err != nil || !rep.Verified() {
			t.Errorf("verify: %v, %+v", err, rep)
		}
		if fmt.Sprint(rec.HouseholdColumns) != "[Address]" {
			t.Errorf("record household_columns %v, want [Address]", rec.HouseholdColumns)
		}
	})
}

// newDrawService returns a draw service on s at t0.
func newDrawService(t *testing.T, s *store.Store) *draw.Service {
	t.Helper()
	ds, err := draw.New(s, draw.Config{Now: func() time.Time { return t0 }, Location: time.UTC, InlineWait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// waitCommitted waits until draw id has its commitment.
func waitCommitted(t *testing.T, ds *draw.Service, id int64) {
	t.Helper()
	for range 300 {
		d, err := ds.Find(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		switch d.State {
		case panel.DrawCommitted:
			return
		case panel.DrawFailed:
			t.Fatalf("draw %d failed", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("draw %d not committed in 30 s", id)
}
