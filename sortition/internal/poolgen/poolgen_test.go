package poolgen_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

func TestGenerateShape(t *testing.T) {
	cfg := poolgen.Config{People: 1727, Seats: 110, Categories: 7, Seed: 4}
	g, err := poolgen.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{3, 7, 5, 10, 5, 2, 3}
	if len(g.Categories) != len(sizes) || len(g.People) != cfg.People || len(g.Address) != cfg.People {
		t.Fatalf("%d categories, %d people, %d addresses", len(g.Categories), len(g.People), len(g.Address))
	}
	for c, cat := range g.Categories {
		if len(cat.Values) != sizes[c] {
			t.Errorf("%s has %d values, want %d", cat.Name, len(cat.Values), sizes[c])
		}
		widen := 0
		if sizes[c] > 4 {
			widen = 1
		}
		for v, s := range g.PopShare[c] {
			k := float64(cfg.Seats) * s
			if want := max(0, int(math.Floor(k))-widen); g.Min[c][v] != want {
				t.Errorf("%s=%s: min %d, want %d (share %v)", cat.Name, cat.Values[v], g.Min[c][v], want, s)
			}
			if want := int(math.Ceil(k)) + widen; g.Max[c][v] != want {
				t.Errorf("%s=%s: max %d, want %d (share %v)", cat.Name, cat.Values[v], g.Max[c][v], want, s)
			}
		}
	}
	// Self-selection: the youngest band, no education and district d02 are
	// rarer in the pool than in the population; master's degrees commoner.
	share := func(c, v int) float64 {
		n := 0
		for _, p := range g.People {
			if p[c] == v {
				n++
			}
		}
		return float64(n) / float64(len(g.People))
	}
	for _, tc := range []struct {
		c, v  int
		under bool
	}{{1, 0, true}, {2, 0, true}, {3, 1, true}, {2, 4, false}} {
		got, pop := share(tc.c, tc.v), g.PopShare[tc.c][tc.v]
		if tc.under != (got < pop) {
			t.Errorf("%s=%s: pool share %.3f, population %.3f", g.Categories[tc.c].Name, g.Categories[tc.c].Values[tc.v], got, pop)
		}
	}
	seen := map[string]int{}
	shared := 0
	for _, a := range g.Address {
		if seen[a]++; seen[a] == 2 {
			shared++
		}
	}
	if shared == 0 || shared > cfg.People/20 {
		t.Errorf("%d shared addresses, want a few", shared)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	cfg := poolgen.Config{People: 400, Seats: 40, Categories: 4, Seed: 9}
	a, err := poolgen.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := poolgen.Generate(cfg)
	if !bytes.Equal(a.PeopleCSV(), b.PeopleCSV()) || !bytes.Equal(a.QuotasCSV(), b.QuotasCSV()) {
		t.Error("one configuration gave two pools")
	}
	cfg.Seed++
	c, _ := poolgen.Generate(cfg)
	if bytes.Equal(a.PeopleCSV(), c.PeopleCSV()) {
		t.Error("two seeds gave one pool")
	}
	header := strings.SplitN(string(a.PeopleCSV()), "\n", 2)[0]
	if header != "id,gender,age,education,district,address" {
		t.Errorf("header %q", header)
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	for _, cfg := range []poolgen.Config{
		{People: 100, Seats: 10, Categories: 0},
		{People: 100, Seats: 10, Categories: 8},
		{People: 10, Seats: 20, Categories: 3},
		{People: 100, Seats: 0, Categories: 3},
	} {
		if _, err := poolgen.Generate(cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
