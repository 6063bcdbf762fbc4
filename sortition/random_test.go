package sortition_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestStreamVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		seed  string
		key   string
		first [3]uint64
		index int // for m = 1000
	}{
		{seed: "3-5-1-6-2-2-4-5 read at the council meeting", key: "d61f8f5584b1acd55617a9aabbbac407dc9ce1a6127d076ae4cd8e6a4439abcc",
			first: [3]uint64{15562511185623694620, 11042712977035216717, 9302316125746283911}, index: 620},
		{seed: "", key: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			first: [3]uint64{16354599653788962461, 5663043154726815492, 11846776225974820829}, index: 461},
		{seed: "panel", key: "320e00e73a7d24a9a44cde87e98d150e10e72b05ccffb74e7332354fdd85c5e5",
			first: [3]uint64{5074584552445445124, 2432286231548906867, 13235718670143509801}, index: 124},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			t.Parallel()
			key := sortition.StreamKey(sortition.PurposeLottery, tt.seed)
			if got := hex.EncodeToString(key[:]); got != tt.key {
				t.Errorf("got key %s, want %s", got, tt.key)
			}
			s := sortition.NewStream(sortition.PurposeLottery, tt.seed)
			for i, want := range tt.first {
				if got := s.Uint64(); got != want {
					t.Errorf("output %d: got %d, want %d", i+1, got, want)
				}
			}
			if got := sortition.LotteryIndex(tt.seed, 1000); got != tt.index {
				t.Errorf("got index %d, want %d", got, tt.index)
			}
		})
	}
}

func TestStreamKeyDomainSeparation(t *testing.T) {
	t.Parallel()
	for _, purpose := range []string{sortition.PurposeLegacy, sortition.PurposeReserves} {
		want := sha256.Sum256([]byte("panel-draw/1\x00" + purpose + "\x00" + "seed"))
		if got := sortition.StreamKey(purpose, "seed"); got != want {
			t.Errorf("%s: got key %x, want %x", purpose, got, want)
		}
	}
	if sortition.StreamKey(sortition.PurposeLegacy, "s") == sortition.StreamKey(sortition.PurposeReserves, "s") {
		t.Error("legacy and reserves streams share a key")
	}
}

func TestUniform(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
	}{{"one", 1}, {"two", 2}, {"thousand", 1000}, {"not a power of two near 2^63", 1<<62 + 12345}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := sortition.NewStream(sortition.PurposeLottery, tt.name)
			ref := sortition.NewStream(sortition.PurposeLottery, tt.name)
			for range 1000 {
				got := s.Uniform(tt.n)
				if got < 0 || got >= tt.n {
					t.Fatalf("got %d, want in [0,%d)", got, tt.n)
				}
				// Re-implement the documented rule on a twin stream.
				un := uint64(tt.n)
				r := (^un + 1) % un
				x := ref.Uint64()
				for r != 0 && x >= ^r+1 {
					x = ref.Uint64()
				}
				if want := int(x % un); got != want {
					t.Fatalf("got %d, want %d from the documented rule", got, want)
				}
			}
		})
	}
}
