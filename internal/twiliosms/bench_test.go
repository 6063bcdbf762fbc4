package twiliosms_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

// BenchmarkSend measures messages per second through the real twilio-go
// client against the fake Twilio on loopback.
func BenchmarkSend(b *testing.B) {
	b.Run("sequential", func(b *testing.B) {
		e := setup(b, nil)
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			if _, err := e.gw.Send(ctx, panel.OutboundSMS{To: recipient, Body: body}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("8 goroutines", func(b *testing.B) {
		e := setup(b, nil)
		ctx := context.Background()
		procs := max(1, testingProcs())
		b.SetParallelism((8 + procs - 1) / procs)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := e.gw.Send(ctx, panel.OutboundSMS{To: recipient, Body: body}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}

// testingProcs is GOMAXPROCS, which RunParallel multiplies by the parallelism.
func testingProcs() int { return runtime.GOMAXPROCS(0) }
