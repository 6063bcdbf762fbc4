package draw_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// seedLargePool creates a campaign whose leximin lottery takes a while to
// compute: 600 imported volunteers over four correlated categories, with
// quotas around their shares of a 40-seat panel. It returns the id of the
// campaign, called name.
func seedLargePool(t *testing.T, st *store.Store, ds *draw.Service, name string) int64 {
	t.Helper()
	ctx := context.Background()
	c := panel.NewCampaign()
	c.Name, c.InvitationText = name, "Vil du være med?"
	if err := st.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	cats := []struct {
		name   string
		values []string
	}{
		{"gender", []string{"kvinne", "mann"}},
		{"age", []string{"a18", "a30", "a45", "a60", "a75"}},
		{"region", []string{"nord", "midt", "vest", "sor", "ost", "innland"}},
		{"education", []string{"grunn", "vgs", "hoy"}},
	}
	const people, seats = 600, 40
	rng := rand.New(rand.NewPCG(17, 4))
	counts := map[string]map[string]int{}
	var b strings.Builder
	b.WriteString("id,phone,gender,age,region,education\n")
	for i := range people {
		fmt.Fprintf(&b, "p%04d,+4792%06d", i, i)
		prev := 0
		for _, cat := range cats {
			// Correlated values: each category leans on the previous one.
			k := (prev + rng.IntN(3)) % len(cat.values)
			if rng.IntN(4) == 0 {
				k = rng.IntN(len(cat.values))
			}
			prev = k
			if counts[cat.name] == nil {
				counts[cat.name] = map[string]int{}
			}
			counts[cat.name][cat.values[k]]++
			b.WriteString("," + cat.values[k])
		}
		b.WriteString("\n")
	}
	if _, err := ds.ImportVolunteers(ctx, c.ID, strings.NewReader(b.String()), panel.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var q strings.Builder
	q.WriteString("category,name,min,max\n")
	for _, cat := range cats {
		for _, v := range cat.values {
			share := float64(counts[cat.name][v]) * seats / people
			lo, hi := max(0, int(share)-1), int(share)+2
			fmt.Fprintf(&q, "%s,%s,%d,%d\n", cat.name, v, lo, hi)
		}
	}
	qs, err := draw.ParseQuotasCSV(strings.NewReader(q.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.SetQuotas(ctx, c.ID, qs, seats); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestLotteryProgress: the worker records the leximin computation's
// progress on the draw (level, people fixed, panels, certified bounds),
// and a draw whose time limit is reached fails naming the limit and the
// bounds reached, with no record published.
func TestLotteryProgress(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ds := newService(t, st, draw.Config{InlineWait: 5 * time.Minute, Interval: time.Hour})

		t.Run("progress recorded", func(t *testing.T) {
			cid := seedLargePool(t, st, ds, "Progress")
			// Watch the draw as GET /api/v1/draws/{id} would, from the
			// database, while it computes.
			seen := make(chan *panel.LotteryProgress, 1)
			stop := make(chan struct{})
			go func() {
				defer close(seen)
				for {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
					draws, err := st.CampaignDraws(ctx, cid)
					if err == nil && len(draws) == 1 && draws[0].LotteryProgress != nil {
						seen <- draws[0].LotteryProgress
						return
					}
				}
			}()
			start := time.Now()
			d, err := ds.CreateDraw(ctx, cid, draw.Request{Seats: 40, Panels: 200})
			close(stop)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("computed in %v", time.Since(start))
			if d.State != panel.DrawCommitted || d.LotteryProgress != nil {
				t.Fatalf("state %s (%s), lottery progress %v; want committed, progress cleared", d.State, d.Error, d.LotteryProgress)
			}
			p := <-seen
			if p == nil {
				t.Fatal("no lottery progress seen while computing")
			}
			// The first report may come before any panel (the upper bound
			// alone, from the relaxation).
			if p.Level < 1 || p.People != 600 || p.PeopleFixed < 0 || p.PeopleFixed > p.People || p.Panels < 0 ||
				p.LowerBound < 0 || p.LowerBound > p.UpperBound+1e-9 || p.UpperBound <= 0 || p.UpperBound > 1 {
				t.Errorf("implausible progress %+v", *p)
			}
		})

		t.Run("time limit", func(t *testing.T) {
			cid := seedLargePool(t, st, ds, "Time limit")
			d, err := ds.CreateDraw(ctx, cid, draw.Request{Seats: 40, Panels: 200, TimeLimitSeconds: 0.001})
			if err != nil {
				t.Fatal(err)
			}
			if d.State != panel.DrawFailed || !strings.Contains(d.Error, "time limit of 1ms") || !strings.Contains(d.Error, "no lottery is published") || !strings.Contains(d.Error, "reached level") {
				t.Fatalf("got state %s, error %q; want failed naming the 1ms time limit and the bounds reached", d.State, d.Error)
			}
			t.Logf("stopped: %s", d.Error)
			if len(d.Record) != 0 || d.Commitment != "" {
				t.Errorf("a stopped draw has a record (%d bytes) or commitment %q", len(d.Record), d.Commitment)
			}
			if _, err := ds.Public(ctx, d.ID); panel.ErrorCode(err) != panel.ENOTFOUND {
				t.Errorf("public record of a stopped draw: got %v, want ENOTFOUND", err)
			}
		})

		t.Run("bad time limit", func(t *testing.T) {
			_, err := ds.CreateDraw(ctx, 1, draw.Request{Seats: 4, TimeLimitSeconds: -1})
			if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), "time_limit_seconds") {
				t.Errorf("got %v, want EINVALID naming time_limit_seconds", err)
			}
		})
	})
}
