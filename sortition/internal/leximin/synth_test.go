package leximin_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

// synthPool builds a pool of n people over categories of the given sizes
// (value shares skewed by a fixed PCG seed), k seats, quotas at the pool
// shares ±2, and, if households, about 10% of people in 2-person households.
func synthPool(n, k int, sizes []int, households bool, seed uint64) *leximin.Instance {
	r := rand.New(rand.NewPCG(seed, 99))
	in := &leximin.Instance{Seats: k}
	offset := make([]int, len(sizes))
	weights := make([][]float64, len(sizes))
	for c, s := range sizes {
		offset[c] = len(in.Min)
		for range s {
			in.Min = append(in.Min, 0)
			in.Max = append(in.Max, 0)
			weights[c] = append(weights[c], 0.5+r.Float64())
		}
	}
	people := make([][]int, n)
	count := make([]int, len(in.Min))
	for p := range people {
		for c := range sizes {
			tot := 0.0
			for _, w := range weights[c] {
				tot += w
			}
			u := r.Float64() * tot
			v := 0
			for v < sizes[c]-1 && u > weights[c][v] {
				u -= weights[c][v]
				v++
			}
			people[p] = append(people[p], offset[c]+v)
			count[offset[c]+v]++
		}
	}
	for f, cnt := range count {
		share := float64(cnt) * float64(k) / float64(n)
		in.Min[f] = max(0, int(math.Floor(share))-2)
		in.Max[f] = min(cnt, int(math.Ceil(share))+2)
	}
	inHouse := make([]bool, n)
	if households {
		for p := 0; p+1 < n && p < n/10; p += 2 {
			inHouse[p], inHouse[p+1] = true, true
		}
	}
	typeOf := map[string]int{}
	for p, fs := range people {
		if inHouse[p] {
			if p%2 == 0 {
				in.Groups = append(in.Groups, []int{len(in.Types), len(in.Types) + 1})
			}
			in.Types = append(in.Types, leximin.Type{Features: fs, Count: 1})
			continue
		}
		key := fmt.Sprint(fs)
		t, ok := typeOf[key]
		if !ok {
			t = len(in.Types)
			typeOf[key] = t
			in.Types = append(in.Types, leximin.Type{Features: fs})
		}
		in.Types[t].Count++
	}
	return in
}

var roundSizes = []int{2, 5, 4, 4} // gender × 5 age bands × 4 districts × 4 education levels

func benchSynth(b *testing.B, n, k int, households bool) {
	in := synthPool(n, k, roundSizes, households, 1)
	for b.Loop() {
		if _, err := leximin.Leximin(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLeximinPool370x50(b *testing.B)           { benchSynth(b, 370, 50, false) }
func BenchmarkLeximinPool370x50Households(b *testing.B) { benchSynth(b, 370, 50, true) }
func BenchmarkLeximinPool300x45(b *testing.B)           { benchSynth(b, 300, 45, false) }
func BenchmarkLeximinPool500x75(b *testing.B)           { benchSynth(b, 500, 75, false) }
func BenchmarkLeximinPool750x112(b *testing.B)          { benchSynth(b, 750, 112, false) }

func TestLeximinSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	in := synthPool(370, 50, roundSizes, true, 1)
	l, err := leximin.Leximin(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	checkLottery(t, in, l)
}
