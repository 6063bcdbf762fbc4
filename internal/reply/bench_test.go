package reply_test

import (
	"testing"

	"github.com/citizenspanel/panel/internal/reply"
)

// BenchmarkParse reads a typical mix of answers, one per iteration.
func BenchmarkParse(b *testing.B) {
	bodies := []string{"JA", "Ja takk!\nHilsen Kari", "nei", "STOPP", "Jeg kan dessverre ikke komme 2. desember",
		"Ja «Svar JA for å delta, eller STOPP for å melde deg av»", "3", "Videregående skole"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		reply.Parse(bodies[i%len(bodies)])
		i++
	}
}
