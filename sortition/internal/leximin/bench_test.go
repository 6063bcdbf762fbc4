package leximin_test

import (
	"context"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

func benchPublic(b *testing.B, name string) {
	for _, tc := range publicCases {
		if tc.name != name {
			continue
		}
		d := loadInstance(b, tc.cats, tc.pool, tc.seats, tc.addr)
		for b.Loop() {
			if _, err := leximin.Leximin(context.Background(), d.inst); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	b.Fatalf("no case %s", name)
}

func BenchmarkLeximinExampleSmall20(b *testing.B)  { benchPublic(b, "example_small_20") }
func BenchmarkLeximinExampleLarge200(b *testing.B) { benchPublic(b, "example_large_200") }
func BenchmarkLeximinFixture150(b *testing.B)      { benchPublic(b, "fixture_150") }
func BenchmarkLeximinFixture150Households(b *testing.B) {
	benchPublic(b, "fixture_150_households")
}
func BenchmarkLeximinNewDemocracy(b *testing.B) { benchPublic(b, "newdemocracy") }
