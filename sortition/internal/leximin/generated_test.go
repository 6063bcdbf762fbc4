package leximin_test

import (
	"context"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

// generated builds the leximin instance of a generated pool.
func generated(t testing.TB, cfg poolgen.Config) *leximin.Instance {
	t.Helper()
	return leximin.Generated(t, cfg)
}

// TestGeneratedFeasible checks that the generated pools of the benchmark
// sizes admit a panel, on several seeds.
func TestGeneratedFeasible(t *testing.T) {
	for _, cfg := range []poolgen.Config{
		{People: 370, Seats: 50, Categories: 4},
		{People: 825, Seats: 75, Categories: 4},
		{People: 1727, Seats: 110, Categories: 7},
		{People: 4000, Seats: 200, Categories: 7},
	} {
		for seed := uint64(1); seed <= 5; seed++ {
			cfg.Seed = seed
			in := generated(t, cfg)
			if _, err := leximin.FindPanel(in); err != nil {
				t.Errorf("%+v: %v", cfg, err)
			}
		}
	}
}

func benchGenerated(b *testing.B, people, seats, cats int, seed uint64) {
	in := generated(b, poolgen.Config{People: people, Seats: seats, Categories: cats, Seed: seed})
	b.ReportMetric(float64(len(in.Types)), "types")
	for b.Loop() {
		if _, err := leximin.Leximin(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLeximinGenerated825x75x4(b *testing.B) { benchGenerated(b, 825, 75, 4, 1) }
