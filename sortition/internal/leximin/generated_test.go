package leximin_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

// generated builds the leximin instance of a generated pool: people with
// equal values and no shared address form a type; people sharing an address
// are each a type of their own, grouped by address.
func generated(t testing.TB, cfg poolgen.Config) *leximin.Instance {
	t.Helper()
	g, err := poolgen.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in := &leximin.Instance{Seats: cfg.Seats}
	offset := make([]int, len(g.Categories))
	for c := range g.Categories {
		offset[c] = len(in.Min)
		in.Min = append(in.Min, g.Min[c]...)
		in.Max = append(in.Max, g.Max[c]...)
	}
	shared := map[string]int{}
	for _, a := range g.Address {
		shared[a]++
	}
	typeOf := map[string]int{}
	groupOf := map[string]int{}
	for p, values := range g.People {
		fs := make([]int, len(values))
		for c, v := range values {
			fs[c] = offset[c] + v
		}
		addr := g.Address[p]
		if shared[addr] > 1 {
			gi, ok := groupOf[addr]
			if !ok {
				gi = len(in.Groups)
				groupOf[addr] = gi
				in.Groups = append(in.Groups, nil)
			}
			in.Groups[gi] = append(in.Groups[gi], len(in.Types))
			in.Types = append(in.Types, leximin.Type{Features: fs, Count: 1})
			continue
		}
		key := fmt.Sprint(fs)
		ti, ok := typeOf[key]
		if !ok {
			ti = len(in.Types)
			typeOf[key] = ti
			in.Types = append(in.Types, leximin.Type{Features: fs})
		}
		in.Types[ti].Count++
	}
	return in
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
