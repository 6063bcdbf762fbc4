package sender_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
)

func TestRateSpacesMessagesOnAFakeClock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rate     float64 // campaign send_rate
		wantGap  time.Duration
		messages int
	}{
		{"default 10 per second", 10, 100 * time.Millisecond, 30},
		{"campaign rate 2 per second", 2, 500 * time.Millisecond, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			forEachStore(t, func(t *testing.T, s *store.Store) {
				e := newEnvAt(t, s, tt.messages, t0, func(c *panel.Campaign) { c.SendRate = tt.rate })
				rec := &recordingGateway{SMSGateway: e.gw, clock: e.clock}
				snd := e.sender("a", func(c *senderSetup) {
					c.Gateway, c.Workers, c.Batch = rec, 1, 10
					c.Policy = sender.CampaignPolicy(e.s)
				})
				e.drainAll(context.Background(), snd)
				at := rec.times()
				if len(at) != tt.messages {
					t.Fatalf("got %d sends, want %d", len(at), tt.messages)
				}
				for i := 1; i < len(at); i++ {
					if gap := at[i].Sub(at[i-1]); gap < tt.wantGap {
						t.Errorf("send %d came %s after the previous one, want at least %s", i+1, gap, tt.wantGap)
					}
				}
				if span, want := at[len(at)-1].Sub(at[0]), time.Duration(tt.messages-1)*tt.wantGap; span != want {
					t.Errorf("got %d messages over %s, want exactly %s (no idle gaps)", len(at), span, want)
				}
				e.assertOncePerNumber(nil)
			})
		})
	}
}

func TestQuietHoursHoldTheQueue(t *testing.T) {
	t.Parallel()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		start := time.Date(2026, 11, 25, 19, 59, 50, 0, oslo)
		e := newEnvAt(t, s, 30, start, func(c *panel.Campaign) { c.SendRate, c.QuietHours = 1, "20:00-08:00" })
		rec := &recordingGateway{SMSGateway: e.gw, clock: e.clock}
		snd := e.sender("a", func(c *senderSetup) {
			c.Gateway, c.Workers, c.Location = rec, 1, oslo
			c.Policy = sender.CampaignPolicy(e.s)
		})
		ctx := context.Background()
		if err := snd.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if st := e.stats(); st.Sent+st.Delivered != 10 || st.Queued != 20 {
			t.Fatalf("evening: got %+v, want 10 sent (19:59:50 to 19:59:59) and 20 waiting", st)
		}
		morning := time.Date(2026, 11, 26, 8, 0, 0, 0, oslo)
		e.clock.Advance(morning.Add(-time.Minute).Sub(e.clock.Now()))
		if err := snd.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if st := e.stats(); st.Queued != 20 {
			t.Fatalf("07:59: got %+v, want still 20 waiting", st)
		}
		e.clock.Advance(time.Minute)
		e.drainAll(ctx, snd)
		q, _ := panel.ParseQuietHours("20:00-08:00")
		for i, at := range rec.times() {
			if q.Contains(at.In(oslo)) {
				t.Errorf("send %d at %s, inside quiet hours", i+1, at.In(oslo).Format("15:04:05"))
			}
		}
		if got := len(rec.times()); got != 30 {
			t.Errorf("got %d sends, want 30", got)
		}
		e.assertOncePerNumber(nil)
	})
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		outbox panel.Outbox
		gw     panel.SMSGateway
		cfg    sender.Config
		want   string
	}{
		{"nothing", nil, nil, sender.Config{}, "sender config: Owner is required; Outbox is required; Gateway is required"},
		{"short lease", nopOutbox{}, nopGateway{}, sender.Config{Owner: "a", Lease: time.Second}, "sender config: Lease must exceed 2*SendTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sender.New(tt.outbox, tt.gw, tt.cfg)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// nopOutbox and nopGateway only fill New's arguments in TestNewRejectsBadConfig.
type nopOutbox struct{ panel.Outbox }
type nopGateway struct{ panel.SMSGateway }
