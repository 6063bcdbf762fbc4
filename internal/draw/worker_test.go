package draw_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// newService returns a draw service on st whose lottery computations are
// stopped and waited for when the test ends, as serve does.
func newService(t *testing.T, st draw.Store, cfg draw.Config) *draw.Service {
	t.Helper()
	ds, err := draw.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// An hour between ticks: the tests tick by hand.
	go func() { done <- ds.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return ds
}

// seedPool creates a campaign with 60 imported volunteers (phones for all)
// and quotas, and returns its id.
func seedPool(t *testing.T, st *store.Store, ds *draw.Service) int64 {
	t.Helper()
	ctx := context.Background()
	c := panel.NewCampaign()
	c.Name, c.InvitationText = "Test", "Vil du være med?"
	if err := st.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id,phone,gender,age\n")
	for i := range 60 {
		fmt.Fprintf(&b, "p%02d,+4792%06d,%s,%s\n", i, i, []string{"kvinne", "mann"}[i%2], []string{"ung", "eldre"}[(i/2)%2])
	}
	if _, err := ds.ImportVolunteers(ctx, c.ID, strings.NewReader(b.String()), panel.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	qs, err := draw.ParseQuotasCSV(strings.NewReader("category,name,min,max\ngender,kvinne,4,6\ngender,mann,4,6\nage,ung,3,7\nage,eldre,3,7\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.SetQuotas(ctx, c.ID, qs, 10); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestLeaseAndDeadline: a draw left committing by a worker that died is
// taken over once its lease expires, by exactly one of two replicas; a
// selected member who does not confirm by the deadline is dropped by the
// tick and replaced.
func TestLeaseAndDeadline(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		cfg := draw.Config{Now: clock, Lease: time.Minute, InlineWait: time.Millisecond, Interval: time.Hour}
		a, b := newService(t, st, cfg), newService(t, st, cfg)
		cid := seedPool(t, st, a)

		// A dead worker claims the draw and never finishes.
		d := &panel.Draw{CampaignID: cid, Params: panel.DrawParams{Seats: 10, Reserves: 4, Algorithm: "legacy", ConfirmWithin: 3600}}
		pool, err := st.ListPool(ctx, cid)
		if err != nil {
			t.Fatal(err)
		}
		snap := `{"quotas":[{"category":"gender","value":"kvinne","min":4,"max":6},{"category":"gender","value":"mann","min":4,"max":6},{"category":"age","value":"ung","min":3,"max":7},{"category":"age","value":"eldre","min":3,"max":7}],"pool":[`
		for i, v := range pool {
			if i > 0 {
				snap += ","
			}
			snap += fmt.Sprintf(`{"id":%q,"values":{"gender":%q,"age":%q}}`, v.ExternalID, v.Values["gender"], v.Values["age"])
		}
		d.Snapshot = []byte(snap + "]}")
		if err := st.CreateDraw(ctx, d); err != nil {
			t.Fatal(err)
		}
		if got, err := st.ClaimCommitting(ctx, "dead", clock(), time.Minute); err != nil || got == nil {
			t.Fatalf("dead claim: %v, %v", got, err)
		}
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.FindDraw(ctx, d.ID); got.State != panel.DrawCommitting {
			t.Fatalf("while the lease holds: state %s, want committing", got.State)
		}
		advance(2 * time.Minute)
		var wg sync.WaitGroup
		for _, s := range []*draw.Service{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); _ = s.Tick(ctx) }()
		}
		wg.Wait()
		got, err := st.FindDraw(ctx, d.ID)
		if err != nil || got.State != panel.DrawCommitted || got.Attempts != 2 {
			t.Fatalf("after the lease expired: %+v, %v; want committed after 2 attempts", got, err)
		}

		if _, err := a.Seed(ctx, d.ID, "12345"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Notify(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		advance(59 * time.Minute)
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		ms, _ := a.Members(ctx, d.ID)
		for _, m := range ms {
			if m.State == panel.MemberDropped {
				t.Fatalf("dropped before the deadline: %+v", m)
			}
		}
		advance(2 * time.Minute)
		if err := b.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		ms, _ = a.Members(ctx, d.ID)
		dropped, onPanel := 0, 0
		for _, m := range ms {
			if m.State == panel.MemberDropped {
				dropped++
			}
			if m.OnPanel() {
				onPanel++
			}
		}
		// All 10 dropped; 4 reserves step in and get a new deadline.
		if dropped != 10 || onPanel != 4 {
			t.Fatalf("after the deadline: %d dropped, %d on the panel; want 10 and 4", dropped, onPanel)
		}
	})
}

// hangingStore is the real store whose ClaimCommitting hangs, as a
// database that stops answering does, until its context ends.
type hangingStore struct {
	*store.Store
	entered chan struct{}
}

func (h *hangingStore) ClaimCommitting(ctx context.Context, owner string, now time.Time, lease time.Duration) (*panel.Draw, error) {
	h.entered <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestRunStops: Run returns promptly once its context ends, also while its
// tick and a lottery computation started by CreateDraw wait on the
// database: both work under Run's context.
func TestRunStops(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, storetest.SQLite(t))
	hs := &hangingStore{Store: st, entered: make(chan struct{}, 2)}
	ds, err := draw.New(hs, draw.Config{InlineWait: time.Millisecond, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	cid := seedPool(t, st, ds)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ds.Run(ctx) }()
	<-hs.entered // the first tick
	d, err := ds.CreateDraw(context.Background(), cid, draw.Request{Seats: 10, Algorithm: "legacy"})
	if err != nil {
		t.Fatal(err)
	}
	if d.State != panel.DrawCommitting {
		t.Fatalf("got state %s, want committing while the database hangs", d.State)
	}
	<-hs.entered // the computation CreateDraw started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of its context ending")
	}
}

// TestNewRequiresStore: a missing store is an error naming it.
func TestNewRequiresStore(t *testing.T) {
	t.Parallel()
	if _, err := draw.New(nil, draw.Config{}); err == nil || !strings.Contains(err.Error(), "store") {
		t.Errorf("got %v, want an error naming the store", err)
	}
}
