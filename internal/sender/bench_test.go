package sender_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// BenchmarkPipeline measures the send pipeline with the rate limit lifted:
// claim a batch, create each message at a fake Twilio on loopback through
// the real twilio-go client, store the ids. It reports messages per second
// (msgs/s); each iteration sends one message to each of 2000 recipients.
// No status callbacks are posted, so only the pipeline itself is measured.
func BenchmarkPipeline(b *testing.B) {
	const n = 2000
	for _, name := range []string{"sqlite", "postgres"} {
		for _, workers := range []int{8, 32} {
			b.Run(fmt.Sprintf("%s/workers=%d", name, workers), func(b *testing.B) {
				db := storetest.SQLite(b)
				if name == "postgres" {
					db = storetest.Postgres(b)
				}
				e := newEnv(b, storetest.Open(b, db), n)
				if _, err := e.s.CampaignSendStats(context.Background(), e.campaign.ID); err != nil {
					b.Fatal(err)
				}
				snd := e.sender("bench", func(c *senderSetup) {
					c.StatusCallbackURL, c.Workers, c.Batch, c.Logger = "", workers, 200, nil
				})
				ctx := context.Background()
				// The first round sends the queued invitations untimed.
				if err := snd.Drain(ctx); err != nil {
					b.Fatal(err)
				}
				var sent int
				var elapsed time.Duration
				round := 0
				for b.Loop() {
					b.StopTimer()
					round++
					msgs := make([]*panel.OutboundMessage, n)
					for i := range msgs {
						msgs[i] = &panel.OutboundMessage{
							CampaignID: e.campaign.ID, RecipientID: int64(i + 1), Kind: panel.KindReminder,
							Body: "Husk møtet i morgen kl. 18.", DedupKey: fmt.Sprintf("bench/%d/%d", round, i),
						}
					}
					if _, err := e.s.Enqueue(ctx, msgs); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					if err := snd.Drain(ctx); err != nil {
						b.Fatal(err)
					}
					elapsed += time.Since(start)
					sent += n
				}
				b.ReportMetric(float64(sent)/elapsed.Seconds(), "msgs/s")
				if got := len(e.fake.Messages()); got != n*(round+1) {
					b.Fatalf("got %d messages at the fake, want %d", got, n*(round+1))
				}
				if st := e.stats(); st.Sent != n*(round+1) {
					b.Fatalf("got %+v, want %d sent", st, n*(round+1))
				}
			})
		}
	}
}
