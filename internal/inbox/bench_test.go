package inbox_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// BenchmarkHandle measures replies per second on PostgreSQL (it skips
// without PANEL_TEST_POSTGRES_URL) with 8 callers per CPU, as concurrent
// webhook requests would be. Each person
// says yes, answers both questions, then says yes again, so the mix is the
// dialogue's: a new volunteer, a finished dialogue, a "registered" reply.
func BenchmarkHandle(b *testing.B) {
	const people = 2000
	s := storetest.Open(b, storetest.Postgres(b))
	e := setup(b, s, people)
	bodies := []string{"ja", "2 ja", "ja"}
	var next atomic.Int64
	b.SetParallelism(8) // webhook requests arrive concurrently: 8 callers per CPU
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			in := panel.InboundSMS{
				ProviderID: fmt.Sprintf("SMbench%08d", i),
				From:       phone(int(i%people) + 1),
				Body:       bodies[(i/people)%int64(len(bodies))],
			}
			if _, err := e.svc.Handle(context.Background(), in); err != nil {
				b.Errorf("Handle: %v", err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
}
