package sender

import (
	"math/rand/v2"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func quietHours(t *testing.T, spec string) panel.QuietHours {
	t.Helper()
	q, err := panel.ParseQuietHours(spec)
	if err != nil {
		t.Fatalf("ParseQuietHours(%q): %v", spec, err)
	}
	return q
}

func testRand() *rand.Rand { return rand.New(rand.NewPCG(3, 4)) }
