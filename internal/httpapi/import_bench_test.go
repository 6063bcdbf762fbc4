package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/store/storetest"
)

// millionRows is the size of the import the hardening issue (#16) asks for.
const millionRows = 1_000_000

// csvRows writes a recipient file of n rows on the fly (about 31 bytes a
// row: a number without country code and three register columns), so the
// file is never held in memory by the client either.
type csvRows struct {
	n, next int
	buf     []byte
}

func (c *csvRows) Read(p []byte) (int, error) {
	for len(c.buf) < len(p) && c.next <= c.n {
		if c.next == 0 {
			c.buf = append(c.buf, "Mobil;Kjønn;Alder;Bydel\n"...)
		} else {
			c.buf = fmt.Appendf(c.buf, "9%07d;%s;%s;%s\n", c.next, []string{"kvinne", "mann"}[c.next%2],
				[]string{"18-39", "40-64", "65+"}[c.next%3], []string{"Østbyen", "Midtbyen", "Heimdal", "Lerkendal"}[c.next%4])
		}
		c.next++
	}
	if len(c.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.buf)
	c.buf = c.buf[:copy(c.buf, c.buf[n:])]
	return n, nil
}

// heapPeak samples the heap in use until stop is called, and returns the
// highest sample.
func heapPeak() (stop func() uint64) {
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// maxRSS is the process's peak resident set so far, in bytes.
func maxRSS(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Maxrss) * 1024 // kilobytes on Linux
}

// BenchmarkImportMillion posts a 1,000,000-row recipient file (31 MB)
// through HTTP, with the route's real body and time limits, to the real
// invitation service and store, and reports the time, the peak heap in
// use while it runs and the process's peak resident set (client and
// server together). PostgreSQL runs first, so its maxrss is its own.
func BenchmarkImportMillion(b *testing.B) {
	dbs := storetest.Databases(b)
	for i, j := 0, len(dbs)-1; i < j; i, j = i+1, j-1 { // PostgreSQL first
		dbs[i], dbs[j] = dbs[j], dbs[i]
	}
	for _, db := range dbs {
		b.Run(db.Name, func(b *testing.B) {
			e := setupInvite(b, storetest.Open(b, db))
			var peak uint64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				id := e.campaign(b, fmt.Sprintf("million %d", i))
				runtime.GC()
				stop := heapPeak()
				b.StartTimer()
				r := e.do(b, "POST", fmt.Sprintf("/api/v1/campaigns/%d/recipients", id), e.org, &csvRows{n: millionRows}, "Content-Type", "text/csv")
				b.StopTimer()
				peak = max(peak, stop())
				var res struct{ Imported int }
				if r.status != 200 || json.Unmarshal(r.body, &res) != nil || res.Imported != millionRows {
					b.Fatalf("import: got %d %.300s, want %d imported", r.status, r.body, millionRows)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/import")
			b.ReportMetric(float64(peak)/(1<<20), "heap_MB")
			b.ReportMetric(maxRSS(b)/(1<<20), "maxrss_MB")
		})
	}
}
